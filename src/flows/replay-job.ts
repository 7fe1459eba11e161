import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import { parseJsonOr } from '../util/json.js';
import type { FlowExecutor } from './executor.js';
import { scheduledEvent } from './schedule-ticker.js';
import type { FlowStore } from './store.js';

/** Runs a finished run's flow version again on the same event (the sidebar's "Replay"). */
export function replayRunJob(runtime: Pick<Runtime, 'database' | 'now'>, store: FlowStore, executor: FlowExecutor): JobHandler {
  return async (job, { signal }) => {
    const { runId } = job.payload as { runId: string };
    const original = await store.getRun(job.workspaceId, runId);
    if (!original?.run.eventId) return;
    const definition = await store.version(original.run.flowId, original.run.flowVersion);
    if (!definition) return;
    const flow = { id: original.run.flowId, version: original.run.flowVersion, definition, workspaceId: job.workspaceId };
    // A scheduled run's event is not stored: it is rebuilt from the run's event id.
    if (definition.trigger.kind === 'schedule') {
      const scheduled = scheduledEvent(definition, job.workspaceId, original.run.eventId, runtime.now());
      if (scheduled) await executor.run(flow, scheduled, { signal, replayOf: runId });
      return;
    }
    const event = await runtime.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', job.workspaceId).where('id', '=', original.run.eventId).executeTakeFirst();
    if (!event) return;
    await executor.run(
      flow,
      { id: event.id, workspaceId: event.workspace_id, source: event.source, eventType: event.event_type, payload: parseJsonOr(event.payload_json, null), receivedAt: Number(event.received_at) },
      { signal, replayOf: runId },
    );
  };
}
