import type { Migration } from '../../storage/migrations/types.js';

/**
 * Indexes the bootstrap runner leans on: it picks a run's next open step after every page, and the
 * uninstall purge deletes a workspace's steps, both of which would otherwise scan every step.
 */
export const bootstrapIndexes: Migration = {
  name: '002-bootstrap',
  async up(db) {
    await db.schema.createIndex('bootstrap_steps_open').on('bootstrap_steps').columns(['run_id', 'status', 'position']).execute();
    await db.schema.createIndex('bootstrap_steps_ws').on('bootstrap_steps').columns(['workspace_id']).execute();
  },
};
