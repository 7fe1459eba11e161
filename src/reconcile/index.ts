import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { JobHandler } from '../jobs/worker.js';
import { defineRoom } from '../room.js';
import type { Runtime } from '../runtime.js';
import { createEventStore } from '../ingest/index.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { reconcileWorkspace } from './reconciler.js';
import { JOB_RECONCILE, ReconcileScheduler } from './scheduler.js';
import { webhookReconciliation } from './migrations/004-reconciliation.js';
import { ReconciliationStore } from './store.js';
import { RECONCILE_TABLES } from './tables.js';
import { FailureBurst } from './failure-burst.js';

export { JOB_RECONCILE };

/**
 * Nothing Clockify sent is lost, even while we were down: Clockify logs every webhook delivery for
 * 7 days, and each installation reads the failed ones back (after a start, after a database outage,
 * after a burst of 5xx answers to Clockify's webhooks, and every WEBHOOK_RECONCILE_INTERVAL_MINUTES)
 * and ingests them like any webhook.
 */
export const reconcileRoom = defineRoom({
  name: 'reconcile',
  tables: RECONCILE_TABLES,
  migrations: [webhookReconciliation],
  setup: (runtime) => {
    const store = new ReconciliationStore(runtime.database.db);
    const scheduler = new ReconcileScheduler(runtime, store, runtime.config.webhooks.reconcileIntervalMinutes * 60_000);
    const burst = new FailureBurst(runtime.config.webhooks.reconcileAfterFailures);
    return {
      jobs: { [JOB_RECONCILE]: reconcileJob(runtime, store) },
      start: () => scheduler.start(),
      stop: () => scheduler.stop(),
      routes: async (app) => {
        // Every answer to Clockify's webhook routes (registered by the ingest room) is seen here.
        app.addHook('onResponse', (request, reply, done) => {
          if (reply.statusCode >= 500 && request.routeOptions.url?.startsWith('/webhooks/clockify') && burst.note(runtime.now()))
            scheduler.afterFailedDeliveries();
          done();
        });
      },
      uiRoutes: async (ui) => {
        await ui.register(reconciliationRoutes, { store });
      },
    };
  },
});

/** Reads one workspace's failed deliveries back; a failure is recorded for the sidebar, then retried. */
function reconcileJob(runtime: Runtime, store: ReconciliationStore): JobHandler {
  const events = createEventStore(runtime);
  return async (job, { signal, logger }) => {
    try {
      const result = await reconcileWorkspace(
        {
          runtime,
          events,
          store,
          onRecovered: (workspaceId, eventType, eventId) => {
            runtime.metrics.webhooksRecovered.inc({ event_type: eventType });
            runtime.bus.publish({ kind: 'webhook', workspaceId, data: { id: eventId, eventType, status: 'received', recovered: true } });
          },
        },
        job.workspaceId,
        signal,
      );
      if (result && result.recovered > 0)
        logger.info({ recovered: result.recovered, read: result.read }, "webhook deliveries recovered from Clockify's delivery logs");
    } catch (error) {
      await store.failed(job.workspaceId, error instanceof Error ? error.message : String(error), runtime.now()).catch(() => undefined);
      throw error;
    }
  };
}

const ReconciliationStatus = Type.Object({
  lastCheckedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  coveredUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastRecovered: Type.Integer(),
  recoveredTotal: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

async function reconciliationRoutes(ui: FastifyInstance, { store }: { store: ReconciliationStore }) {
  ui.get(
    '/ui/webhooks/reconciliation',
    {
      schema: {
        tags: ['webhooks'],
        summary: "When Clockify's webhook delivery log was last checked, and how many failed deliveries it gave back.",
        security: [{ userToken: [] }],
        response: { 200: ReconciliationStatus },
      },
    },
    async (request) => {
      const { workspaceId } = currentUser(request);
      const state = await store.get(workspaceId);
      return {
        lastCheckedAt: state?.lastAttemptAt ? new Date(state.lastAttemptAt).toISOString() : null,
        coveredUntil: state?.lastReconciledAt ? new Date(state.lastReconciledAt).toISOString() : null,
        lastRecovered: state?.lastRecovered ?? 0,
        recoveredTotal: state?.recoveredTotal ?? 0,
        lastError: state?.lastError ?? null,
      };
    },
  );
}
