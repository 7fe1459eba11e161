import { join } from 'node:path';
import { projectRoot } from '../resources.js';
import { defineRoom } from '../room.js';
import type { RoomParts } from '../room.js';
import type { Runtime } from '../runtime.js';
import { capabilitiesRoutes } from './capabilities-routes.js';
import { explorerExtrasRoutes } from './explorer-extras-routes.js';
import { flowOperationsRoutes } from './flow-operations-routes.js';
import { inspectorRoutes } from './inspector-routes.js';
import { namesRoutes } from './names-routes.js';
import { preferencesRoutes } from './preferences-routes.js';
import { sidebarRoutes } from './routes.js';

/** Where `npm run build` puts the sidebar (vite, web/vite.config.ts). */
export const WEB_DIST_DIR = join(projectRoot, 'dist', 'web');

/** The sidebar web UI: the page Clockify frames as `{baseUrl}/sidebar?auth_token=…` and its assets. */
export const webUiRoom = defineRoom({ name: 'web-ui', setup: (runtime) => webUiParts(runtime) });

/** The room's routes, serving the sidebar from `distDir` (tests serve a built copy from elsewhere). */
export function webUiParts(runtime: Runtime, distDir: string = WEB_DIST_DIR): RoomParts {
  return {
    routes: async (app) => {
      await app.register(sidebarRoutes, { distDir, baseUrl: runtime.editionConfig.baseUrl });
    },
    // Read routes the sidebar alone needs (behind the user-token check).
    uiRoutes: async (ui) => {
      await ui.register(capabilitiesRoutes, { runtime });
      await ui.register(flowOperationsRoutes, { runtime });
      await ui.register(namesRoutes, { runtime });
      await ui.register(explorerExtrasRoutes, { runtime });
      await ui.register(inspectorRoutes, { runtime });
      await ui.register(preferencesRoutes, { runtime });
    },
  };
}

export { sidebarCsp } from './csp.js';
