import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import { parseJsonOr } from '../util/json.js';
import type { FlowExecutor } from './executor.js';
import { scheduledEvent } from './schedule-ticker.js';
import type { FlowStore } from './store.js';

export const JOB_REPLAY_RUN = 'flow.replay';

/**
 * A replay (one run, or a bulk retry from the inspector): `original` runs the definition the run
 * used, `current` the flow as it is now. Older jobs carry no version and meant the original.
 */
export interface ReplayPayload {
  runId: string;
  version?: 'original' | 'current';
}

/** Runs the flow again on the run's event, as a new run linked to the old one (replay_of). */
export function replayRunJob(runtime: Pick<Runtime, 'database' | 'now'>, store: FlowStore, executor: FlowExecutor): JobHandler {
  return async (job, { signal }) => {
    const { runId, version } = job.payload as ReplayPayload;
    const original = await store.getRun(job.workspaceId, runId);
    if (!original?.run.eventId) return;
    const flow = await flowToRun(store, job.workspaceId, original.run.flowId, version === 'current' ? 'current' : original.run.flowVersion);
    // The flow was deleted since (current), or its version is gone: nothing to run.
    if (!flow) return;
    // A scheduled run's event is not stored: it is rebuilt from the run's event id.
    if (flow.definition.trigger.kind === 'schedule') {
      const scheduled = scheduledEvent(flow.definition, job.workspaceId, original.run.eventId, runtime.now());
      if (scheduled) await executor.run(flow, scheduled, { signal, replayOf: runId });
      return;
    }
    const event = await runtime.database.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('workspace_id', '=', job.workspaceId)
      .where('id', '=', original.run.eventId)
      .executeTakeFirst();
    if (!event) return;
    await executor.run(
      flow,
      {
        id: event.id,
        workspaceId: event.workspace_id,
        source: event.source,
        eventType: event.event_type,
        payload: parseJsonOr(event.payload_json, null),
        receivedAt: Number(event.received_at),
      },
      { signal, replayOf: runId },
    );
  };
}

async function flowToRun(store: FlowStore, workspaceId: string, flowId: string, version: number | 'current') {
  if (version === 'current') {
    const flow = await store.get(workspaceId, flowId);
    return flow ? { id: flow.id, version: flow.version, definition: flow.definition, workspaceId } : undefined;
  }
  const definition = await store.version(flowId, version);
  return definition ? { id: flowId, version, definition, workspaceId } : undefined;
}
