import type { Dispatcher } from 'undici';
import type { BuiltRequest, HttpMethod, Operation } from '../catalog/types.js';
import type { Lane, RateLimiter } from '../rate-limit/types.js';
import type { ClientMetrics } from './metrics.js';

export interface ClockifyClientOptions {
  /** Extra `host`, `host:port` or `*.domain` entries; Clockify's own hosts are always allowed (HTTPS). */
  allowedHosts: string[];
  /** Per attempt. Default 15000. */
  timeoutMs?: number;
  retries?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  limiter?: RateLimiter;
  onCall?: (record: ApiCallRecord) => void | Promise<void>;
  dispatcher?: Dispatcher;
  /** Injected in tests to observe delays without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  metrics?: ClientMetrics;
  /** Random source for backoff jitter, in [0, 1). */
  random?: () => number;
}

interface CallCommon {
  workspaceId: string;
  /** Installation or user token, sent as `X-Addon-Token`; never recorded. */
  token: string;
  lane?: Lane;
  signal?: AbortSignal;
  /** The caller vouches that repeating the call is harmless: 5xx and broken connections are retried. */
  idempotencyKey?: string;
  /** Default true: non-2xx answers throw ClockifyApiError. With false they are returned as responses. */
  throwOnHttpError?: boolean;
  /** Who asked, handed unchanged to `onCall` (the API-call log files the call under it). */
  context?: CallRecordContext;
}

export interface CallRecordContext {
  source: 'explorer' | 'flow' | 'bootstrap' | 'system';
  userId?: string;
  /** What the caller asked for (already redacted), kept so the call can be run again. */
  request?: unknown;
}

export interface ClientCallInput extends CallCommon {
  operation?: Operation;
  request: BuiltRequest;
}

/** For endpoints outside the spec, e.g. `POST ${backendUrl}/addon/user/{userId}/token`. */
export interface RawRequestInput extends CallCommon {
  method: HttpMethod;
  url: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Names the call in records and metrics, e.g. `addon.settings.get`. */
  label: string;
  /** Whether repeating cannot act twice. Default: true for GET, PUT and DELETE. */
  idempotent?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or text when the answer is not JSON; null when empty. */
  body: unknown;
  durationMs: number;
  attempts: number;
}

/** One record per call, whatever its outcome. Contains no token and no secret values. */
export interface ApiCallRecord {
  workspaceId: string;
  operationId: string;
  method: HttpMethod;
  /** With secret-looking query values redacted. */
  url: string;
  /** Null when no answer arrived (refused, network error, timeout, aborted). */
  status: number | null;
  durationMs: number;
  attempts: number;
  lane: Lane;
  startedAt: string;
  error?: string;
  /** Redacted, at most 2 KB. */
  responseExcerpt: string;
  idempotencyKey?: string;
  context?: CallRecordContext;
}

export interface ClockifyClient {
  call(input: ClientCallInput): Promise<ApiResponse>;
  request(input: RawRequestInput): Promise<ApiResponse>;
}
