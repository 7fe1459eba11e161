import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { curlSnippet, exampleBody, knownValuesFor, validateCall } from '../clockify/catalog/index.js';
import type { Operation } from '../clockify/catalog/index.js';
import { ClockifyClientError, HostNotAllowedError, PayloadTooLargeError } from '../clockify/client/index.js';
import { callOperation } from '../lifecycle/workspace-api.js';
import type { Runtime } from '../runtime.js';
import { HttpProblem, problems } from '../server/problems.js';
import { DomainError } from '../errors/domain-error.js';
import { currentUser } from '../lifecycle/user-auth.js';
import type { UserContext } from '../lifecycle/user-auth.js';
import { parseJsonOr } from '../util/json.js';
import { explorerAccess } from './access.js';
import { historyEntry } from './history-entry.js';
import { EndpointList, ExecuteResult, HistoryPage, OperationForm } from './schemas.js';
import { ownRowsOnly, writeRefusal } from '../server/access-policy.js';
import { translateExplorerBody } from './request-shapes.js';
import type { ExplorerCall } from './request-shapes.js';

const ListQuery = Type.Object({
  method: Type.Optional(Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)))),
  readOnly: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  tag: Type.Optional(Type.String({ maxLength: 200 })),
});
const OperationParams = Type.Object({ operationId: Type.String({ minLength: 1, maxLength: 200 }) });
/** Documents the shapes; request-shapes.ts checks them (and refuses every field a shape does not have). */
const ExecuteBody = Type.Object(
  {
    operationId: Type.Optional(Type.String({ description: "Ours. Or method + path (the Python Clockify Add-on's explorer)." })),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Path and query parameters by name (ours); path parameters (Clockify Add-on); {path, query, body} (Universal Webhook).',
      }),
    ),
    body: Type.Optional(Type.Unknown()),
    query: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Query parameters (the Python Clockify Add-on's shapes)." }),
    ),
    method: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    endpoint: Type.Optional(
      Type.String({ description: 'POST /api-call of the Python Clockify Add-on: {method, endpoint, params, query, body}.' }),
    ),
    operation_id: Type.Optional(
      Type.String({
        description:
          'The Python API Studio / Universal Webhook shapes: {operation_id, path_params, query_params, body} or {operation_id, params: {path, query, body}}.',
      }),
    ),
    path_params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    query_params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    workspace_id: Type.Optional(Type.String()),
    workspaceId: Type.Optional(Type.String()),
    developerMode: Type.Optional(Type.Boolean()),
    developer_mode: Type.Optional(Type.Boolean()),
  },
  { description: 'One of the accepted shapes; any field the shape does not have is refused (400).' },
);
const ExecuteQuery = Type.Object({ workspace_id: Type.Optional(Type.String({ maxLength: 100 })) });
const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});
const HistoryParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

/** Response headers worth showing; anything that could carry a credential stays out. */
const SHOWN_HEADERS = ['content-type', 'last-page', 'retry-after', 'x-ratelimit-remaining', 'date'];

