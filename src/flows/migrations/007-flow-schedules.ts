import { columnTypes } from '../../storage/migrations/types.js';
import type { Migration } from '../../storage/migrations/types.js';

/**
 * Per scheduled flow: the occurrence it waits for and the last one it ran. Instances claim an
 * occurrence by moving `next_due_at` on (compare-and-set), so each runs once across all of them.
 */
export const flowSchedules: Migration = {
  name: '007-flow-schedules',
  async up(db, dialect) {
    const { bigint } = columnTypes(dialect);
    await db.schema
      .createTable('flow_schedules')
      .addColumn('flow_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('flow_version', 'integer', (c) => c.notNull())
      .addColumn('next_due_at', bigint, (c) => c.notNull())
      .addColumn('last_occurrence', bigint)
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flow_schedules_due').on('flow_schedules').column('next_due_at').execute();
    await db.schema.createIndex('flow_schedules_workspace').on('flow_schedules').column('workspace_id').execute();
  },
};
