import { columnTypes } from '../../storage/migrations/types.js';
import type { Migration } from '../../storage/migrations/types.js';

/**
 * Per installation, when Clockify's webhook delivery logs were last read for deliveries that failed
 * (we were down, or answered 5xx) and how many of them were recovered.
 */
export const webhookReconciliation: Migration = {
  name: '004-reconciliation',
  async up(db, dialect) {
    const { bigint } = columnTypes(dialect);
    await db.schema
      .createTable('webhook_reconciliations')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('last_reconciled_at', bigint)
      .addColumn('last_attempt_at', bigint)
      .addColumn('last_recovered', bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('recovered_total', bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();
  },
};
