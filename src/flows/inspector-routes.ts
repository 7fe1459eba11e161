import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { ownRowsOnly, runFor } from '../server/access-policy.js';
import { problems } from '../server/problems.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import { JOB_REPLAY_RUN } from './replay-job.js';
import type { ReplayPayload } from './replay-job.js';
import { FINISHED, RETRYABLE, planRetry, retryJobKey } from './retry-plan.js';
import type { FlowRunView, FlowStore, RunFilter } from './store.js';
import { RunStatus } from './schemas.js';

/** At most this many runs per bulk retry: a filter matching more retries the newest ones and says so. */
export const RETRY_LIMIT = 100;
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const IdList = (max: number, description: string) =>
  Type.String({ maxLength: max * 65, pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', description });
const Outcome = RunStatus;
const EventType = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' });
const FilterFields = {
  flowId: Type.Optional(Id),
  eventType: Type.Optional(EventType),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
const RunsQuery = Type.Object({
  ...FilterFields,
  status: Type.Optional(Outcome),
  replayOf: Type.Optional(IdList(RETRY_LIMIT, "Comma-separated run ids: only their retries (a bulk retry's progress).")),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const Run = Type.Object({
  id: Type.String(),
  flowId: Type.String(),
  flowName: Type.Union([Type.String(), Type.Null()], { description: 'Null when the flow was deleted since.' }),
  flowVersion: Type.Integer(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  eventType: Type.Union([Type.String(), Type.Null()], { description: "The stored event's type; null for a scheduled run." }),
  status: Type.String(),
  matched: Type.Boolean(),
  trace: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Number(),
  finishedAt: Type.Union([Type.Number(), Type.Null()]),
});
const RunPage = Type.Object({ runs: Type.Array(Run), nextCursor: Type.Union([Type.String(), Type.Null()]) });
const RetryBody = Type.Object({
  runIds: Type.Optional(
    Type.Array(Id, {
      minItems: 1,
      maxItems: RETRY_LIMIT,
      description: 'Runs picked: in the inspector, on a run detail, or the runs of an event.',
    }),
  ),
  filter: Type.Optional(
    Type.Object(FilterFields, {
      additionalProperties: false,
      description: 'Every failed run matching it (the newest first, at most the limit).',
    }),
  ),
  version: Type.Union([Type.Literal('original'), Type.Literal('current')], {
    description: 'Run the version each run used, or the flow as it is now.',
  }),
  include: Type.Optional(
    Type.Union([Type.Literal('failed'), Type.Literal('finished')], {
      description:
        "Which picked runs are retried: failed ones (the default), or any finished one (succeeded and not matched too: the run detail's Retry and the event page's Run its flows again).",
    }),
  ),
});
const RetryQueued = Type.Object({
  queued: Type.Integer({ description: 'Retries queued now.' }),
  runIds: Type.Array(Type.String(), { description: 'The runs retried (each retry is a new run whose replayOf is one of them).' }),
  skipped: Type.Array(Type.Object({ runId: Type.String(), reason: Type.String() }), {
    description: 'Runs not retried, and why (among them: an older run of a flow on an event, and a retry already queued).',
  }),
  more: Type.Boolean({ description: `The filter matched more than ${RETRY_LIMIT} failed runs; retry again for the rest.` }),
  version: Type.String(),
});

const dateOf = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
const filterOf = (q: {
  flowId?: string | undefined;
  eventType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): RunFilter => ({
  flowId: q.flowId,
  eventType: q.eventType,
  from: dateOf(q.from),
  to: dateOf(q.to),
});

/** The execution inspector: runs of every flow with filters, and bulk retry of failed ones through the queue. */
export async function inspectorRoutes(ui: FastifyInstance, { runtime, store }: { runtime: Runtime; store: FlowStore }) {
  const tags = ['flows'];
  const db = runtime.database.db;

  ui.get<{ Querystring: Static<typeof RunsQuery> }>(
    '/ui/flows/runs',
    {
      schema: {
        tags,
        summary:
          'Runs of every flow, newest first, filtered by flow, outcome, event type and date (members: runs about them, outcomes only).',
        querystring: RunsQuery,
        response: { 200: RunPage },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      const page = await store.listRuns(user.workspaceId, {
        ...filterOf(q),
        status: q.status,
        replayOf: q.replayOf?.split(','),
        before: q.cursor,
        limit: q.limit ?? 50,
        aboutUser: ownRowsOnly(user),
      });
      const [flows, types] = await Promise.all([
        store.list(user.workspaceId),
        store.eventTypes(
          user.workspaceId,
          page.runs.map((run) => run.eventId).filter((id): id is string => id !== null),
        ),
      ]);
      const names = new Map(flows.map((flow) => [flow.id, flow.name]));
      const runs = page.runs.map((run) =>
        runFor(user, { ...run, flowName: names.get(run.flowId) ?? null, eventType: run.eventId ? (types.get(run.eventId) ?? null) : null }),
      );
      return { runs, nextCursor: page.nextCursor };
    },
  );

  ui.post<{ Body: Static<typeof RetryBody> }>(
    '/ui/flows/runs/retry',
    {
      schema: {
        tags,
        summary: `Retry failed runs (picked, or every one matching a filter; at most ${RETRY_LIMIT}; include 'finished': any ended run) with their original version or the current one; each retry is a new run, queued; only the latest run of a flow on an event, once at a time (admins).`,
        body: RetryBody,
        response: { 202: RetryQueued },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const { runIds, filter, version, include } = request.body;
      if ((runIds === undefined) === (filter === undefined))
        throw problems.badRequest('retry-selection', 'Give either runIds or filter.', [
          { field: 'body.runIds', message: 'give runIds or filter' },
        ]);
      let runs: FlowRunView[];
      let more = false;
      if (runIds) {
        const wanted = [...new Set(runIds)];
        runs = await store.runsById(user.workspaceId, wanted);
        const found = new Set(runs.map((run) => run.id));
        const stray = wanted.filter((id) => !found.has(id));
        if (stray.length > 0)
          throw problems.badRequest(
            'unknown-run',
            `${stray.length} run id(s) are not runs of this workspace: ${stray.slice(0, 5).join(', ')}`,
            stray.slice(0, 20).map((id) => ({ field: 'body.runIds', message: `${id} is not a run of this workspace` })),
          );
      } else {
        const page = await store.listRuns(user.workspaceId, {
          ...filterOf(filter!),
          statuses: include === 'finished' ? [...FINISHED] : [...RETRYABLE],
          limit: RETRY_LIMIT,
        });
        runs = page.runs;
        more = page.nextCursor !== null;
      }
      const [flows, newest] = await Promise.all([
        store.list(user.workspaceId),
        store.newestRunsOn(
          user.workspaceId,
          runs.map((run) => run.eventId).filter((id): id is string => id !== null),
        ),
      ]);
      const plan = planRetry(runs, { version, finished: include === 'finished', flowIds: new Set(flows.map((flow) => flow.id)), newest });
      const skipped = [...plan.skipped];
      const retried: string[] = [];
      await db.transaction().execute(async (trx) => {
        for (const run of plan.retry) {
          const payload: ReplayPayload = { runId: run.id, version };
          const job = await runtime.queue.enqueue(
            { kind: JOB_REPLAY_RUN, workspaceId: user.workspaceId, payload, dedupeKey: retryJobKey(run) },
            trx,
          );
          if (job === undefined)
            skipped.push({ runId: run.id, reason: 'a retry of this flow on the same event is already queued or running' });
          else retried.push(run.id);
        }
      });
      runtime.queue.notify();
      return reply.code(202).send({ queued: retried.length, runIds: retried, skipped, more, version });
    },
  );
}
