import type { Catalog, Operation } from '../clockify/catalog/index.js';

/**
 * The body shapes the explorer accepts, translated to ours. Besides our own
 * `{operationId, params, body}`, the Python system's three:
 *   API Studio:        {workspace_id, operation_id, path_params, query_params, body}
 *   Universal Webhook: {operation_id, params: {path, query, body}}
 *   Clockify Add-on:   {workspaceId, operationId | (method + path), params, query, body, developerMode}
 *                      and its POST /api-call: {method, endpoint, params, query, body, developer_mode, workspace_id}
 * Every shape refuses fields it does not have: a misspelt `query` must never run the call unfiltered.
 * Pure: the catalog is only read to find an operation by method and path.
 */

export interface ExplorerCall {
  operationId: string;
  /** Path and query parameters together (names are unique per operation). */
  params?: Record<string, unknown>;
  body?: unknown;
  /** The workspace the caller named, checked against the token's by the route. */
  workspaceId?: string;
}

export interface ShapeProblem {
  field: string;
  message: string;
}

export type Translation = { ok: true; call: ExplorerCall; shape: string } | { ok: false; problems: ShapeProblem[] };

type Body = Record<string, unknown>;

const SHAPES = {
  ours: ['operationId', 'params', 'body', 'method', 'path', 'query', 'workspaceId', 'developerMode'],
  apiStudio: ['operation_id', 'path_params', 'query_params', 'body', 'workspace_id', 'params'],
  apiCall: ['method', 'endpoint', 'params', 'query', 'body', 'developer_mode', 'workspace_id'],
} as const;

const UW_PARAMS = ['path', 'query', 'body'];

export function translateExplorerBody(raw: unknown, catalog: Catalog): Translation {
  if (!isObject(raw)) return fail('body', 'must be a JSON object');
  const body = raw;
  if ('endpoint' in body) return apiCallShape(body, catalog);
  if ('operation_id' in body) return pythonStudioShape(body);
  return ourShape(body, catalog);
}

function ourShape(body: Body, catalog: Catalog): Translation {
  const problems = unknownFields(body, SHAPES.ours);
  const params = optionalRecord(body, 'params', problems);
  const query = optionalRecord(body, 'query', problems);
  const workspaceId = optionalString(body, 'workspaceId', problems);
  optionalBoolean(body, 'developerMode', problems);
  let operationId = optionalString(body, 'operationId', problems);
  if (operationId === undefined && problems.length === 0) {
    const method = optionalString(body, 'method', problems);
    const path = optionalString(body, 'path', problems);
    if (method === undefined || path === undefined) return fail('operationId', 'is required (or method and path)');
    const found = findByMethodAndPath(catalog, method, path);
    if (!found) return fail('path', `no operation ${method.toUpperCase()} ${path} in Clockify's API`);
    operationId = found.operation.operationId;
    Object.assign(found.params, params);
    return done(
      problems,
      { operationId, params: { ...found.params, ...query }, body: body.body, workspaceId },
      'clockify-addon explorer (method + path)',
    );
  }
  if (operationId !== undefined && ('method' in body || 'path' in body))
    problems.push({ field: 'method', message: 'give operationId or method and path, not both' });
  if (operationId === undefined) problems.push({ field: 'operationId', message: 'is required' });
  return done(
    problems,
    { operationId: operationId ?? '', params: merge(params, query), body: body.body, workspaceId },
    query || workspaceId ? 'clockify-addon explorer' : 'ours',
  );
}

function pythonStudioShape(body: Body): Translation {
  const problems = unknownFields(body, SHAPES.apiStudio);
  const operationId = optionalString(body, 'operation_id', problems);
  const workspaceId = optionalString(body, 'workspace_id', problems);
  if ('params' in body) {
    // Universal Webhook: {operation_id, params: {path, query, body}}.
    if ('path_params' in body || 'query_params' in body)
      problems.push({ field: 'params', message: 'give params or path_params/query_params, not both' });
    const nested = optionalRecord(body, 'params', problems) ?? {};
    for (const key of Object.keys(nested))
      if (!UW_PARAMS.includes(key))
        problems.push({ field: `params.${key}`, message: `is not a field of params (expected ${UW_PARAMS.join(', ')})` });
    const path = optionalRecord(nested, 'path', problems, 'params.path');
    const query = optionalRecord(nested, 'query', problems, 'params.query');
    if ('body' in nested && 'body' in body) problems.push({ field: 'body', message: 'give the body once, in params.body or body' });
    return done(
      problems,
      { operationId: operationId ?? '', params: merge(path, query), body: 'body' in nested ? nested.body : body.body, workspaceId },
      'universal-webhook',
    );
  }
  const path = optionalRecord(body, 'path_params', problems);
  const query = optionalRecord(body, 'query_params', problems);
  return done(problems, { operationId: operationId ?? '', params: merge(path, query), body: body.body, workspaceId }, 'api-studio');
}

