import { buildRequest, getCatalog } from '../clockify/catalog/index.js';
import type { Runtime } from '../runtime.js';
import { purgedOnUninstall } from '../storage/data-policies.js';
import { deleteWorkspaceBatch } from '../storage/policy-deletes.js';
import type { JobHandler } from '../jobs/worker.js';
import type { WebhookRegistrar } from './registration.js';

/** Retries while some registration failed for a reason that may pass (5xx, network); plan limits and 4xx are reported, not retried. */
export function registerWebhooksJob(registrar: WebhookRegistrar): JobHandler {
  return async (job, { logger }) => {
    const { registered, failed } = await registrar.registerMissing(job.workspaceId);
    if (registered.length > 0) logger.info({ registered: registered.length }, 'webhooks registered through the REST API');
    const transient = failed.filter((f) => !f.permanent);
    if (failed.length > 0) logger.warn({ missing: failed.map((f) => f.event) }, 'some webhooks could not be registered');
    if (transient.length > 0) throw new Error(`could not register ${transient.map((f) => f.event).join(', ')}`);
  };
}

/** Best effort: Clockify usually invalidates the token before telling us, and removes add-on webhooks itself. */
export function unregisterWebhooksJob(runtime: Pick<Runtime, 'box' | 'client'>): JobHandler {
  return async (job, { logger }) => {
    const payload = job.payload as { sealedToken: string; backendUrl: string; webhookIds: string[] };
    const operation = getCatalog().get('deleteWebhook');
    if (!operation) return;
    const token = runtime.box.open(payload.sealedToken);
    let removed = 0;
    for (const webhookId of payload.webhookIds) {
      const request = buildRequest(
        operation,
        { params: { workspaceId: job.workspaceId, webhookId } },
        { backendUrl: payload.backendUrl, reportsUrl: payload.backendUrl },
      );
      const response = await runtime.client
        .call({
          workspaceId: job.workspaceId,
          token,
          operation,
          request,
          lane: 'interactive',
          throwOnHttpError: false,
          context: { source: 'system' },
        })
        .catch(() => undefined);
      if (response && response.status < 300) removed += 1;
    }
    logger.info({ removed, total: payload.webhookIds.length }, 'webhooks of an uninstalled workspace removed');
  };
}

/** Deletes an uninstalled workspace's data in batches, unless it was installed again meanwhile. */
export function purgeWorkspaceJob(runtime: Pick<Runtime, 'database' | 'dataPolicies' | 'metrics'>): JobHandler {
  return async (job, { logger, signal }) => {
    const db = runtime.database.db;
    const installation = await db
      .selectFrom('installations')
      .select('status')
      .where('workspace_id', '=', job.workspaceId)
      .executeTakeFirst();
    if (installation && installation.status !== 'DELETED') return;
    let total = 0;
    // Every table whose data policy says 'purge' (the rooms' declarations), children first.
    for (const policy of purgedOnUninstall(runtime.dataPolicies)) {
      const table = policy.table;
      for (;;) {
        if (signal.aborted) throw new Error('stopped');
        const removed = await deleteWorkspaceBatch(db, policy, job.workspaceId, 1000);
        total += removed;
        runtime.metrics.retentionRowsDeleted.inc({ table }, removed);
        if (removed < 1000) break;
      }
    }
    logger.info({ rows: total }, 'workspace data deleted after uninstall');
  };
}
