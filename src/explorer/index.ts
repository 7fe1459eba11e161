import type { Room } from '../room.js';
import type { Runtime } from '../runtime.js';
import { explorerRoutes } from './routes.js';

export function explorerRoom(runtime: Runtime): Room {
  return {
    name: 'explorer',
    uiRoutes: async (ui) => {
      await ui.register(explorerRoutes, { runtime });
    },
  };
}
