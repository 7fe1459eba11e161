import type { Migration } from '../../storage/migrations/types.js';
import { columnTypes } from '../../storage/migrations/types.js';

/**
 * Issue 19. Credentials: named secrets of a workspace that HTTP actions reference instead of holding
 * them in clear; the value is sealed, the name and kind are not. Custom sources: the optional
 * timestamp header (and its tolerance) that HMAC senders sign along with the body.
 */
export const credentialsAndReplay: Migration = {
  name: '003-credentials-and-replay',
  async up(db, dialect) {
    const { bigint } = columnTypes(dialect);
    await db.schema
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      // The header or query parameter the value goes into (header and query kinds); not secret.
      .addColumn('field_name', 'text')
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addUniqueConstraint('credentials_ws_name', ['workspace_id', 'name'])
      .execute();
    await db.schema.alterTable('custom_sources').addColumn('timestamp_header', 'text').execute();
    await db.schema.alterTable('custom_sources').addColumn('timestamp_tolerance_seconds', 'integer').execute();
  },
};
