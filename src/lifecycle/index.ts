import { defineRoom } from '../room.js';
import { purgeWorkspaceJob, registerWebhooksJob, unregisterWebhooksJob } from './jobs.js';
import { WebhookRegistrar } from './registration.js';
import { registrationRoutes } from './registration-routes.js';
import { lifecycleRoutes } from './routes.js';
import { settingsRoutes } from './settings-routes.js';
import { JOB_PURGE_WORKSPACE, JOB_REGISTER_WEBHOOKS, JOB_UNREGISTER_WEBHOOKS, LifecycleService } from './service.js';
import { LIFECYCLE_TABLES } from './tables.js';

/** Clockify's lifecycle calls, webhook registration with its drift report, and the uninstall clean-up. */
export const lifecycleRoom = defineRoom({
  name: 'lifecycle',
  tables: LIFECYCLE_TABLES,
  setup: (runtime) => {
    const service = new LifecycleService(runtime);
    const registrar = new WebhookRegistrar(runtime);
    return {
      jobs: {
        [JOB_REGISTER_WEBHOOKS]: registerWebhooksJob(registrar),
        [JOB_UNREGISTER_WEBHOOKS]: unregisterWebhooksJob(runtime),
        [JOB_PURGE_WORKSPACE]: purgeWorkspaceJob(runtime),
      },
      routes: async (app) => {
        await app.register(lifecycleRoutes, { runtime, service });
      },
      uiRoutes: async (ui) => {
        await ui.register(registrationRoutes, { registrar });
        await ui.register(settingsRoutes, { runtime });
      },
    };
  },
});

export { LifecycleService } from './service.js';
export { InstallationStore } from './installations.js';
export { WebhookRegistrar } from './registration.js';
