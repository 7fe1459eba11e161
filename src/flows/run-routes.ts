import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readResourceJson } from '../resources.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { requireAdmin } from '../lifecycle/user-auth.js';
import type { UserContext } from '../lifecycle/user-auth.js';
import { newId } from '../util/ids.js';
import { BACKFILL_LIMIT, JOB_MANUAL_RUN, eventsAlreadyRun, manualRunDedupeKey, triggeringEvents } from './manual-runs.js';
import type { ManualRunPayload } from './manual-runs.js';
import type { FlowStore, StoredFlow } from './store.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const FlowParams = Type.Object({ flowId: Id });
const RunNowBody = Type.Object({
  eventId: Type.Optional(Type.String({ ...Id, description: 'A stored event the flow has not run on yet.' })),
  eventType: Type.Optional(
    Type.String({ maxLength: 100, description: "One of the flow's trigger events; its bundled sample payload is used." }),
  ),
});
const Last = Type.Integer({
  minimum: 1,
  maximum: BACKFILL_LIMIT,
  description: `The newest N stored events that trigger the flow (at most ${BACKFILL_LIMIT}).`,
});
const BackfillBody = Type.Object({
  eventIds: Type.Optional(
    Type.Array(Id, { minItems: 1, maxItems: BACKFILL_LIMIT, description: 'Stored events picked from the event log.' }),
  ),
  last: Type.Optional(Last),
});
const PreviewQuery = Type.Object({
  last: Type.Optional(Last),
  eventIds: Type.Optional(
    Type.String({
      maxLength: BACKFILL_LIMIT * 65,
      pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$',
      description: 'Comma-separated stored event ids.',
    }),
  ),
});
const RunQueued = Type.Object({
  queued: Type.Integer({ description: 'Runs queued (1).' }),
  eventId: Type.String({ description: 'The stored event, or the sample event made for this run.' }),
});
const BackfillQueued = Type.Object({
  matching: Type.Integer({ description: 'Stored events that trigger the flow among those asked for.' }),
  alreadyRun: Type.Integer({ description: 'Of those, events the flow has run on before (skipped).' }),
  queued: Type.Integer({ description: 'Runs queued now.' }),
  eventIds: Type.Array(Type.String(), { description: 'The events they run on.' }),
});
const Preview = Type.Object({
  matching: Type.Integer({ description: 'Stored events that trigger the flow among those asked for.' }),
  alreadyRun: Type.Integer({ description: 'Of those, events the flow has run on before (skipped).' }),
  toRun: Type.Integer({ description: 'Runs a backfill would queue now.' }),
});

