import { columnTypes } from '../../storage/migrations/types.js';
import type { Migration } from '../../storage/migrations/types.js';

/**
 * Webhook requests the add-on refused (bad signature, unknown source, wrong workspace …), so a
 * broken sender can be debugged from the sidebar. Headers are the same short list kept with events
 * (never a credential) and the body is not kept, only its size. Removed by retention like events.
 */
export const rejectedRequests: Migration = {
  name: '005-rejected-requests',
  async up(db, dialect) {
    const { bigint } = columnTypes(dialect);
    await db.schema
      .createTable('rejected_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text')
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('headers_json', 'text', (c) => c.notNull())
      .addColumn('body_bytes', 'integer', (c) => c.notNull())
      .addColumn('received_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rejected_requests_ws_id').on('rejected_requests').columns(['workspace_id', 'id']).execute();
    await db.schema.createIndex('rejected_requests_received').on('rejected_requests').columns(['received_at']).execute();
  },
};
