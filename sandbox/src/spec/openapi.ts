import { readResourceJson } from '../../../src/resources.js';

/** Just the parts of Clockify's OpenAPI document the sandbox reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
}

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Record<string, unknown>[];
}

/** Where each of the spec's servers lives on the sandbox (its `url` plus this prefix). */
export type ServerPrefix = '/api' | '/reports' | '/auditlog';

export interface SpecRoute {
  method: string;
  /** Path as written in the spec, e.g. `/v1/workspaces/{workspaceId}/projects`. */
  specPath: string;
  prefix: ServerPrefix;
  operation: OpenApiOperation;
  pattern: RegExp;
  paramNames: string[];
}

export function loadOpenApi(): OpenApiDocument {
  return readResourceJson<OpenApiDocument>('clockify', 'openapi.json');
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function prefixFor(servers: unknown): ServerPrefix {
  const url = Array.isArray(servers) ? String((servers[0] as { url?: unknown } | undefined)?.url ?? '') : '';
  if (url.includes('reports.')) return '/reports';
  if (url.includes('auditlog')) return '/auditlog';
  return '/api';
}

let cachedRoutes: SpecRoute[] | undefined;

/** Every operation of the spec with a matcher for sandbox URLs (prefix + path). */
export function specRoutes(): SpecRoute[] {
  if (cachedRoutes) return cachedRoutes;
  const doc = loadOpenApi();
  const routes: SpecRoute[] = [];
  for (const [specPath, item] of Object.entries(doc.paths)) {
    const prefix = prefixFor(item['servers']);
    const paramNames: string[] = [];
    const source = specPath
      .split('/')
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          paramNames.push(param[1] as string);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const pattern = new RegExp(`^${prefix.replace('/', '\\/')}${source}\\/?$`);
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      routes.push({ method: method.toUpperCase(), specPath, prefix, operation: operation as OpenApiOperation, pattern, paramNames });
    }
  }
  // Literal segments beat parameters (`/projects/from-template` before `/projects/{projectId}`).
  // Two operations can only both match a URL when they have as many segments, so fewer parameters
  // means more literal segments, i.e. the more specific route.
  routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
  cachedRoutes = routes;
  return routes;
}

export interface MatchedRoute {
  route: SpecRoute;
  params: Record<string, string>;
}

/** Finds the spec operation for a sandbox URL path (without query string). */
export function matchSpecRoute(method: string, urlPath: string): MatchedRoute | undefined {
  for (const route of specRoutes()) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.pattern.exec(urlPath);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] as string);
    });
    return { route, params };
  }
  return undefined;
}

/** The success response (200, 201 or 204) of an operation: status and JSON schema (absent for empty bodies). */
export function successResponse(operation: OpenApiOperation): { status: number; schema?: JsonSchema } {
  const responses = operation.responses ?? {};
  for (const code of ['200', '201', '204', '202']) {
    const response = responses[code];
    if (!response) continue;
    const content = response.content ?? {};
    const media = content['application/json'] ?? content['*/*'] ?? Object.values(content)[0];
    return media?.schema ? { status: Number(code), schema: media.schema } : { status: Number(code) };
  }
  return { status: 200 };
}

/** Security schemes that read `X-Addon-Token` (the spec names it twice: add-on and report add-on). */
const ADDON_TOKEN_SCHEMES = new Set(['AddonKeyAuth', 'ReportAddonKeyAuth']);

/** Does the operation's spec security accept an add-on token? No security listed: yes. */
export function acceptsAddonToken(operation: OpenApiOperation): boolean {
  if (!operation.security) return true;
  return operation.security.some((requirement) => Object.keys(requirement).some((name) => ADDON_TOKEN_SCHEMES.has(name)));
}

/** The success answer's media type as the spec declares it (`application/json`, or any type), with its schema. */
export function successMedia(operation: OpenApiOperation): { status: number; mediaType?: string; schema?: JsonSchema } {
  const responses = operation.responses ?? {};
  for (const code of ['200', '201', '204', '202']) {
    const content = responses[code]?.content;
    if (!responses[code]) continue;
    const mediaType = content ? Object.keys(content)[0] : undefined;
    const schema = mediaType ? content?.[mediaType]?.schema : undefined;
    return { status: Number(code), ...(mediaType ? { mediaType } : {}), ...(schema ? { schema } : {}) };
  }
  return { status: 200 };
}

/** The JSON request-body schema of an operation, if any. */
export function requestBodySchema(operation: OpenApiOperation): JsonSchema | undefined {
  const content = operation.requestBody?.content ?? {};
  return (content['application/json'] ?? content['*/*'])?.schema;
}
