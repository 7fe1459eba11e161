import type { Migration } from './types.js';

/**
 * Flow steps (issues 20, 23): each step's record says where it sits in the flow (`loop1[3].tagIt`)
 * and its kind. Older rows keep null (a top-level action: its path is its id). A run parked by a wait
 * step has status `waiting` (a text column: no change needed).
 */
export const flowSteps: Migration = {
  name: '008-flow-steps',
  async up(db) {
    await db.schema.alterTable('flow_action_results').addColumn('step_path', 'text').execute();
    await db.schema.alterTable('flow_action_results').addColumn('kind', 'text').execute();
  },
};
