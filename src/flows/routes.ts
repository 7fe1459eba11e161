import type { WorkspaceTimeZones } from './workspace-time-zone.js';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Runtime } from '../runtime.js';
import { HttpProblem, problems } from '../server/problems.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import type { UserContext } from '../lifecycle/user-auth.js';
import { actionResultFor, ownRowsOnly, payloadFor, runFor } from '../server/access-policy.js';
import { readResourceJson } from '../resources.js';
import { parseJsonOr } from '../util/json.js';
import type { FlowExecutor } from './executor.js';
import { TemplateInputError, findFlowTemplate, flowTemplatesFor } from './library.js';
import type { FlowDefinition } from './model.js';
import type { FlowStore, StoredFlow } from './store.js';
import { definitionChecks } from './definition-checks.js';
import { RunDetailSchema } from './run-detail-schema.js';
import { DryRunResult, EventSample, FlowList, OneFlow, RunPage, RunStatus, TemplateList } from './schemas.js';
import { NoContent } from '../server/problem-schema.js';
import { PYTHON_FLOW_FIELDS, looksLikePythonFlow, translatePythonFlow } from './python-import.js';
import type { CredentialStore } from '../credentials/store.js';

/** A dry run's inline sample: real events are a few KB; a stored event (by eventId) may be larger. */
export const DRY_RUN_SAMPLE_LIMIT = 256 * 1024;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const FlowParams = Type.Object({ flowId: Id });
const RunParams = Type.Object({ runId: Id });
/** Ours (`{definition}`) or the Python system's flow itself ({name, enabled, trigger_event_types, conditions, actions}), translated. */
const CreateBody = Type.Object(
  {
    definition: Type.Optional(Type.Unknown({ description: 'Our flow definition.' })),
    ...Object.fromEntries(
      PYTHON_FLOW_FIELDS.map((name) => [
        name,
        Type.Optional(Type.Unknown({ description: "A field of the Python system's flow definition (imported, translated to ours)." })),
      ]),
    ),
  },
  { additionalProperties: true },
);
const WorkspaceQuery = Type.Object({ workspace_id: Type.Optional(Type.String({ maxLength: 100 })) });
const TestBody = Type.Object({
  definition: Type.Optional(Type.Unknown()),
  eventId: Type.Optional(Id),
  sample: Type.Optional(Type.Unknown()),
  eventType: Type.Optional(Type.String({ maxLength: 100 })),
});
const RunsQuery = Type.Object({
  status: Type.Optional(RunStatus),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const TemplateBody = Type.Object({
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** The sidebar creates template flows switched off, to be tried with a dry run first. */
  enabled: Type.Optional(Type.Boolean()),
});

/** Run lists as the viewer may see them (access-policy): members get outcomes only. */
const runsFor = <T extends { runs: Parameters<typeof runFor>[1][] }>(user: UserContext, page: T): T => ({
  ...page,
  runs: page.runs.map((run) => runFor(user, run)),
});

/** The flows HTTP API: reads for everyone in the workspace, writes for admins. */
export async function flowRoutes(
  ui: FastifyInstance,
  {
    runtime,
    store,
    executor,
    credentials,
    timeZones,
  }: { runtime: Runtime; store: FlowStore; executor: FlowExecutor; credentials: CredentialStore; timeZones: WorkspaceTimeZones },
) {
  const tags = ['flows'];
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = ui.withTypeProvider<TypeBoxTypeProvider>();
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');

  const checks = definitionChecks(runtime, credentials);
  const validate = (user: UserContext, input: unknown) => checks.validate(user.workspaceId, input);
  const withoutLiteralSecrets = (user: UserContext, definition: FlowDefinition) =>
    checks.withoutLiteralSecrets(user.workspaceId, definition);
  const view = (flow: StoredFlow) => ({ ...flow, trigger: flow.definition.trigger });
  /** A Python flow definition as ours (400 naming each untranslatable field); ours passes through. */
  const fromBody = async (user: UserContext, body: unknown, base?: FlowDefinition): Promise<unknown> => {
    if (!looksLikePythonFlow(body)) {
      if (body && typeof body === 'object' && 'definition' in body) return (body as { definition: unknown }).definition;
      throw problems.badRequest(
        'invalid-flow',
        'Send {"definition": …} or a flow of the Python system ({name, enabled, trigger_event_types, conditions, actions}).',
        [{ field: 'definition', message: 'required' }],
      );
    }
    const sources = runtime.edition.capabilities.customWebhooks
      ? await runtime.database.db.selectFrom('custom_sources').select(['id', 'name']).where('workspace_id', '=', user.workspaceId).execute()
      : [];
    const result = translatePythonFlow(
      body,
      { customSourceId: (name) => sources.find((source) => source.name === name || source.id === name)?.id },
      base !== undefined,
    );
    if (!result.ok)
      throw problems.badRequest(
        'untranslatable-flow',
        'The Python flow cannot be imported as it is: ' +
          result.problems
            .slice(0, 5)
            .map((p) => `${p.field} ${p.message}`)
            .join('; '),
        result.problems,
      );
    return base ? { ...base, ...result.value } : result.value;
  };
  const sameWorkspace = (user: UserContext, query: { workspace_id?: string }) => {
    if (query.workspace_id !== undefined && query.workspace_id !== user.workspaceId)
      throw problems.forbidden('workspace-mismatch', 'Flows belong to your own workspace only.');
  };
  const load = async (user: UserContext, flowId: string) => {
    const flow = await store.get(user.workspaceId, flowId);
    if (!flow) throw problems.notFound('unknown-flow', 'No flow with this id in this workspace.');
    return flow;
  };
  const eventFor = async (user: UserContext, body: Static<typeof TestBody>, fallbackType: string | undefined) => {
    if (body.eventId) {
      const about = ownRowsOnly(user);
      const row = await runtime.database.db
        .selectFrom('webhook_events')
        .select(['id', 'event_type', 'source', 'payload_json'])
        .where('workspace_id', '=', user.workspaceId)
        .where('id', '=', body.eventId)
        .$if(about !== undefined, (q) => q.where('user_id', '=', about!))
        .executeTakeFirst();
      if (!row) throw problems.notFound('unknown-event', 'No event with this id in this workspace.');
      return { id: row.id, eventType: row.event_type, source: row.source, payload: payloadFor(user, parseJsonOr(row.payload_json, null)) };
    }
    const eventType = body.eventType ?? fallbackType;
    if (body.sample !== undefined && (JSON.stringify(body.sample)?.length ?? 0) > DRY_RUN_SAMPLE_LIMIT) {
      throw new HttpProblem(
        413,
        'sample-too-large',
        `The sample is larger than ${DRY_RUN_SAMPLE_LIMIT} bytes of JSON (limit sample); test on a stored event with eventId instead.`,
        [{ field: 'body.sample', message: `must be at most ${DRY_RUN_SAMPLE_LIMIT} bytes of JSON` }],
      );
    }
    const payload = body.sample ?? (eventType ? samples[eventType] : undefined);
    if (payload === undefined)
      throw problems.badRequest('no-sample', 'Give a sample payload, a stored eventId, or an eventType that has a bundled sample.', [
        { field: 'body.sample', message: 'required' },
      ]);
    return { eventType: eventType ?? 'custom', payload };
  };
  const firstEventOf = (definition: FlowDefinition) => (definition.trigger.kind === 'clockify' ? definition.trigger.events[0] : undefined);
  const dryRun = async (definition: FlowDefinition, workspaceId: string, event: Awaited<ReturnType<typeof eventFor>>) => {
    const result = await executor.dryRun(definition, workspaceId, event);
    if (result.exceeded)
      throw new HttpProblem(422, 'evaluation-budget-exceeded', `The conditions were stopped: ${result.exceeded.message}.`, [
        { field: 'definition.conditions', message: result.exceeded.message },
      ]);
    return result;
  };

  typed.get(
    '/ui/flows',
    { schema: { tags, summary: 'Flows of the workspace with their last run.', response: { 200: FlowList } } },
    async (request) => {
      const user = currentUser(request);
      return { flows: (await store.list(user.workspaceId)).map(view) };
    },
  );

  typed.post(
    '/ui/flows',
    {
      schema: {
        tags,
        summary: 'Create a flow (checked against the catalog; 400 names each bad field). Also imports a Python system flow definition.',
        body: CreateBody,
        querystring: WorkspaceQuery,
        response: { 201: OneFlow },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      sameWorkspace(user, request.query);
      const definition = await timeZones.fill(
        user,
        await withoutLiteralSecrets(user, await validate(user, await fromBody(user, request.body))),
      );
      return reply.code(201).send({ flow: view(await store.create(user.workspaceId, definition, user.userId)) });
    },
  );

  typed.get(
    '/ui/flows/templates',
    { schema: { tags, summary: 'Ready-made flows to start from.', response: { 200: TemplateList } } },
    async () => ({
      templates: flowTemplatesFor(runtime.edition.id).map(({ id, name, description, requiredInputs }) => ({
        id,
        name,
        description,
        requiredInputs,
      })),
    }),
  );

  typed.post(
    '/ui/flows/templates/:templateId',
    {
      schema: {
        tags,
        summary: 'Create a flow from a template.',
        params: Type.Object({ templateId: Type.String({ maxLength: 100 }) }),
        body: TemplateBody,
        response: { 201: OneFlow },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const template = findFlowTemplate(request.params.templateId);
      if (!template || !template.editions.includes(runtime.edition.id))
        throw problems.notFound('unknown-template', 'No such template for this edition.');
      let definition: FlowDefinition;
      try {
        definition = template.build(request.body.inputs ?? {});
      } catch (error) {
        if (error instanceof TemplateInputError)
          throw problems.badRequest('invalid-template-input', error.message, [{ field: `inputs.${error.input}`, message: error.message }]);
        throw error;
      }
      const valid = await withoutLiteralSecrets(
        user,
        await validate(user, request.body.enabled === undefined ? definition : { ...definition, enabled: request.body.enabled }),
      );
      return reply.code(201).send({ flow: view(await store.create(user.workspaceId, valid, user.userId)) });
    },
  );

  typed.post(
    '/ui/flows/test',
    {
      schema: {
        tags,
        summary: 'Dry run of an unsaved definition: conditions and rendered requests; nothing is sent or stored.',
        body: TestBody,
        response: { 200: DryRunResult },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const definition = await validate(user, request.body.definition);
      const event = await eventFor(user, request.body, firstEventOf(definition));
      return dryRun(definition, user.workspaceId, event);
    },
  );

  typed.get(
    '/ui/flows/dead-letter',
    { schema: { tags, summary: 'Runs that exhausted their retries.', response: { 200: RunPage } } },
    async (request) => {
      const user = currentUser(request);
      return runsFor(user, await store.listRuns(user.workspaceId, { status: 'dead', limit: 100, aboutUser: ownRowsOnly(user) }));
    },
  );

  typed.get(
    '/ui/flows/runs/:runId',
    {
      schema: {
        tags,
        summary: 'One run with a record per executed step (path, kind, input, output, attempts, duration).',
        params: RunParams,
        response: { 200: RunDetailSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const run = await store.getRun(user.workspaceId, request.params.runId, ownRowsOnly(user));
      if (!run) throw problems.notFound('unknown-run', 'No run with this id in this workspace.');
      return { run: runFor(user, run.run), actions: run.actions.map((action) => actionResultFor(user, action)) };
    },
  );

  typed.get(
    '/ui/flows/:flowId',
    { schema: { tags, summary: 'One flow with its definition.', params: FlowParams, response: { 200: OneFlow } } },
    async (request) => {
      const user = currentUser(request);
      return { flow: view(await load(user, request.params.flowId)) };
    },
  );

  typed.put(
    '/ui/flows/:flowId',
    {
      schema: {
        tags,
        summary: 'Replace the definition (a new version); a Python system flow body updates the fields it gives.',
        params: FlowParams,
        body: CreateBody,
        querystring: WorkspaceQuery,
        response: { 200: OneFlow },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      sameWorkspace(user, request.query);
      const existing = await load(user, request.params.flowId);
      const definition = await timeZones.fill(
        user,
        await withoutLiteralSecrets(user, await validate(user, await fromBody(user, request.body, existing.definition))),
      );
      return { flow: view((await store.update(user.workspaceId, request.params.flowId, definition, user.userId))!) };
    },
  );

  typed.delete(
    '/ui/flows/:flowId',
    {
      schema: {
        tags,
        summary: 'Delete a flow (its run history stays until retention removes it).',
        params: FlowParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      if (!(await store.remove(user.workspaceId, request.params.flowId)))
        throw problems.notFound('unknown-flow', 'No flow with this id in this workspace.');
      return reply.code(204).send(null);
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    typed.post(
      `/ui/flows/:flowId/${action}`,
      { schema: { tags, summary: `${enabled ? 'Enable' : 'Disable'} a flow.`, params: FlowParams, response: { 200: OneFlow } } },
      async (request) => {
        const user = requireAdmin(request);
        const flow = await store.setEnabled(user.workspaceId, request.params.flowId, enabled, user.userId);
        if (!flow) throw problems.notFound('unknown-flow', 'No flow with this id in this workspace.');
        return { flow: view(flow) };
      },
    );
  }

  typed.get(
    '/ui/flows/:flowId/executions',
    {
      schema: {
        tags,
        summary: 'Run history of a flow, filtered by status and date.',
        params: FlowParams,
        querystring: RunsQuery,
        response: { 200: RunPage },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await load(user, request.params.flowId);
      const q = request.query;
      return runsFor(
        user,
        await store.listRuns(user.workspaceId, {
          flowId: request.params.flowId,
          status: q.status,
          from: q.from ? Date.parse(q.from) : undefined,
          to: q.to ? Date.parse(q.to) : undefined,
          before: q.cursor,
          limit: q.limit ?? 50,
          aboutUser: ownRowsOnly(user),
        }),
      );
    },
  );

  typed.post(
    '/ui/flows/:flowId/test',
    {
      schema: {
        tags,
        summary: 'Dry run of a saved flow against a sample or a stored event; nothing is sent or stored.',
        params: FlowParams,
        body: TestBody,
        response: { 200: DryRunResult },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const flow = await load(user, request.params.flowId);
      const event = await eventFor(user, request.body, firstEventOf(flow.definition));
      return dryRun(flow.definition, user.workspaceId, event);
    },
  );

  typed.get(
    '/ui/webhooks/samples/:eventType',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'A sample payload of an event type (the field picker of the flow editor).',
        params: Type.Object({ eventType: Type.String({ maxLength: 100 }) }),
        response: { 200: EventSample },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const about = ownRowsOnly(user);
      const stored = await runtime.database.db
        .selectFrom('webhook_events')
        .select('payload_json')
        .where('workspace_id', '=', user.workspaceId)
        .where('event_type', '=', request.params.eventType)
        .$if(about !== undefined, (q) => q.where('user_id', '=', about!))
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (stored)
        return {
          eventType: request.params.eventType,
          source: 'latest-event' as const,
          payload: payloadFor(user, parseJsonOr(stored.payload_json, null)),
        };
      const sample = samples[request.params.eventType];
      if (sample === undefined) throw problems.notFound('no-sample', 'No sample for this event type yet.');
      return { eventType: request.params.eventType, source: 'bundled-sample' as const, payload: sample };
    },
  );
}
