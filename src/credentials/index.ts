import type { Room } from '../room.js';
import type { Runtime } from '../runtime.js';
import { adoptStoredSecrets } from './adopt.js';
import { credentialRoutes } from './routes.js';
import { CredentialStore } from './store.js';

/**
 * Credentials for HTTP actions (editions that have them). At start-up, before serving, flows saved
 * with secrets written into their headers or URL are moved onto credentials.
 */
export function credentialsRoom(runtime: Runtime): Room {
  const store = new CredentialStore(runtime.database, runtime.box, runtime.now);
  return {
    name: 'credentials',
    routes: async () => {
      if (!runtime.edition.capabilities.httpActions) return;
      const adopted = await adoptStoredSecrets(runtime.database, store, runtime.logger.child({ component: 'credentials' }));
      if (adopted > 0) runtime.logger.warn({ adopted }, 'secrets found in stored flows now live in credentials; the flows refer to them by name');
    },
    uiRoutes: async (ui) => {
      if (!runtime.edition.capabilities.httpActions) return;
      await ui.register(credentialRoutes, { store });
    },
  };
}

export { CredentialStore } from './store.js';
