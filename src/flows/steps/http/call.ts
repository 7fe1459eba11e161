import { request as undiciRequest } from 'undici';
import type { Dispatcher } from 'undici';
import { BlockedDestinationError, checkUrlSyntax } from '../../../net/ssrf.js';
import { redactUrl } from '../../../credentials/redact.js';
import type { Redactor } from '../../../observability/redact.js';
import type { HttpAction } from '../../model.js';
import { renderValue } from '../../templates.js';
import type { TemplateContext } from '../../templates.js';
import type { ActionOutcome } from '../action-outcome.js';

const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_REQUEST_BYTES = 1024 * 1024;
/** Headers a flow may not set: they belong to the connection or would impersonate something. */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-authorization',
]);

export type PreparedHttpCall =
  | { ok: true; method: HttpAction['method']; url: string; headers: Record<string, string>; body?: string; missing: string[] }
  | { ok: false; error: string; missing: string[] };

/** Pure: renders URL, headers and body; checks the URL's form (the address is checked again at connect time). */
export function prepareHttpCall(action: HttpAction, context: TemplateContext): PreparedHttpCall {
  const url = renderValue(action.url, context);
  if (!url.ok) return { ok: false, error: `url: ${url.message}`, missing: url.missing };
  const check = checkUrlSyntax(String(url.value));
  if (!check.ok) return { ok: false, error: `url: ${check.reason}`, missing: url.missing };
  const headers = renderValue(action.headers ?? {}, context);
  if (!headers.ok) return { ok: false, error: `headers: ${headers.message}`, missing: headers.missing };
  const finalHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers.value as Record<string, unknown>)) {
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) return { ok: false, error: `headers: ${name} may not be set`, missing: [] };
    finalHeaders[name.toLowerCase()] = String(value ?? '');
  }
  let body: string | undefined;
  const missing = [...url.missing, ...headers.missing];
  if (action.body !== undefined && action.method !== 'GET') {
    const rendered = renderValue(action.body, context);
    if (!rendered.ok) return { ok: false, error: `body: ${rendered.message}`, missing: [...missing, ...rendered.missing] };
    missing.push(...rendered.missing);
    body = typeof rendered.value === 'string' ? rendered.value : JSON.stringify(rendered.value);
    if (Buffer.byteLength(body) > MAX_REQUEST_BYTES) return { ok: false, error: 'body larger than 1 MB', missing };
    finalHeaders['content-type'] ??= typeof rendered.value === 'string' ? 'text/plain' : 'application/json';
  }
  return {
    ok: true,
    method: action.method,
    url: check.url.toString(),
    headers: finalHeaders,
    ...(body === undefined ? {} : { body }),
    missing,
  };
}

export async function sendHttpCall(
  prepared: Extract<PreparedHttpCall, { ok: true }>,
  dispatcher: Dispatcher,
  redactor: Redactor,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const requestView = {
    method: prepared.method,
    url: redactUrl(redactor.redact(prepared.url)),
    headers: redactor.redact(prepared.headers),
    body: prepared.body === undefined ? undefined : redactor.redact(tryJson(prepared.body)),
  };
  try {
    const response = await undiciRequest(prepared.url, {
      method: prepared.method,
      headers: { 'user-agent': 'clockify-addon-platform-flows', ...prepared.headers },
      body: prepared.body,
      dispatcher,
      signal,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
      maxRedirections: 0,
    } as Parameters<typeof undiciRequest>[1]);
    const text = await readLimited(response.body, MAX_RESPONSE_BYTES);
    const contentType = String(response.headers['content-type'] ?? '');
    const body = contentType.includes('json') ? tryJson(text) : text;
    const ok = response.statusCode < 400;
    return {
      ok,
      status: response.statusCode,
      body: redactor.redact(body),
      headers: { 'content-type': contentType },
      request: requestView,
      retryable: response.statusCode === 429 || response.statusCode >= 500,
      ...(ok ? {} : { error: `the endpoint answered ${response.statusCode}` }),
    };
  } catch (error) {
    const blocked = error instanceof BlockedDestinationError || (error as { cause?: unknown }).cause instanceof BlockedDestinationError;
    const message = blocked
      ? ((error as { cause?: Error }).cause?.message ?? (error as Error).message)
      : error instanceof Error
        ? error.message
        : String(error);
    return { ok: false, status: blocked ? 'refused' : 'network', request: requestView, error: message, retryable: !blocked };
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      chunks.push(buffer.subarray(0, buffer.length - (size - limit)));
      body.destroy();
      break;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
