import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/server/token-buckets.js';

describe('TokenBuckets', () => {
  it('lets the burst through at once, then one per refill interval, saying how long to wait', () => {
    const buckets = new TokenBuckets({ burst: 3, perMinute: 60 });
    expect([0, 0, 0].map((at) => buckets.take('a', at).ok)).toEqual([true, true, true]);
    expect(buckets.take('a', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(buckets.take('a', 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(buckets.take('a', 1000).ok).toBe(true);
    expect(buckets.take('a', 1000).ok).toBe(false);
    // Another key has its own bucket; a long pause refills to the burst, never beyond.
    expect(buckets.take('b', 1000).ok).toBe(true);
    expect([1, 2, 3, 4].map(() => buckets.take('a', 100_000).ok)).toEqual([true, true, true, false]);
  });

  it('peeks without taking', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 60 });
    expect(buckets.peek('a', 0).ok).toBe(true);
    expect(buckets.take('a', 0).ok).toBe(true);
    expect(buckets.peek('a', 500)).toEqual({ ok: false, retryAfterMs: 500 });
    expect(buckets.peek('a', 1000).ok).toBe(true);
  });

  it('forgets the least recently used key past its bound (which only gives that key a full bucket)', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 1 }, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 0);
    expect(buckets.take('a', 0).ok).toBe(true);
    expect(buckets.take('c', 0).ok).toBe(false);
  });
});
