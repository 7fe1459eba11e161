import { setTimeout as sleepFor } from 'node:timers/promises';
import { request as undiciRequest } from 'undici';
import { urlWithQuery } from '../catalog/build-request.js';
import type { BuiltRequest, HttpMethod } from '../catalog/types.js';
import type { Lane } from '../rate-limit/types.js';
import { encodeBody, MAX_REQUEST_BODY_BYTES } from './body.js';
import {
  ClockifyApiError,
  ClockifyClientError,
  ClockifyNetworkError,
  ClockifyTimeoutError,
  HostNotAllowedError,
  PayloadTooLargeError,
} from './errors.js';
import { createHostAllowlist } from './host-allowlist.js';
import { excerpt, redactUrl, scrubText } from './redact.js';
import {
  backoffDelay,
  DEFAULT_RETRY_SETTINGS,
  mayRetry,
  parseRetryAfter,
  reasonForStatus,
  wasNeverSent,
  type RetryReason,
  type RetrySettings,
} from './retry-policy.js';
import type { ApiCallRecord, ApiResponse, ClientCallInput, ClockifyClient, ClockifyClientOptions, RawRequestInput } from './types.js';

const DEFAULT_TIMEOUT_MS = 15_000;
const EXCERPT_BYTES = 2048;
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** What one call needs, whether it came from the catalog (`call`) or not (`request`). */
interface PreparedCall {
  workspaceId: string;
  token: string;
  operationId: string;
  request: BuiltRequest;
  lane: Lane;
  signal: AbortSignal | undefined;
  safeToRepeat: boolean;
  idempotencyKey: string | undefined;
  context: ClientCallInput['context'];
  throwOnHttpError: boolean;
}

type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: unknown }
  | { kind: 'failure'; reason: 'network' | 'timeout'; code: string | undefined; detail: string };

/** Outcome label of a call for metrics: 2xx…5xx, or why no answer arrived. */
type StatusClass = string;

/**
 * The one way this platform talks to Clockify: host allowlist, body limit, per-workspace rate limiter
 * before every attempt, retries with backoff, one redacted record per call, metrics.
 */
