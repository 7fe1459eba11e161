/**
 * Runs a flow on request ("Run now" and backfills) through the same durable path as a live event:
 * a queued job, the executor's run record and its idempotency ledger. A flow acts at most once per
 * stored event whatever its version (Retry exists to act again); a sample run gets its own id per
 * request, so a retried job resumes that run instead of starting another.
 */
import type { Kysely } from 'kysely';
import type { JobHandler } from '../jobs/worker.js';
import { readResourceJson } from '../resources.js';
import type { Runtime } from '../runtime.js';
import type { DatabaseSchema } from '../storage/schema.js';
import { parseJsonOr } from '../util/json.js';
import type { FlowExecutor } from './executor.js';
import type { FlowStore, StoredFlow } from './store.js';

export const JOB_MANUAL_RUN = 'flow.manual-run';
/** Most events one backfill request may queue. */
export const BACKFILL_LIMIT = 500;

export type ManualRunPayload = { flowId: string; eventId: string } | { flowId: string; sample: { id: string; eventType: string } };

export const manualRunDedupeKey = (flowId: string, eventId: string) => `${JOB_MANUAL_RUN}:${flowId}:${eventId}`;

/** The event source a flow's trigger listens to. */
export function triggerSource(flow: Pick<StoredFlow, 'definition'>): string {
  const trigger = flow.definition.trigger;
  if (trigger.kind === 'schedule') return 'schedule';
  return trigger.kind === 'clockify' ? 'clockify' : `custom:${trigger.sourceId}`;
}

function triggerTypes(flow: Pick<StoredFlow, 'definition'>): string[] | undefined {
  const trigger = flow.definition.trigger;
  if (trigger.kind === 'clockify') return trigger.events;
  if (trigger.kind === 'schedule') return ['schedule'];
  return trigger.eventTypes && trigger.eventTypes.length > 0 ? trigger.eventTypes : undefined;
}

/** Stored events of the workspace that trigger the flow: the given ids, or the newest `last`; newest first. */
export async function triggeringEvents(
  db: Kysely<DatabaseSchema>,
  flow: StoredFlow,
  pick: { eventIds: string[] } | { last: number },
): Promise<string[]> {
  const types = triggerTypes(flow);
  if ('eventIds' in pick && pick.eventIds.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_events')
    .select('id')
    .where('workspace_id', '=', flow.workspaceId)
    .where('source', '=', triggerSource(flow))
    .$if(types !== undefined, (q) => q.where('event_type', 'in', types!))
    .$if('eventIds' in pick, (q) => q.where('id', 'in', (pick as { eventIds: string[] }).eventIds))
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .$if('last' in pick, (q) => q.limit((pick as { last: number }).last))
    .execute();
  return rows.map((row) => row.id);
}

/** Which of the events this flow has already run on (any version; replays do not count). */
export async function eventsAlreadyRun(
  db: Kysely<DatabaseSchema>,
  workspaceId: string,
  flowId: string,
  eventIds: string[],
  exceptVersion?: number,
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('flow_runs')
    .select('event_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('flow_id', '=', flowId)
    .where('replay_of', 'is', null)
    .where('event_id', 'in', eventIds)
    .$if(exceptVersion !== undefined, (q) => q.where('flow_version', '!=', exceptVersion!))
    .execute();
  return new Set(rows.map((row) => row.event_id!));
}

export function manualRunJob(runtime: Pick<Runtime, 'now' | 'database'>, store: FlowStore, executor: FlowExecutor): JobHandler {
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
  return async (job, { signal }) => {
    const payload = job.payload as ManualRunPayload;
    const flow = await store.get(job.workspaceId, payload.flowId);
    if (!flow) return;
    if ('sample' in payload) {
      const sample = samples[payload.sample.eventType];
      if (sample === undefined) return;
      await executor.run(
        flow,
        {
          id: payload.sample.id,
          workspaceId: job.workspaceId,
          source: triggerSource(flow),
          eventType: payload.sample.eventType,
          payload: sample,
          receivedAt: runtime.now(),
        },
        { signal },
      );
      return;
    }
    // A run of the current version is resumed or reported done by the executor; any other version means done.
    if ((await eventsAlreadyRun(runtime.database.db, job.workspaceId, flow.id, [payload.eventId], flow.version)).size > 0) return;
    const event = await runtime.database.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('workspace_id', '=', job.workspaceId)
      .where('id', '=', payload.eventId)
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
      { signal },
    );
  };
}
