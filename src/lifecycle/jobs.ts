import { buildRequest, getCatalog } from '../clockify/catalog/index.js';
import type { Runtime } from '../runtime.js';
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
export function unregisterWebhooksJob(runtime: Runtime): JobHandler {
  return async (job, { logger }) => {
    const payload = job.payload as { sealedToken: string; backendUrl: string; webhookIds: string[] };
    const operation = getCatalog().get('deleteWebhook');
    if (!operation) return;
    const token = runtime.box.open(payload.sealedToken);
    let removed = 0;
    for (const webhookId of payload.webhookIds) {
      const request = buildRequest(operation, { params: { workspaceId: job.workspaceId, webhookId } }, { backendUrl: payload.backendUrl, reportsUrl: payload.backendUrl });
      const response = await runtime.client
        .call({ workspaceId: job.workspaceId, token, operation, request, lane: 'interactive', throwOnHttpError: false, context: { source: 'system' } })
        .catch(() => undefined);
      if (response && response.status < 300) removed += 1;
    }
    logger.info({ removed, total: payload.webhookIds.length }, 'webhooks of an uninstalled workspace removed');
  };
}

const WORKSPACE_TABLES = [
  'webhook_events', 'flow_action_results', 'flow_runs', 'flow_versions', 'flows', 'api_calls',
  'entity_cache', 'bootstrap_steps', 'bootstrap_runs', 'custom_sources', 'webhook_registrations', 'rejected_requests',
] as const;

/** Deletes an uninstalled workspace's data in batches, unless it was installed again meanwhile. */
export function purgeWorkspaceJob(runtime: Runtime): JobHandler {
  return async (job, { logger, signal }) => {
    const db = runtime.database.db;
    const installation = await db.selectFrom('installations').select('status').where('workspace_id', '=', job.workspaceId).executeTakeFirst();
    if (installation && installation.status !== 'DELETED') return;
    let total = 0;
    for (const table of WORKSPACE_TABLES) {
      for (;;) {
        if (signal.aborted) throw new Error('stopped');
        const removed = await deleteBatch(runtime, table, job.workspaceId, 1000);
        total += removed;
        runtime.metrics.retentionRowsDeleted.inc({ table }, removed);
        if (removed < 1000) break;
      }
    }
    logger.info({ rows: total }, 'workspace data deleted after uninstall');
  };
}

async function deleteBatch(runtime: Runtime, table: (typeof WORKSPACE_TABLES)[number], workspaceId: string, limit: number): Promise<number> {
  const db = runtime.database.db as any;
  // Row ids differ per table; deleting by a bounded sub-select of the workspace's rows keeps each statement short.
  const key = table === 'bootstrap_steps' ? ['run_id', 'step_key'] : table === 'entity_cache' ? ['entity_type', 'entity_id'] : table === 'flow_versions' ? ['flow_id', 'version'] : table === 'flow_action_results' ? ['idempotency_key'] : ['id'];
  if (key.length === 1) {
    const result = await db.deleteFrom(table).where(key[0], 'in', db.selectFrom(table).select(key[0]).where('workspace_id', '=', workspaceId).limit(limit)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  const rows: Record<string, unknown>[] = await db.selectFrom(table).select(key).where('workspace_id', '=', workspaceId).limit(limit).execute();
  for (const row of rows) {
    let query = db.deleteFrom(table).where('workspace_id', '=', workspaceId);
    for (const column of key) query = query.where(column, '=', row[column]);
    await query.execute();
  }
  return rows.length;
}