function apiCallShape(body: Body, catalog: Catalog): Translation {
  const problems = unknownFields(body, SHAPES.apiCall);
  const method = optionalString(body, 'method', problems) ?? 'GET';
  const endpoint = optionalString(body, 'endpoint', problems);
  const params = optionalRecord(body, 'params', problems);
  const query = optionalRecord(body, 'query', problems);
  const workspaceId = optionalString(body, 'workspace_id', problems);
  optionalBoolean(body, 'developer_mode', problems);
  if (problems.length > 0 || endpoint === undefined)
    return { ok: false, problems: problems.length > 0 ? problems : [{ field: 'endpoint', message: 'is required' }] };
  const found = findByMethodAndPath(catalog, method, endpoint);
  if (!found) return fail('endpoint', `no operation ${method.toUpperCase()} ${endpoint} in Clockify's API`);
  return done(
    problems,
    { operationId: found.operation.operationId, params: { ...found.params, ...params, ...query }, body: body.body, workspaceId },
    'clockify-addon api-call',
  );
}

/**
 * The operation at a method and path: a template (`/v1/workspaces/{workspaceId}/projects`) or a
 * concrete path (`/workspaces/abc/projects`), with or without `/api` and `/v1`. Values in a concrete
 * path become path parameters.
 */
export function findByMethodAndPath(
  catalog: Catalog,
  method: string,
  rawPath: string,
): { operation: Operation; params: Record<string, string> } | undefined {
  const upper = method.toUpperCase();
  let path = rawPath
    .split('?')[0]!
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/\/+$/, '');
  path = path.replace(/^\/api(?=\/)/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  const candidates = path.startsWith('/v1/') ? [path] : [`/v1${path}`, path];
  for (const candidate of candidates) {
    const segments = candidate.split('/');
    for (const operation of catalog.operations) {
      if (operation.method !== upper) continue;
      const template = operation.path.split('/');
      if (template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = template.every((part, index) => {
        const given = segments[index]!;
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (!name) return part === given;
        if (given !== part) params[name] = decodeURIComponent(given);
        return given.length > 0;
      });
      if (matches) return { operation, params };
    }
  }
  return undefined;
}

function done(problems: ShapeProblem[], call: ExplorerCall, shape: string): Translation {
  if (problems.length > 0) return { ok: false, problems };
  const cleaned: ExplorerCall = { operationId: call.operationId };
  if (call.params && Object.keys(call.params).length > 0) cleaned.params = call.params;
  if (call.body !== undefined && call.body !== null) cleaned.body = call.body;
  if (call.workspaceId !== undefined) cleaned.workspaceId = call.workspaceId;
  if (!cleaned.operationId) return fail('operation_id', 'is required');
  return { ok: true, call: cleaned, shape };
}

function unknownFields(body: Body, allowed: readonly string[]): ShapeProblem[] {
  return Object.keys(body)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ field: key, message: `is not a field of this request (expected ${allowed.join(', ')})` }));
}

function optionalString(body: Body, key: string, problems: ShapeProblem[]): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
    problems.push({ field: key, message: 'must be a non-empty string' });
    return undefined;
  }
  return value;
}

function optionalBoolean(body: Body, key: string, problems: ShapeProblem[]): void {
  if (body[key] !== undefined && typeof body[key] !== 'boolean') problems.push({ field: key, message: 'must be true or false' });
}

function optionalRecord(body: Body, key: string, problems: ShapeProblem[], field = key): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.push({ field, message: 'must be an object' });
    return undefined;
  }
  return value;
}

function merge(...parts: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  return Object.assign({}, ...parts.filter(Boolean));
}

function fail(field: string, message: string): Translation {
  return { ok: false, problems: [{ field, message }] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
