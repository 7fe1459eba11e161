import { defineRoom } from '../room.js';
import { credentialsAndReplay } from './migrations/003-credentials-and-replay.js';
import { credentialRoutes } from './routes.js';
import { CredentialStore } from './store.js';
import { CREDENTIALS_TABLES } from './tables.js';

/**
 * Credentials for HTTP actions (editions that have them): named secrets, sealed at rest, managed
 * from the sidebar. The flows room resolves them when it sends, and moves secrets it finds written
 * into stored flows onto them at start-up (src/flows/credential-adoption.ts).
 */
export const credentialsRoom = defineRoom({
  name: 'credentials',
  tables: CREDENTIALS_TABLES,
  migrations: [credentialsAndReplay],
  setup: (runtime) => {
    const store = new CredentialStore(runtime.database, runtime.box, runtime.now);
    const enabled = runtime.edition.capabilities.httpActions;
    return {
      uiRoutes: async (ui) => {
        if (enabled) await ui.register(credentialRoutes, { store });
      },
    };
  },
});

export { CredentialStore } from './store.js';
