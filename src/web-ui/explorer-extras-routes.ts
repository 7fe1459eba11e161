import { Type } from '@sinclair/typebox';
import { ExplorerInput } from '../explorer/schemas.js';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { serverUrl } from '../clockify/catalog/index.js';
import { baseUrlsOf } from '../lifecycle/workspace-api.js';
import { explorerAccess } from '../explorer/access.js';
import { historyEntry } from '../explorer/history-entry.js';
import { readResourceJson } from '../resources.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { seesRowAbout } from '../server/access-policy.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { parseJsonOr } from '../util/json.js';

const OperationParams = Type.Object({ operationId: Type.String({ minLength: 1, maxLength: 200 }) });
const CallParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

export const OperationDocs = Type.Object({
  operationId: Type.String(),
  /** Where the call goes for this workspace (the installation's region), for the curl and fetch samples. */
  serverUrl: Type.String(),
  responses: Type.Array(Type.Object({ status: Type.String(), description: Type.String() })),
  responseSchema: Type.Union([Type.Unknown(), Type.Null()]),
});

export const ExplorerCall = Type.Object({
  id: Type.String(),
  operationId: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  url: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  attempts: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  input: ExplorerInput,
  /** What Clockify answered, as the API client logged it: redacted and cut to an excerpt. */
  response: Type.Unknown(),
  responseTruncated: Type.Boolean(),
  /** True when the answer is kept but not shown to this viewer (a member looking at an admin's call). */
  responseHidden: Type.Boolean(),
  userId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(),
});

type SpecResponses = Record<string, { description?: string }>;
type Spec = { paths: Record<string, Record<string, { operationId?: string; responses?: SpecResponses }>> };

/** Every documented status of each operation, from the bundled spec (the catalog keeps only the 2xx schema). */
function responsesByOperation(): Map<string, { status: string; description: string }[]> {
  const spec = readResourceJson<Spec>('clockify', 'openapi.json');
  const result = new Map<string, { status: string; description: string }[]>();
  for (const methods of Object.values(spec.paths)) {
    for (const operation of Object.values(methods)) {
      if (!operation || typeof operation !== 'object' || !operation.operationId) continue;
      result.set(
        operation.operationId,
        Object.entries(operation.responses ?? {}).map(([status, response]) => ({ status, description: response?.description ?? '' })),
      );
    }
  }
  return result;
}

/**
 * The explorer's reading aids: an operation's documented responses before it is run, and one
 * past call with its parameters and (redacted) answer, viewable without running it again.
 */
export async function explorerExtrasRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const { catalog, edition } = runtime;
  const tags = ['api explorer'];
  let responses: Map<string, { status: string; description: string }[]> | undefined;

  ui.get<{ Params: Static<typeof OperationParams> }>(
    '/ui/api-explorer/docs/:operationId',
    {
      schema: {
        tags,
        summary: "An operation's documented response codes and success schema, and the server it is called on.",
        params: OperationParams,
        response: { 200: OperationDocs },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const operation = catalog.get(request.params.operationId);
      if (!operation || !explorerAccess(edition, operation, user.isAdmin).visible)
        throw problems.notFound('unknown-operation', `No operation ${request.params.operationId} in the explorer of ${edition.name}.`);
      responses ??= responsesByOperation();
      return {
        operationId: operation.operationId,
        serverUrl: serverUrl(operation.server, baseUrlsOf(user.installation)),
        responses: responses.get(operation.operationId) ?? [],
        responseSchema: operation.responseSchema ?? null,
      };
    },
  );

  ui.get<{ Params: Static<typeof CallParams> }>(
    '/ui/api-explorer/calls/:callId',
    {
      schema: {
        tags,
        summary: 'One explorer call: its parameters, the redacted answer and who ran it.',
        params: CallParams,
        response: { 200: ExplorerCall },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await runtime.database.db
        .selectFrom('api_calls')
        .selectAll()
        .where('workspace_id', '=', user.workspaceId)
        .where('source', '=', 'explorer')
        .where('id', '=', request.params.callId)
        .executeTakeFirst();
      // A member sees their own calls only, as in the history (access-policy); another's call answers like an unknown id.
      if (!row || !seesRowAbout(user, row.user_id))
        throw problems.notFound('unknown-call', 'No explorer call with this id in this workspace.');
      const excerpt = row.response_excerpt ?? null;
      const parsed = excerpt === null ? null : parseJsonOr<unknown>(excerpt, undefined);
      return {
        ...historyEntry(row),
        response: parsed === undefined ? excerpt : parsed,
        responseTruncated: parsed === undefined && excerpt !== null,
        responseHidden: false,
      };
    },
  );
}
