/**
 * "Execute this step" in the flow editor: one step on pinned data (a sample, or the outputs of the
 * earlier steps in a past run). Two routes so the role rule stays in access-policy.ts: the preview
 * renders and evaluates only (everyone, like a dry run); the execution runs the step for real
 * (admins), and a step that writes only when `send` says so.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { CredentialStore } from '../credentials/store.js';
import type { Runtime } from '../runtime.js';
import { assertAdminRead } from '../server/access-policy.js';
import { HttpProblem, problems } from '../server/problems.js';
import { currentUser, type UserContext } from '../lifecycle/user-auth.js';
import { readResourceJson } from '../resources.js';
import { parseJsonOr } from '../util/json.js';
import { definitionChecks } from './definition-checks.js';
import type { FlowExecutor } from './executor.js';
import type { FlowDefinition } from './model.js';
import { DRY_RUN_SAMPLE_LIMIT } from './routes.js';
import { scheduledEvent } from './schedule-ticker.js';
import { DryRunStepSchema } from './schemas.js';
import { ACTION_ID_PATTERN } from './shared/flow-constants.js';
import type { FlowStore } from './store.js';

/** How long a step executed for real may take before it is abandoned (its own calls time out sooner). */
const STEP_TIMEOUT_MS = 30_000;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const StepBody = Type.Object({
  definition: Type.Unknown({ description: 'The flow as drafted in the editor (checked like a save).' }),
  stepId: Type.String({ pattern: ACTION_ID_PATTERN, description: 'A top-level step of the definition.' }),
  runId: Type.Optional(Type.String({ ...Id, description: "A past run: its event and its earlier steps' recorded outputs are pinned." })),
  eventType: Type.Optional(Type.String({ maxLength: 100, description: 'Without runId: the bundled sample of this event type.' })),
  sample: Type.Optional(Type.Unknown({ description: 'Without runId: this payload as the event (the dry-run sample).' })),
  send: Type.Optional(Type.Boolean({ description: 'Execute only: really send a step that writes (a Clockify write, an HTTP request).' })),
});
const StepResult = Type.Object({
  stepId: Type.String(),
  kind: Type.String(),
  mode: Type.Union([Type.Literal('executed'), Type.Literal('preview')], {
    description: 'executed: it really ran; preview: rendered and evaluated only.',
  }),
  writes: Type.Boolean({ description: 'Running it for real changes something (needs send).' }),
  pinned: Type.Union([Type.Literal('run'), Type.Literal('sample')]),
  status: Type.String({ description: 'succeeded, failed, skipped, waiting, or preview' }),
  input: Type.Unknown({ description: 'What the step saw: {event, trigger, steps?}, masked and bounded.' }),
  request: Type.Unknown(),
  output: Type.Unknown({ description: 'What later steps would read as steps.<id>.' }),
  error: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  children: Type.Optional(Type.Array(DryRunStepSchema)),
  durationMs: Type.Number(),
});

export async function stepTestRoutes(
  ui: FastifyInstance,
  { runtime, store, executor, credentials }: { runtime: Runtime; store: FlowStore; executor: FlowExecutor; credentials: CredentialStore },
) {
  const tags = ['flows'];
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
  const checks = definitionChecks(runtime, credentials);

  /** The event and earlier outputs of a past run (admins: they are what Clockify answered the installation). */
  const fromRun = async (user: UserContext, definition: FlowDefinition, index: number, runId: string) => {
    assertAdminRead(user);
    const found = await store.getRun(user.workspaceId, runId);
    if (!found) throw problems.notFound('unknown-run', 'No run with this id in this workspace.');
    const { run, actions } = found;
    const row = run.eventId
      ? await runtime.database.db
          .selectFrom('webhook_events')
          .select(['id', 'event_type', 'source', 'payload_json'])
          .where('workspace_id', '=', user.workspaceId)
          .where('id', '=', run.eventId)
          .executeTakeFirst()
      : undefined;
    const scheduled =
      !row && run.eventId && definition.trigger.kind === 'schedule'
        ? scheduledEvent(definition, user.workspaceId, run.eventId, runtime.now())
        : undefined;
    const event = row
      ? { id: row.id, eventType: row.event_type, source: row.source, payload: parseJsonOr(row.payload_json, null) }
      : scheduled;
    if (!event)
      throw problems.conflict(
        'run-event-gone',
        "This run's event is not stored (a sample run, or removed by retention): pin the sample instead.",
      );
    const earlier = new Set(definition.actions.slice(0, index).map((step) => step.id));
    const steps: Record<string, Record<string, unknown>> = {};
    for (const action of actions) {
      if (action.path !== action.actionId || !earlier.has(action.actionId)) continue;
      const { error: _error, resumeAtMs: _at, ...output } = (action.response ?? {}) as Record<string, unknown>;
      steps[action.actionId] = action.status === 'skipped' ? { status: 'skipped', skipped: true } : output;
    }
    return { event, steps };
  };

  const fromSample = (body: Static<typeof StepBody>, definition: FlowDefinition) => {
    if (body.sample !== undefined && (JSON.stringify(body.sample)?.length ?? 0) > DRY_RUN_SAMPLE_LIMIT)
      throw new HttpProblem(413, 'sample-too-large', `The sample is larger than ${DRY_RUN_SAMPLE_LIMIT} bytes of JSON (limit sample).`, [
        { field: 'body.sample', message: `must be at most ${DRY_RUN_SAMPLE_LIMIT} bytes of JSON` },
      ]);
    const eventType = body.eventType ?? (definition.trigger.kind === 'clockify' ? definition.trigger.events[0] : undefined);
    const payload = body.sample ?? (eventType ? samples[eventType] : undefined);
    if (payload === undefined)
      throw problems.badRequest('no-sample', 'Give runId (a past run), a sample payload, or an eventType that has a bundled sample.', [
        { field: 'body.sample', message: 'required' },
      ]);
    return { event: { eventType: eventType ?? 'custom', payload } };
  };

  const handle = async (user: UserContext, body: Static<typeof StepBody>, execute: boolean) => {
    const definition = await checks.validate(user.workspaceId, body.definition);
    const index = definition.actions.findIndex((step) => step.id === body.stepId);
    if (index < 0)
      throw problems.badRequest(
        'unknown-step',
        `No top-level step "${body.stepId}" in this flow (a step inside a branch or a loop runs with the step that holds it).`,
        [{ field: 'body.stepId', message: 'must be a top-level step of the definition' }],
      );
    const pin = body.runId ? await fromRun(user, definition, index, body.runId) : fromSample(body, definition);
    const result = await executor.executeStep(definition, user.workspaceId, index, pin, {
      execute,
      send: body.send === true,
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    return { ...result, pinned: body.runId ? ('run' as const) : ('sample' as const) };
  };

  ui.post<{ Body: Static<typeof StepBody> }>(
    '/ui/flows/steps/preview',
    {
      schema: {
        tags,
        summary:
          "Preview one step on pinned data (a sample; admins also a past run's outputs): its input and rendered request; nothing is sent.",
        body: StepBody,
        response: { 200: StepResult },
      },
    },
    async (request) => handle(currentUser(request), request.body, false),
  );

  ui.post<{ Body: Static<typeof StepBody> }>(
    '/ui/flows/steps/execute',
    {
      schema: {
        tags,
        summary:
          'Execute one step on pinned data (admins): read-only steps run for real; a step that writes only with send: true. Nothing is recorded.',
        body: StepBody,
        response: { 200: StepResult },
      },
    },
    async (request) => handle(currentUser(request), request.body, true),
  );
}
