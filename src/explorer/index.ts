import { defineRoom } from '../room.js';
import { explorerRoutes } from './routes.js';
import { EXPLORER_TABLES } from './tables.js';

/** The API explorer and the log of every call made to Clockify. */
export const explorerRoom = defineRoom({
  name: 'explorer',
  tables: EXPLORER_TABLES,
  setup: (runtime) => ({
    uiRoutes: async (ui) => {
      await ui.register(explorerRoutes, { runtime });
    },
  }),
});
