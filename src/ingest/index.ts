import { defineRoom } from '../room.js';
import type { Runtime } from '../runtime.js';
import { createGuardedDispatcher } from '../net/ssrf.js';
import { clockifyWebhookRoutes } from './clockify-routes.js';
import { CONSUMER_ORDER, anyConsumerActs } from '../events/consumers.js';
import { customSourceUiRoutes, customWebhookRoutes } from './custom-routes.js';
import { CustomSourceStore } from './custom-sources.js';
import { EventStore, JOB_PROCESS_EVENT } from './event-store.js';
import { JOB_FORWARD_EVENT, forwardEventJob, forwardingConsumer } from './forwarding.js';
import { rejectedRequests } from './migrations/005-rejected-requests.js';
import { customEventTypeLocation } from './migrations/006-custom-event-type.js';
import { processEventJob } from './process-job.js';
import { eventReadRoutes } from './read-routes.js';
import { recordRejections } from './rejected-requests.js';
import { INGEST_TABLES } from './tables.js';
import { registerRefusedBodyBudget } from '../server/cost-budget.js';

/** The store every webhook goes in through: deduplicated, persisted with its processing job. */
export function createEventStore(runtime: Pick<Runtime, 'database' | 'queue' | 'config' | 'now' | 'consumers'>): EventStore {
  return new EventStore(runtime.database, runtime.queue, {
    dedupWindowMs: runtime.config.webhooks.dedupWindowHours * 3600_000,
    now: runtime.now,
    // Read at each commit: the consumers are collected after the rooms are set up.
    needsProcessing: (target, context) => anyConsumerActs(runtime.consumers, target, context),
  });
}

/** Webhooks in: Clockify's and (Universal Webhook) any other system's; the event log; forwarding out. */
export const ingestRoom = defineRoom({
  name: 'ingest',
  tables: INGEST_TABLES,
  migrations: [rejectedRequests, customEventTypeLocation],
  setup: (runtime) => {
    const events = createEventStore(runtime);
    const sources = new CustomSourceStore(runtime.database, runtime.box, runtime.now);
    const forwarding = runtime.edition.capabilities.forwarding;
    const custom = runtime.edition.capabilities.customWebhooks;
    let dispatcher: ReturnType<typeof createGuardedDispatcher> | undefined;
    return {
      jobs: {
        [JOB_PROCESS_EVENT]: processEventJob(runtime, events),
        ...(forwarding
          ? {
              [JOB_FORWARD_EVENT]: forwardEventJob(
                runtime,
                () => (dispatcher ??= createGuardedDispatcher({ allowlist: runtime.config.outboundAllowlist })),
              ),
            }
          : {}),
      },
      consumers: forwarding ? [{ ...forwardingConsumer(runtime), order: CONSUMER_ORDER.forwarding }] : [],
      stop: async () => {
        await dispatcher?.close();
      },
      routes: async (app) => {
        // One context for both webhook routes, so their refusals are logged for the sidebar and budgeted per address.
        await app.register(async (webhooks) => {
          registerRefusedBodyBudget(webhooks, runtime);
          recordRejections(webhooks, runtime);
          await webhooks.register(clockifyWebhookRoutes, { runtime, events });
          if (custom) await webhooks.register(customWebhookRoutes, { runtime, events, sources });
        });
      },
      uiRoutes: async (ui) => {
        await ui.register(eventReadRoutes, { runtime, events });
        if (custom) await ui.register(customSourceUiRoutes, { runtime, sources });
      },
    };
  },
});