/** The API explorer: every operation of Clockify's spec as a form, run with the user's own rights. */
export async function explorerRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = ui.withTypeProvider<TypeBoxTypeProvider>();
  const { catalog, edition } = runtime;
  const tags = ['api explorer'];

  const find = (operationId: string, user: UserContext): Operation => {
    const operation = catalog.get(operationId);
    if (!operation || !explorerAccess(edition, operation, user.isAdmin).visible)
      throw problems.notFound('unknown-operation', `No operation ${operationId} in the explorer of ${edition.name}.`);
    return operation;
  };

  const summary = (operation: Operation, user: UserContext) => ({
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    summary: operation.summary,
    readOnly: operation.readOnly,
    deprecated: operation.deprecated,
    server: operation.server,
    runnable: explorerAccess(edition, operation, user.isAdmin).runnable,
    needsApiKey: !operation.addonTokenAccepted,
  });

  typed.get(
    '/ui/api-explorer/endpoints',
    {
      schema: {
        tags,
        summary:
          'Operations grouped by tag, filterable by method, read-only and text. Operations Clockify serves to personal API keys only (the workspace list, workspace creation, the audit log) are listed with `needsApiKey: true` and `runnable: false`: an add-on token cannot call them.',
        querystring: ListQuery,
        response: { 200: EndpointList },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { method, readOnly, q, tag } = request.query;
      const matching = new Set(
        catalog
          .filter({ method: method as Operation['method'] | undefined, readOnly, text: q, tag })
          .filter((op) => explorerAccess(edition, op, user.isAdmin).visible),
      );
      const groups = catalog
        .byTag()
        .map((group) => ({ tag: group.tag, operations: group.operations.filter((op) => matching.has(op)).map((op) => summary(op, user)) }))
        .filter((group) => group.operations.length > 0);
      return { total: matching.size, groups };
    },
  );

  typed.get(
    '/ui/api-explorer/endpoints/:operationId',
    {
      schema: {
        tags,
        summary: 'The form of one operation: parameters, known values pre-filled, an example body.',
        params: OperationParams,
        response: { 200: OperationForm },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const operation = find(request.params.operationId, user);
      const access = explorerAccess(edition, operation, user.isAdmin);
      return {
        ...summary(operation, user),
        description: operation.description,
        tag: operation.tag,
        scopes: operation.scopes,
        pagination: operation.pagination,
        parameters: operation.parameters.map(({ enum: values, ...parameter }) => ({
          ...parameter,
          ...(values ? { enum: [...values] } : {}),
        })),
        requestBody: operation.requestBody
          ? {
              required: operation.requestBody.required,
              contentType: operation.requestBody.contentType,
              schema: operation.requestBody.schema,
            }
          : null,
        prefill: knownValuesFor(operation, { workspaceId: user.workspaceId, userId: user.userId }),
        exampleBody: operation.requestBody ? exampleBody(operation) : null,
        ...(access.reason ? { notRunnableBecause: access.reason } : {}),
      };
    },
  );

  const execute = async (user: UserContext, call: ExplorerCall) => {
    if (call.workspaceId !== undefined && call.workspaceId !== user.workspaceId)
      throw problems.forbidden('workspace-mismatch', 'Operations run in your own workspace only.');
    // A write the edition hides is still a known operation: refusing it is a 403, not a 404.
    const operation = catalog.get(call.operationId);
    if (!operation) throw problems.notFound('unknown-operation', `No operation ${call.operationId} in the explorer of ${edition.name}.`);
    const access = explorerAccess(edition, operation, user.isAdmin);
    if (!access.runnable) {
      const slug = !operation.addonTokenAccepted ? 'needs-api-key' : operation.readOnly ? 'forbidden' : 'write-not-allowed';
      throw problems.forbidden(slug, access.reason ?? 'Not allowed.');
    }
    // A call that changes Clockify is a write like any other (an inactive add-on is read-only).
    const refusal = operation.readOnly ? undefined : writeRefusal(user);
    if (refusal) throw refusal;
    const params = {
      ...requiredDefaults(operation),
      ...knownValuesFor(operation, { workspaceId: user.workspaceId, userId: user.userId }),
      ...(call.params ?? {}),
    };
    // Tenant isolation: the workspace is the token's, whatever the form says.
    if ('workspaceId' in params && params.workspaceId !== user.workspaceId) {
      throw problems.forbidden('workspace-mismatch', 'Operations run in your own workspace only.');
    }
    if (operation.pathParams.includes('workspaceId')) params.workspaceId = user.workspaceId;
    const input = { params, ...(call.body === undefined ? {} : { body: call.body }) };
    const problemsFound = validateCall(operation, input);
    if (problemsFound.length > 0)
      throw problems.badRequest(
        'invalid-call',
        'The call does not match the operation: ' + problemsFound.map((p) => `${p.field} ${p.message}`).join('; '),
        problemsFound,
      );
    try {
      const { request: built, response } = await callOperation(runtime, {
        workspaceId: user.workspaceId,
        operation,
        input,
        token: user.token,
        userId: user.userId,
        source: 'explorer',
        lane: 'interactive',
        throwOnHttpError: false,
        recordInput: true,
      });
      return {
        status: response.status,
        ok: response.status < 400,
        durationMs: Math.round(response.durationMs),
        attempts: response.attempts,
        headers: Object.fromEntries(Object.entries(response.headers).filter(([name]) => SHOWN_HEADERS.includes(name.toLowerCase()))),
        body: runtime.redactor.redact(response.body),
        request: { method: built.method, url: built.url, query: built.query },
        curl: curlSnippet(built),
      };
    } catch (error) {
      throw toProblem(error);
    }
  };

  const executeRoute = async (request: FastifyRequest<{ Body: unknown; Querystring: Static<typeof ExecuteQuery> }>) => {
    const user = currentUser(request);
    // The Python system named the workspace in the query string as well: it must be the token's.
    if (request.query.workspace_id !== undefined && request.query.workspace_id !== user.workspaceId)
      throw problems.forbidden('workspace-mismatch', 'Operations run in your own workspace only.');
    const translated = translateExplorerBody(request.body, catalog);
    if (!translated.ok)
      throw problems.badRequest(
        'invalid-request',
        'The request does not match an accepted shape: ' + translated.problems.map((p) => `${p.field} ${p.message}`).join('; '),
        translated.problems,
      );
    return execute(user, translated.call);
  };
  const executeSchema = (summary: string) => ({
    schema: { tags, summary, body: ExecuteBody, querystring: ExecuteQuery, response: { 200: ExecuteResult } },
  });
  typed.post(
    '/ui/api-explorer/execute',
    executeSchema(
      "Validate against the spec and run an operation; writes need an admin. Operations that need a personal API key are refused (403 needs-api-key) without calling Clockify. Accepts our shape and the Python system's (docs/migrating-from-python.md).",
    ),
    executeRoute,
  );

  typed.get(
    '/ui/api-explorer/history',
    {
      schema: {
        tags,
        summary: 'Calls made from the explorer in this workspace (redacted), newest first.',
        querystring: HistoryQuery,
        response: { 200: HistoryPage },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const limit = request.query.limit ?? 50;
      const about = ownRowsOnly(user);
      let query = runtime.database.db
        .selectFrom('api_calls')
        .selectAll()
        .where('workspace_id', '=', user.workspaceId)
        .where('source', '=', 'explorer');
      if (about !== undefined) query = query.where('user_id', '=', about);
      if (request.query.cursor) query = query.where('id', '<', request.query.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const entries = rows.slice(0, limit).map(historyEntry);
      return { entries, nextCursor: rows.length > limit ? (entries[entries.length - 1]?.id ?? null) : null };
    },
  );

  typed.post(
    '/ui/api-explorer/history/:callId/rerun',
    {
      schema: {
        tags,
        summary: "Run a history entry again with the current user's rights.",
        params: HistoryParams,
        response: { 200: ExecuteResult },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const about = ownRowsOnly(user);
      const row = await runtime.database.db
        .selectFrom('api_calls')
        .select(['request_json', 'operation_id'])
        .where('workspace_id', '=', user.workspaceId)
        .where('source', '=', 'explorer')
        .where('id', '=', request.params.callId)
        .$if(about !== undefined, (q) => q.where('user_id', '=', about!))
        .executeTakeFirst();
      const input = parseJsonOr<{ operationId?: string; params?: Record<string, unknown>; body?: unknown } | null>(row?.request_json, null);
      if (!row || !input?.operationId) throw problems.notFound('unknown-call', 'No explorer call with this id in this workspace.');
      return execute(user, { operationId: input.operationId, params: input.params, body: input.body });
    },
  );

  // Compatibility with the original system's route.
  typed.post(
    '/api-call',
    executeSchema("Alias of POST /ui/api-explorer/execute (the Python Clockify Add-on's route and body shape)."),
    executeRoute,
  );
}

/** The spec marks some parameters required yet gives them a default (`include-roles`): run with the default unless the form says otherwise. */
function requiredDefaults(operation: Operation): Record<string, unknown> {
  return Object.fromEntries(operation.parameters.filter((p) => p.required && p.default !== undefined).map((p) => [p.name, p.default]));
}

function toProblem(error: unknown): Error {
  if (error instanceof HttpProblem || error instanceof DomainError) return error;
  if (error instanceof HostNotAllowedError)
    return new HttpProblem(403, 'host-not-allowed', 'The target host is not an allowed Clockify host; nothing was sent.');
  if (error instanceof PayloadTooLargeError)
    return new HttpProblem(413, 'payload-too-large', 'The request body is larger than 1 MB; nothing was sent.');
  if (error instanceof ClockifyClientError)
    return new HttpProblem(502, 'clockify-unreachable', `Clockify did not answer: ${error.message}`);
  return error as Error;
}
