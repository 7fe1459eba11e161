import type { Migration } from '../../storage/migrations/types.js';

/**
 * Each step's input (issue 23, execution inspector): the data the step saw when it ran (the event,
 * the trigger, the loop item and the earlier steps its fields refer to), bounded and with secrets
 * masked. Older rows keep null: the run detail says their input was not recorded.
 */
export const flowStepInput: Migration = {
  name: '009-flow-step-input',
  async up(db) {
    await db.schema.alterTable('flow_action_results').addColumn('input_json', 'text').execute();
  },
};
