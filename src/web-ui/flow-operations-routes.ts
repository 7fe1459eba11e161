import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { exampleBody } from '../clockify/catalog/index.js';
import type { Operation } from '../clockify/catalog/index.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { currentUser } from '../lifecycle/user-auth.js';

const OperationParams = Type.Object({ operationId: Type.String({ minLength: 1, maxLength: 200 }) });

const Summary = {
  operationId: Type.String(),
  method: Type.String(),
  path: Type.String(),
  summary: Type.String(),
  readOnly: Type.Boolean(),
  deprecated: Type.Boolean(),
  runnable: Type.Boolean(),
};

export const FlowOperationList = Type.Object({
  total: Type.Integer(),
  groups: Type.Array(Type.Object({ tag: Type.String(), operations: Type.Array(Type.Object(Summary)) })),
});

export const FlowOperationForm = Type.Object({
  ...Summary,
  description: Type.Optional(Type.String()),
  tag: Type.String(),
  scopes: Type.Array(Type.String()),
  parameters: Type.Array(Type.Unknown()),
  requestBody: Type.Union([Type.Object({ required: Type.Boolean(), contentType: Type.String(), schema: Type.Unknown() }), Type.Null()]),
  prefill: Type.Record(Type.String(), Type.Unknown()),
  exampleBody: Type.Unknown(),
});

/**
 * What a flow step may call: every operation of the catalog, in every edition (flows run with the
 * add-on's token, writes included), unlike the explorer, whose list follows the viewer's rights and
 * the edition (API Studio's explorer is GET-only). Operations only a personal API key may call are
 * left out: a flow runs with the add-on's token. The flow editor looks operations up here.
 */
export async function flowOperationsRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const { catalog } = runtime;
  const tags = ['flows'];
  const summary = (operation: Operation) => ({
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    summary: operation.summary,
    readOnly: operation.readOnly,
    deprecated: operation.deprecated,
    runnable: true,
  });

  ui.get(
    '/ui/flow-operations',
    { schema: { tags, summary: 'Operations a flow step may call in this edition, grouped by tag.', response: { 200: FlowOperationList } } },
    async (request) => {
      currentUser(request);
      const groups = catalog
        .byTag()
        .map((group) => ({ tag: group.tag, operations: group.operations.filter((operation) => operation.addonTokenAccepted).map(summary) }))
        .filter((group) => group.operations.length > 0);
      return { total: groups.reduce((sum, group) => sum + group.operations.length, 0), groups };
    },
  );

  ui.get<{ Params: Static<typeof OperationParams> }>(
    '/ui/flow-operations/:operationId',
    {
      schema: {
        tags,
        summary: 'The form of one operation a flow step may call: parameters and an example body.',
        params: OperationParams,
        response: { 200: FlowOperationForm },
      },
    },
    async (request) => {
      currentUser(request);
      const operation = catalog.get(request.params.operationId);
      if (!operation) throw problems.notFound('unknown-operation', `No Clockify operation ${request.params.operationId}.`);
      if (!operation.addonTokenAccepted)
        throw problems.forbidden(
          'needs-api-key',
          `${operation.operationId} takes a personal API key only; a flow runs with the add-on's token.`,
        );
      return {
        ...summary(operation),
        description: operation.description,
        tag: operation.tag,
        scopes: operation.scopes,
        parameters: operation.parameters,
        requestBody: operation.requestBody
          ? {
              required: operation.requestBody.required,
              contentType: operation.requestBody.contentType,
              schema: operation.requestBody.schema,
            }
          : null,
        // A flow runs for the workspace of its event: the editor fills workspaceId from there, not the viewer.
        prefill: {},
        exampleBody: operation.requestBody ? exampleBody(operation) : null,
      };
    },
  );
}
