import { defineRoom } from '../room.js';
import { adoptStoredSecrets } from './adopt.js';
import { credentialsAndReplay } from './migrations/003-credentials-and-replay.js';
import { credentialRoutes } from './routes.js';
import { CredentialStore } from './store.js';
import { CREDENTIALS_TABLES } from './tables.js';

/**
 * Credentials for HTTP actions (editions that have them). At start-up, before serving, flows saved
 * with secrets written into their headers or URL are moved onto credentials.
 */
export const credentialsRoom = defineRoom({
  name: 'credentials',
  tables: CREDENTIALS_TABLES,
  migrations: [credentialsAndReplay],
  setup: (runtime) => {
    const store = new CredentialStore(runtime.database, runtime.box, runtime.now);
    const enabled = runtime.edition.capabilities.httpActions;
    return {
      start: async () => {
        if (!enabled) return;
        const adopted = await adoptStoredSecrets(runtime.database, store, runtime.logger.child({ component: 'credentials' }));
        if (adopted > 0) runtime.logger.warn({ adopted }, 'secrets found in stored flows now live in credentials; the flows refer to them by name');
      },
      uiRoutes: async (ui) => {
        if (enabled) await ui.register(credentialRoutes, { store });
      },
    };
  },
});

export { CredentialStore } from './store.js';
