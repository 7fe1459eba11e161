import { join } from 'node:path';
import { projectRoot } from '../resources.js';
import type { Room } from '../room.js';
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
export function webUiRoom(runtime: Runtime, distDir: string = WEB_DIST_DIR): Room {
  return {
    name: 'web-ui',
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
