import { assignOperationIds } from './operation-ids.js';
import { detectPagination } from './pagination.js';
import { createSchemaResolver, type SchemaResolver } from './schema-resolver.js';
import { isQueryPost, scopesFor } from './scopes.js';
import type {
  Catalog,
  Credential,
  HttpMethod,
  JsonSchema,
  Operation,
  OperationFilter,
  OperationParameter,
  OperationRequestBody,
  ServerKind,
} from './types.js';

/** The parts of an OpenAPI 3.0 document the catalog reads. */
interface OpenApiDocument {
  servers?: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, SecurityScheme> };
  security?: Record<string, unknown>[];
}

interface SecurityScheme {
  type?: string;
  in?: string;
  name?: string;
}

interface RawOperation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, unknown>[];
}

interface RawParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Build the catalog from a parsed spec. Pure: the same document always yields the same catalog. */
export function buildCatalog(spec: unknown): Catalog {
  const document = asDocument(spec);
  const resolver = createSchemaResolver(document.components?.schemas ?? {});

  const raw: { method: HttpMethod; path: string; operation: RawOperation; serverUrl?: string }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const servers = (item.servers as { url: string }[] | undefined) ?? document.servers;
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()] as RawOperation | undefined;
      if (operation) raw.push({ method, path, operation, serverUrl: servers?.[0]?.url });
    }
  }
  const ids = assignOperationIds(raw.map(({ method, path, operation }) => ({ method, path, operationId: operation.operationId })));
  const credentialsOf = securityReader(document);
  const operations = raw.map((entry, index) =>
    toOperation(ids[index]!, entry.method, entry.path, entry.operation, entry.serverUrl, resolver, credentialsOf(entry.operation.security)),
  );
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
  const tagOrder = (document.tags ?? []).map((tag) => tag.name);
  const webhookEvents = readWebhookEvents(document, resolver);

  return {
    operations,
    get: (operationId) => byId.get(operationId),
    byTag: () => groupByTag(operations, tagOrder),
    filter: (filter) => operations.filter((operation) => matches(operation, filter)),
    webhookEvents,
    resolveSchema: (schema) => resolver.resolve(schema),
  };
}

function asDocument(spec: unknown): OpenApiDocument {
  if (!spec || typeof spec !== 'object' || typeof (spec as { paths?: unknown }).paths !== 'object') {
    throw new Error('Not an OpenAPI document: "paths" is missing');
  }
  return spec as OpenApiDocument;
}

function toOperation(
  operationId: string,
  method: HttpMethod,
  path: string,
  raw: RawOperation,
  serverUrl: string | undefined,
  resolver: SchemaResolver,
  security: Credential[],
): Operation {
  const tag = raw.tags?.[0] ?? 'Other';
  const parameters = (raw.parameters ?? []).filter(isSupportedParameter).map((parameter) => toParameter(parameter, resolver));
  const requestBody = toRequestBody(raw.requestBody, resolver);
  const responseSchema = toResponseSchema(raw.responses, resolver);
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const operation: Operation = {
    operationId,
    method,
    path,
    server: serverKind(serverUrl),
    tag,
    summary: raw.summary ?? operationId,
    ...(raw.description ? { description: raw.description } : {}),
    deprecated: raw.deprecated === true || /\(deprecated\)/i.test(tag),
    parameters,
    ...(requestBody ? { requestBody } : {}),
    ...(responseSchema ? { responseSchema } : {}),
    readOnly: method === 'GET',
    idempotent: method === 'GET' || method === 'PUT' || method === 'DELETE' || isQueryPost(method, operationId),
    pagination: detectPagination(parameters, requestBody),
    security,
    addonTokenAccepted: security.includes('addonToken'),
    scopes: scopesFor(method, path, tag, operationId),
    pathParams,
    needsOnlyWorkspace: needsOnlyWorkspace(parameters, requestBody),
  };
  // Shared by the whole process (and cached validators key on it): nobody may change it.
  for (const parameter of parameters) Object.freeze(parameter);
  Object.freeze(parameters);
  Object.freeze(operation.scopes);
  Object.freeze(operation.security);
  Object.freeze(operation.pathParams);
  Object.freeze(operation.pagination);
  if (requestBody) Object.freeze(requestBody);
  return Object.freeze(operation);
}

const ALL_CREDENTIALS: readonly Credential[] = ['addonToken', 'apiKey', 'marketplaceToken'];
const CREDENTIAL_BY_HEADER: Readonly<Record<string, Credential>> = {
  'x-addon-token': 'addonToken',
  'x-api-key': 'apiKey',
  'x-marketplace-token': 'marketplaceToken',
};

/**
 * The credentials an operation accepts: any one of its security requirements (OpenAPI: alternatives),
 * each named by the header its scheme reads (`AddonKeyAuth` and `ReportAddonKeyAuth` are both X-Addon-Token).
 * No requirement on the operation nor the document: nothing is known, so every credential is assumed.
 */
