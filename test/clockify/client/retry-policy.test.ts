import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../../src/clockify/client/index.js';
import { mayRetry, reasonForStatus, wasNeverSent } from '../../../src/clockify/client/retry-policy.js';

describe('Retry-After', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('reads seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('backoff', () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('grows exponentially up to the cap, jittered below the ceiling', () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, settings, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, settings, () => 0)).toBe(0);
  });
});

describe('what may be retried', () => {
  it('always retries 429; 5xx and broken connections only when repeating is harmless', () => {
    expect(reasonForStatus(429)).toBe('429');
    expect(reasonForStatus(502)).toBe('5xx');
    expect(reasonForStatus(404)).toBeUndefined();
    expect(mayRetry('429', false)).toBe(true);
    expect(mayRetry('5xx', false)).toBe(false);
    expect(mayRetry('5xx', true)).toBe(true);
    expect(mayRetry('network', false, wasNeverSent('ECONNREFUSED'))).toBe(true);
    expect(mayRetry('network', false, wasNeverSent('ECONNRESET'))).toBe(false);
  });
});
