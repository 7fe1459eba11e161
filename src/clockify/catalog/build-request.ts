import { toFormData } from './multipart.js';
import type { BaseUrls, BuiltRequest, CallInput, Operation, ServerKind } from './types.js';

/**
 * Address an operation: substitute and URI-encode path parameters, pick the server, collect query and
 * header parameters as strings. Pure, and never adds a token (the API client does that).
 *
 * Servers: `backend` → `backendUrl + path` (backendUrl is the token claim, e.g. `https://api.clockify.me/api`,
 * and the spec paths start with `/v1`); `reports` → `reportsUrl + path`; `auditlog` → `auditLogUrl + path`,
 * where a missing auditLogUrl is derived from backendUrl by `deriveAuditLogUrl`.
 *
 * Values that are undefined, null or '' are left out, so an empty form field means "not given".
 * Call `validateCall` first; a missing path parameter here is a programming error and throws.
 */
export function buildRequest(operation: Operation, input: CallInput, baseUrls: BaseUrls): BuiltRequest {
  const params = input.params ?? {};
  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`Missing path parameter ${name} for ${operation.operationId}`);
    }
    return encodeURIComponent(scalarToString(value));
  });

  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const parameter of operation.parameters) {
    const value = params[parameter.name];
    if (value === undefined || value === null || value === '') continue;
    if (parameter.in === 'query') {
      query[parameter.name] = Array.isArray(value) ? value.map(scalarToString) : scalarToString(value);
    } else if (parameter.in === 'header') {
      headers[parameter.name.toLowerCase()] = Array.isArray(value) ? value.map(scalarToString).join(',') : scalarToString(value);
    }
  }

  const request: BuiltRequest = { method: operation.method, url: joinUrl(serverUrl(operation.server, baseUrls), path), query, headers };
  if (input.body !== undefined) {
    // Multipart operations: the fields and file values become the form the spec describes.
    request.body =
      operation.requestBody?.contentType === 'multipart/form-data' ? toFormData(operation.requestBody.schema, input.body) : input.body;
    // Multipart content types carry a boundary the HTTP layer chooses; only JSON is declared here.
    if (operation.requestBody?.contentType === 'application/json' || !operation.requestBody) {
      headers['content-type'] = 'application/json';
    }
  }
  return request;
}

export function serverUrl(server: ServerKind, baseUrls: BaseUrls): string {
  switch (server) {
    case 'backend':
      return baseUrls.backendUrl;
    case 'reports':
      return baseUrls.reportsUrl;
    case 'auditlog':
      return baseUrls.auditLogUrl ?? deriveAuditLogUrl(baseUrls.backendUrl);
  }
}

/**
 * Installation tokens carry `backendUrl` and `reportsUrl` but no audit-log URL. On the global cloud
 * (`api.clockify.me`) the audit log lives on its own host, `https://auditlog-api.api.clockify.me`
 * (spec path server). Elsewhere (regional hosts, developer environment, a local stand-in) no host is
 * documented, so the audit log is assumed to be served under `<origin of backendUrl>/auditlog` [U].
 */
export function deriveAuditLogUrl(backendUrl: string): string {
  const url = new URL(backendUrl);
  if (url.hostname === 'api.clockify.me') return 'https://auditlog-api.api.clockify.me';
  return `${url.origin}/auditlog`;
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

function scalarToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The full URL with its query string, as the client sends it (arrays become repeated keys). */
export function urlWithQuery(request: Pick<BuiltRequest, 'url' | 'query'>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (Array.isArray(value)) for (const item of value) search.append(name, item);
    else search.append(name, value);
  }
  const text = search.toString();
  return text ? `${request.url}?${text}` : request.url;
}
