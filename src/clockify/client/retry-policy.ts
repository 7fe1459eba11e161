/**
 * When and how long to wait before trying a Clockify call again. Pure; the clock and the random source
 * are parameters so the schedule can be tested exactly.
 *
 * - 429 is always retried: Clockify refused the request without acting on it.
 * - 5xx, timeouts and broken connections are retried only when repeating cannot act twice: idempotent
 *   operations (GET/PUT/DELETE and query-only POSTs) or calls that carry an idempotency key (the caller
 *   vouches for them). A connection that was never established is always safe to retry.
 * - The delay is `Retry-After` when Clockify sends it (seconds or an HTTP date), otherwise exponential
 *   backoff with full jitter: random(0, min(maxDelay, base · 2^retryIndex)).
 */
export type RetryReason = '429' | '5xx' | 'network' | 'timeout';

export interface RetrySettings {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the retries instead of stalling the caller. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** Codes of failures that happen before the request reaches the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function wasNeverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

export function reasonForStatus(status: number): RetryReason | undefined {
  if (status === 429) return '429';
  if (status >= 500 && status <= 599) return '5xx';
  return undefined;
}

export function mayRetry(reason: RetryReason, safeToRepeat: boolean, neverSent = false): boolean {
  return reason === '429' || safeToRepeat || neverSent;
}

/** Milliseconds to wait as told by a `Retry-After` header, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Full-jitter exponential backoff for the retry numbered `retryIndex` (0 for the first retry). */
export function backoffDelay(
  retryIndex: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}