function securityReader(document: OpenApiDocument): (requirements: Record<string, unknown>[] | undefined) => Credential[] {
  const schemes = document.components?.securitySchemes ?? {};
  return (requirements) => {
    const effective = requirements ?? document.security;
    if (!effective) return [...ALL_CREDENTIALS];
    const found = new Set<Credential>();
    for (const requirement of effective) {
      for (const name of Object.keys(requirement)) {
        const header = schemes[name]?.name?.toLowerCase();
        const credential = header ? CREDENTIAL_BY_HEADER[header] : undefined;
        if (credential) found.add(credential);
      }
    }
    return ALL_CREDENTIALS.filter((credential) => found.has(credential));
  };
}

function isSupportedParameter(parameter: RawParameter): parameter is RawParameter & { in: 'path' | 'query' | 'header' } {
  return parameter.in === 'path' || parameter.in === 'query' || parameter.in === 'header';
}

function toParameter(raw: RawParameter & { in: 'path' | 'query' | 'header' }, resolver: SchemaResolver): OperationParameter {
  const schema = resolver.resolve(raw.schema ?? { type: 'string' });
  const items = schema.items as JsonSchema | undefined;
  const enumValues = (schema.enum ?? items?.enum) as readonly unknown[] | undefined;
  const description = raw.description ?? (typeof schema.description === 'string' ? schema.description : undefined);
  return {
    name: raw.name,
    in: raw.in,
    // Path parameters are always required in OpenAPI, whatever the document says.
    required: raw.in === 'path' || raw.required === true,
    schema,
    ...(enumValues ? { enum: enumValues } : {}),
    // springdoc writes `default: ""` for parameters that have no default at all.
    ...(schema.default !== undefined && schema.default !== '' ? { default: schema.default } : {}),
    ...(description ? { description } : {}),
  };
}

function toRequestBody(raw: RawOperation['requestBody'], resolver: SchemaResolver): OperationRequestBody | undefined {
  const content = raw?.content;
  if (!content) return undefined;
  const contentType = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
  if (contentType === undefined) return undefined;
  return {
    required: raw?.required === true,
    schema: resolver.resolve(content[contentType]?.schema ?? {}),
    contentType,
  };
}

function toResponseSchema(responses: RawOperation['responses'], resolver: SchemaResolver): JsonSchema | undefined {
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (!/^2\d\d$/.test(status) || !response.content) continue;
    const media = response.content['application/json'] ?? response.content['*/*'] ?? Object.values(response.content)[0];
    if (media?.schema) return resolver.resolve(media.schema);
  }
  return undefined;
}

/** The server is picked by host name; relative servers (older spec copies) fall back on their path. */
function serverKind(url: string | undefined): ServerKind {
  if (!url) return 'backend';
  if (/auditlog/i.test(url)) return 'auditlog';
  if (/reports?\b/i.test(url)) return 'reports';
  return 'backend';
}

function needsOnlyWorkspace(parameters: readonly OperationParameter[], requestBody: OperationRequestBody | undefined): boolean {
  const paramsOk = parameters.every(
    (parameter) => !parameter.required || parameter.in === 'header' || parameter.name === 'workspaceId' || parameter.default !== undefined,
  );
  if (!paramsOk) return false;
  if (!requestBody) return true;
  const requiredFields = requestBody.schema.required;
  return !requestBody.required && !(Array.isArray(requiredFields) && requiredFields.length > 0);
}

function groupByTag(operations: readonly Operation[], tagOrder: readonly string[]): { tag: string; operations: Operation[] }[] {
  const groups = new Map<string, Operation[]>();
  for (const tag of tagOrder) groups.set(tag, []);
  for (const operation of operations) {
    const group = groups.get(operation.tag);
    if (group) group.push(operation);
    else groups.set(operation.tag, [operation]);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([tag, list]) => ({ tag, operations: list }));
}

function matches(operation: Operation, filter: OperationFilter): boolean {
  if (filter.method !== undefined && operation.method !== filter.method) return false;
  if (filter.readOnly !== undefined && operation.readOnly !== filter.readOnly) return false;
  if (filter.tag !== undefined && operation.tag !== filter.tag) return false;
  if (filter.text !== undefined && filter.text.trim() !== '') {
    const needle = filter.text.trim().toLowerCase();
    const haystack = [operation.operationId, operation.path, operation.summary, operation.tag].join(' ').toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

function readWebhookEvents(document: OpenApiDocument, resolver: SchemaResolver): string[] {
  const schemas = document.components?.schemas ?? {};
  for (const [schemaName, property] of [
    ['CreateWebhookRequestV1', 'webhookEvent'],
    ['WebhookDtoV1', 'webhookEvent'],
  ] as const) {
    if (!schemas[schemaName]) continue;
    const resolved = resolver.resolve(schemas[schemaName]);
    const values = ((resolved.properties as Record<string, JsonSchema> | undefined)?.[property]?.enum ?? []) as unknown[];
    const events = values.filter((value): value is string => typeof value === 'string');
    if (events.length > 0) return events;
  }
  return [];
}
