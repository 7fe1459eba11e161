import type { Room } from '../room.js';
import type { Runtime } from '../runtime.js';
import { createGuardedDispatcher } from '../net/ssrf.js';
import { clockifyWebhookRoutes } from './clockify-routes.js';
import { CONSUMER_ORDER, anyConsumerActs } from './consumers.js';
import { customSourceUiRoutes, customWebhookRoutes } from './custom-routes.js';
import { CustomSourceStore } from './custom-sources.js';
import { EventStore, JOB_PROCESS_EVENT } from './event-store.js';
import { JOB_FORWARD_EVENT, forwardEventJob, forwardingConsumer } from './forwarding.js';
import { processEventJob } from './process-job.js';
import { eventReadRoutes } from './read-routes.js';
import { recordRejections } from './rejected-requests.js';

/** The store every webhook goes in through: deduplicated, persisted with its processing job. */
export function createEventStore(runtime: Runtime): EventStore {
  return new EventStore(runtime.database, runtime.queue, {
    dedupWindowMs: runtime.config.webhooks.dedupWindowHours * 3600_000,
    now: runtime.now,
    // Read at each commit: rooms add their consumers after this one is built.
    needsProcessing: (target, context) => anyConsumerActs(runtime.consumers, target, context),
  });
}

/** Webhooks in: Clockify's and (Universal Webhook) any other system's; the event log; forwarding out. */
export function ingestRoom(runtime: Runtime): Room {
  const events = createEventStore(runtime);
  const sources = new CustomSourceStore(runtime.database, runtime.box, runtime.now);
  runtime.registerJob(JOB_PROCESS_EVENT, processEventJob(runtime, events));
  if (runtime.edition.capabilities.forwarding) {
    let dispatcher: ReturnType<typeof createGuardedDispatcher> | undefined;
    runtime.addConsumer(forwardingConsumer(runtime), CONSUMER_ORDER.forwarding);
    runtime.registerJob(JOB_FORWARD_EVENT, forwardEventJob(runtime, () => (dispatcher ??= createGuardedDispatcher({ allowlist: runtime.config.outboundAllowlist }))));
    runtime.onClose(async () => {
      await dispatcher?.close();
    });
  }
  const custom = runtime.edition.capabilities.customWebhooks;
  return {
    name: 'ingest',
    routes: async (app) => {
      // One context for both webhook routes, so their refusals are logged for the sidebar.
      await app.register(async (webhooks) => {
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
}
