import { Type } from '@sinclair/typebox';

/** What the API explorer routes answer (Fastify serializes by these: a field not named here never leaves). */

const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const JsonSchema = Type.Record(Type.String(), Type.Unknown(), { description: "A JSON Schema from Clockify's spec ($refs resolved)." });
const Method = Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => Type.Literal(method)));

export const OperationSummary = Type.Object({
  operationId: Type.String(),
  method: Method,
  path: Type.String(),
  summary: Type.String(),
  readOnly: Type.Boolean(),
  deprecated: Type.Boolean(),
  server: Type.Union([Type.Literal('backend'), Type.Literal('reports'), Type.Literal('auditlog')]),
  runnable: Type.Boolean({ description: 'Whether this user may run it here.' }),
  needsApiKey: Type.Boolean({ description: 'Clockify serves it to personal API keys only: listed, never run.' }),
});

export const EndpointList = Type.Object({
  total: Type.Integer(),
  groups: Type.Array(Type.Object({ tag: Type.String(), operations: Type.Array(OperationSummary) })),
});

const Pagination = Type.Union([
  Type.Object({ kind: Type.Literal('none') }),
  Type.Object({
    kind: Type.Literal('query'),
    pageParam: Type.String(),
    sizeParam: Type.String(),
    firstPage: Type.Integer(),
    defaultSize: Type.Integer(),
    maxSize: Type.Optional(Type.Integer()),
  }),
  Type.Object({
    kind: Type.Literal('body'),
    pageField: Type.String(),
    sizeField: Type.String(),
    container: Type.Optional(Type.String()),
    firstPage: Type.Integer(),
    defaultSize: Type.Integer(),
    maxSize: Type.Optional(Type.Integer()),
  }),
]);

export const OperationParameter = Type.Object({
  name: Type.String(),
  in: Type.Union([Type.Literal('path'), Type.Literal('query'), Type.Literal('header')]),
  required: Type.Boolean(),
  schema: JsonSchema,
  enum: Type.Optional(Type.Array(Type.Unknown())),
  default: Type.Optional(Type.Unknown()),
  description: Type.Optional(Type.String()),
});

export const OperationForm = Type.Object({
  ...OperationSummary.properties,
  description: Type.Optional(Type.String()),
  tag: Type.String(),
  scopes: Type.Array(Type.String(), { description: 'Manifest scopes the add-on needs for this call.' }),
  pagination: Pagination,
  parameters: Type.Array(OperationParameter),
  requestBody: OrNull(Type.Object({ required: Type.Boolean(), contentType: Type.String(), schema: JsonSchema })),
  prefill: Type.Record(Type.String(), Type.Unknown(), { description: 'Known values (the workspace, the user) by parameter name.' }),
  exampleBody: Type.Unknown(),
  notRunnableBecause: Type.Optional(Type.String()),
});

export const ExecuteResult = Type.Object({
  status: Type.Integer({ description: 'What Clockify answered.' }),
  ok: Type.Boolean(),
  durationMs: Type.Integer(),
  attempts: Type.Integer(),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Only headers worth showing; none that could carry a credential.' }),
  body: Type.Unknown({ description: "Clockify's answer, redacted." }),
  request: Type.Object({ method: Type.String(), url: Type.String(), query: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
  curl: Type.String(),
});

/** What an explorer call asked, as the history keeps it to show and run again. */
export const ExplorerInput = OrNull(
  Type.Object({
    operationId: Type.Optional(Type.String()),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    body: Type.Optional(Type.Unknown()),
  }),
);

export const HistoryEntry = Type.Object({
  id: Type.String(),
  operationId: OrNull(Type.String()),
  method: Type.String(),
  url: Type.String(),
  status: OrNull(Type.Integer()),
  durationMs: OrNull(Type.Integer()),
  attempts: Type.Integer(),
  error: OrNull(Type.String()),
  input: ExplorerInput,
  userId: OrNull(Type.String()),
  createdAt: Type.Number(),
});

export const HistoryPage = Type.Object({ entries: Type.Array(HistoryEntry), nextCursor: OrNull(Type.String()) });