/** "Run now" and backfills of a flow: admins queue real runs; everything goes through the job queue. */
export async function flowRunRoutes(ui: FastifyInstance, { runtime, store }: { runtime: Runtime; store: FlowStore }) {
  const tags = ['flows'];
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
  const db = runtime.database.db;

  const load = async (user: UserContext, flowId: string) => {
    const flow = await store.get(user.workspaceId, flowId);
    if (!flow) throw problems.notFound('unknown-flow', 'No flow with this id in this workspace.');
    return flow;
  };

  const selection = (pick: { eventIds?: string[] | undefined; last?: number | undefined }, field: string) => {
    if ((pick.eventIds === undefined) === (pick.last === undefined))
      throw problems.badRequest('backfill-selection', 'Give either eventIds or last.', [{ field, message: 'give eventIds or last' }]);
    return pick.eventIds ? { eventIds: [...new Set(pick.eventIds)] } : { last: pick.last! };
  };

  /** The events a backfill would queue, refusing ids that are unknown or do not trigger the flow. */
  const plan = async (flow: StoredFlow, pick: { eventIds: string[] } | { last: number }, field: string) => {
    const matching = await triggeringEvents(db, flow, pick);
    if ('eventIds' in pick) {
      const found = new Set(matching);
      const stray = pick.eventIds.filter((id) => !found.has(id));
      if (stray.length > 0)
        throw problems.badRequest(
          'unknown-event',
          `${stray.length} event id(s) are not stored events of this workspace that trigger this flow: ${stray.slice(0, 5).join(', ')}`,
          stray.slice(0, 20).map((id) => ({ field, message: `${id} is not a stored event that triggers this flow` })),
        );
    }
    const done = await eventsAlreadyRun(db, flow.workspaceId, flow.id, matching);
    return { matching, toRun: matching.filter((id) => !done.has(id)), alreadyRun: done.size };
  };

  const queue = async (workspaceId: string, jobs: { payload: ManualRunPayload; dedupeKey: string }[]) => {
    await db.transaction().execute(async (trx) => {
      for (const job of jobs)
        await runtime.queue.enqueue({ kind: JOB_MANUAL_RUN, workspaceId, payload: job.payload, dedupeKey: job.dedupeKey }, trx);
    });
    runtime.queue.notify();
  };

  ui.post<{ Params: Static<typeof FlowParams>; Body: Static<typeof RunNowBody> }>(
    '/ui/flows/:flowId/run',
    {
      schema: {
        tags,
        summary: 'Run now: queue a real run of the flow on a stored event or on a sample of one of its trigger events (admins).',
        params: FlowParams,
        body: RunNowBody,
        response: { 202: RunQueued },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const flow = await load(user, request.params.flowId);
      const { eventId, eventType } = request.body;
      if ((eventId === undefined) === (eventType === undefined))
        throw problems.badRequest('run-now-event', 'Give either eventId (a stored event) or eventType (a sample).', [
          { field: 'body.eventId', message: 'give eventId or eventType' },
        ]);
      if (eventId !== undefined) {
        const { toRun, matching } = await plan(flow, { eventIds: [eventId] }, 'body.eventId');
        if (toRun.length === 0) {
          const [previous] = await db
            .selectFrom('flow_runs')
            .select('id')
            .where('workspace_id', '=', user.workspaceId)
            .where('flow_id', '=', flow.id)
            .where('event_id', '=', matching[0]!)
            .where('replay_of', 'is', null)
            .orderBy('started_at', 'desc')
            .limit(1)
            .execute();
          throw problems.conflict(
            'already-ran',
            `This flow already ran on this event (run ${previous?.id ?? 'unknown'}); retry that run (Retry on its detail) to act again.`,
          );
        }
        await queue(user.workspaceId, [{ payload: { flowId: flow.id, eventId }, dedupeKey: manualRunDedupeKey(flow.id, eventId) }]);
        return reply.code(202).send({ queued: 1, eventId });
      }
      const trigger = flow.definition.trigger;
      const allowed = trigger.kind === 'clockify' ? trigger.events : trigger.kind === 'custom' ? (trigger.eventTypes ?? []) : [];
      if (!allowed.includes(eventType!) || samples[eventType!] === undefined) {
        throw problems.badRequest(
          'no-sample',
          `No bundled sample of "${eventType}" among this flow's trigger events (${allowed.filter((type) => samples[type] !== undefined).join(', ') || 'none'}).`,
          [{ field: 'body.eventType', message: 'must be a trigger event of the flow with a sample' }],
        );
      }
      const sampleId = `sample-${newId(runtime.now())}`;
      await queue(user.workspaceId, [
        { payload: { flowId: flow.id, sample: { id: sampleId, eventType: eventType! } }, dedupeKey: manualRunDedupeKey(flow.id, sampleId) },
      ]);
      return reply.code(202).send({ queued: 1, eventId: sampleId });
    },
  );

  ui.get<{ Params: Static<typeof FlowParams>; Querystring: Static<typeof PreviewQuery> }>(
    '/ui/flows/:flowId/backfill/preview',
    {
      schema: {
        tags,
        summary: 'How many stored events a backfill would run the flow on (admins; nothing is queued).',
        params: FlowParams,
        querystring: PreviewQuery,
        response: { 200: Preview },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      const flow = await load(user, request.params.flowId);
      const ids = request.query.eventIds?.split(',');
      if (ids && ids.length > BACKFILL_LIMIT)
        throw problems.badRequest('too-many-events', `At most ${BACKFILL_LIMIT} events per backfill.`, [
          { field: 'query.eventIds', message: `at most ${BACKFILL_LIMIT}` },
        ]);
      const result = await plan(flow, selection({ eventIds: ids, last: request.query.last }, 'query'), 'query.eventIds');
      return { matching: result.matching.length, alreadyRun: result.alreadyRun, toRun: result.toRun.length };
    },
  );

  ui.post<{ Params: Static<typeof FlowParams>; Body: Static<typeof BackfillBody> }>(
    '/ui/flows/:flowId/backfill',
    {
      schema: {
        tags,
        summary: `Backfill: queue a run of the flow on picked stored events or the newest N (at most ${BACKFILL_LIMIT}); events it already ran on are skipped (admins).`,
        params: FlowParams,
        body: BackfillBody,
        response: { 202: BackfillQueued },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const flow = await load(user, request.params.flowId);
      const result = await plan(flow, selection(request.body, 'body'), 'body.eventIds');
      await queue(
        user.workspaceId,
        result.toRun.map((eventId) => ({ payload: { flowId: flow.id, eventId }, dedupeKey: manualRunDedupeKey(flow.id, eventId) })),
      );
      return reply
        .code(202)
        .send({ matching: result.matching.length, alreadyRun: result.alreadyRun, queued: result.toRun.length, eventIds: result.toRun });
    },
  );
}
