import type { Migration } from '../../storage/migrations/types.js';

/** Where a custom source's sender puts the event type (a header or a JSON path); null: the defaults. */
export const customEventTypeLocation: Migration = {
  name: '006-custom-event-type',
  async up(db) {
    await db.schema.alterTable('custom_sources').addColumn('event_type_from', 'text').execute();
  },
};