export function createClockifyClient(options: ClockifyClientOptions): ClockifyClient {
  const allowlist = createHostAllowlist(options.allowedHosts);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry: RetrySettings = { ...DEFAULT_RETRY_SETTINGS, ...definedOnly(options.retries ?? {}) };
  const maxAttempts = Math.max(1, Math.floor(retry.attempts));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  async function execute(call: PreparedCall): Promise<ApiResponse> {
    const startedAt = new Date();
    const started = performance.now();
    const secrets = [call.token];
    let attempts = 0;
    let status: number | null = null;
    let responseBody: unknown = undefined;
    let responseHeaders: Record<string, string> = {};
    let statusClass: StatusClass = 'refused';

    const report = async (error?: unknown): Promise<void> => {
      const durationMs = performance.now() - started;
      options.metrics?.requests.inc({ operation: call.operationId, status_class: statusClass, lane: call.lane });
      options.metrics?.duration.observe({ operation: call.operationId, lane: call.lane }, durationMs / 1000);
      if (!options.onCall) return;
      const record: ApiCallRecord = {
        workspaceId: call.workspaceId,
        operationId: call.operationId,
        method: call.request.method,
        url: scrubText(redactUrl(urlWithQuery(call.request)), secrets),
        status,
        durationMs,
        attempts,
        lane: call.lane,
        startedAt: startedAt.toISOString(),
        responseExcerpt: excerpt(responseBody, EXCERPT_BYTES, secrets),
        ...(error !== undefined ? { error: scrubText(errorMessage(error), secrets) } : {}),
        ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
        ...(call.context ? { context: call.context } : {}),
      };
      try {
        await options.onCall(record);
      } catch {
        // A failing recorder must not turn a successful Clockify call into a failure.
      }
    };

    try {
      const url = parseUrl(call.request.url);
      const verdict = allowlist(url);
      if (!verdict.allowed) throw new HostNotAllowedError(url.host, verdict.reason);
      if (!call.token) throw new ClockifyClientError('A Clockify token is required for every call');
      const encoded = encodeBody(call.request.body);
      if (encoded.bytes > MAX_REQUEST_BODY_BYTES) throw new PayloadTooLargeError(encoded.bytes, MAX_REQUEST_BODY_BYTES);

      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(call.request.headers)) headers[name.toLowerCase()] = value;
      if (encoded.contentType && !headers['content-type']) headers['content-type'] = encoded.contentType;
      headers['x-addon-token'] = call.token;
      const target = urlWithQuery(call.request);

      for (;;) {
        call.signal?.throwIfAborted();
        const grant = options.limiter ? await options.limiter.acquire(call.workspaceId, call.lane, call.signal) : undefined;
        attempts += 1;
        let outcome: AttemptOutcome;
        try {
          // Settled as soon as Clockify answers (the headers, before the body): it counted the call before that.
          outcome = await attempt(target, call.request.method, headers, encoded.payload, call.signal, () => grant?.settled());
        } finally {
          // Failed or abandoned instead: whenever Clockify counted this attempt, it was before now.
          grant?.settled();
        }

        let reason: RetryReason | undefined;
        let retryAfterMs: number | undefined;
        if (outcome.kind === 'response') {
          status = outcome.status;
          responseBody = outcome.body;
          responseHeaders = outcome.headers;
          statusClass = `${Math.floor(outcome.status / 100)}xx`;
          if (outcome.status >= 200 && outcome.status < 300) break;
          reason = reasonForStatus(outcome.status);
          retryAfterMs = parseRetryAfter(outcome.headers['retry-after'], Date.now());
        } else {
          status = null;
          responseBody = undefined;
          responseHeaders = {};
          statusClass = outcome.reason;
          reason = outcome.reason;
        }

        const neverSent = outcome.kind === 'failure' && wasNeverSent(outcome.code);
        const retryable =
          reason !== undefined &&
          attempts < maxAttempts &&
          mayRetry(reason, call.safeToRepeat, neverSent) &&
          (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs);
        if (!retryable) {
          if (outcome.kind === 'failure') {
            if (outcome.reason === 'timeout') throw new ClockifyTimeoutError(call.operationId, timeoutMs, attempts);
            throw new ClockifyNetworkError(call.operationId, outcome.code, scrubText(outcome.detail, secrets), attempts);
          }
          if (call.throwOnHttpError) {
            throw new ClockifyApiError({
              status: outcome.status,
              operationId: call.operationId,
              bodyExcerpt: excerpt(outcome.body, EXCERPT_BYTES, secrets),
              body: outcome.body,
              headers: outcome.headers,
              attempts,
            });
          }
          break;
        }
        options.metrics?.retries.inc({ reason: reason! });
        await sleep(retryAfterMs ?? backoffDelay(attempts - 1, retry, random), call.signal);
      }

      const response: ApiResponse = {
        status: status!,
        headers: responseHeaders,
        body: responseBody,
        durationMs: performance.now() - started,
        attempts,
      };
      await report();
      return response;
    } catch (error) {
      if (call.signal?.aborted) statusClass = 'aborted';
      await report(error);
      throw error;
    }
  }

  async function attempt(
    target: string,
    method: HttpMethod,
    headers: Record<string, string>,
    payload: string | Uint8Array | FormData | undefined,
    callerSignal: AbortSignal | undefined,
    onAnswer: () => void,
  ): Promise<AttemptOutcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      const response = await undiciRequest(target, {
        method,
        headers,
        // Node's global FormData comes from Node's bundled undici; undici 7 accepts it (duck-typed) but types it apart.
        body: (payload ?? null) as string | Uint8Array | null,
        signal,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      onAnswer();
      const text = await response.body.text();
      const responseHeaders = flattenHeaders(response.headers);
      return {
        kind: 'response',
        status: response.statusCode,
        headers: responseHeaders,
        body: parseBody(text, responseHeaders['content-type']),
      };
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.aborted) return { kind: 'failure', reason: 'timeout', code: 'TIMEOUT', detail: `no answer within ${timeoutMs} ms` };
      const code = errorCode(error);
      return { kind: 'failure', reason: 'network', code, detail: errorMessage(error) };
    }
  }

  return {
    call(input: ClientCallInput): Promise<ApiResponse> {
      const operationId = input.operation?.operationId ?? `${input.request.method} ${pathOf(input.request.url)}`;
      return execute({
        workspaceId: input.workspaceId,
        token: input.token,
        operationId,
        request: input.request,
        lane: input.lane ?? 'interactive',
        signal: input.signal,
        safeToRepeat: (input.operation?.idempotent ?? IDEMPOTENT_METHODS.has(input.request.method)) || input.idempotencyKey !== undefined,
        idempotencyKey: input.idempotencyKey,
        context: input.context,
        throwOnHttpError: input.throwOnHttpError ?? true,
      });
    },
    request(input: RawRequestInput): Promise<ApiResponse> {
      const request: BuiltRequest = {
        method: input.method,
        url: input.url,
        query: input.query ?? {},
        headers: { accept: 'application/json', ...(input.headers ?? {}) },
        ...(input.body !== undefined ? { body: input.body } : {}),
      };
      return execute({
        workspaceId: input.workspaceId,
        token: input.token,
        operationId: input.label,
        request,
        lane: input.lane ?? 'interactive',
        signal: input.signal,
        safeToRepeat: (input.idempotent ?? IDEMPOTENT_METHODS.has(input.method)) || input.idempotencyKey !== undefined,
        idempotencyKey: input.idempotencyKey,
        context: input.context,
        throwOnHttpError: input.throwOnHttpError ?? true,
      });
    },
  };
}

/** Waits, or rejects with the caller's abort reason, like every other abort in the client. */
async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/** A label for calls made without an operation: the path only, since the query may carry values. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ClockifyClientError('The request URL is not an absolute URL');
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const direct = (error as { code?: unknown }).code;
    if (typeof direct === 'string') return direct;
    const cause = (error as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && typeof (cause as { code?: unknown }).code === 'string')
      return (cause as { code: string }).code;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
