import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimiter, createRateLimitMetrics, type Lane, type RateLimiter } from '../../../src/clockify/rate-limit/index.js';
import { SETTLED_WINDOW_GUARD_MS } from '../../../src/clockify/rate-limit/types.js';

interface Grant {
  workspaceId: string;
  lane: Lane;
  at: number;
}

let grants: Grant[];
let start: number;

beforeEach(() => {
  vi.useFakeTimers();
  grants = [];
  start = Date.now();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Start acquisitions now; each records when it was let through. */
function request(limiter: RateLimiter, workspaceId: string, lane: Lane, count: number, signal?: AbortSignal): Promise<void>[] {
  return Array.from({ length: count }, () =>
    limiter.acquire(workspaceId, lane, signal).then(() => {
      grants.push({ workspaceId, lane, at: Date.now() - start });
    }),
  );
}

/** The most grants found in any window [t, t + 1000) that starts at a grant. */
function maxInAnyWindow(list: Grant[]): number {
  const times = list.map((grant) => grant.at).sort((a, b) => a - b);
  let max = 0;
  for (const [index, from] of times.entries()) {
    const inWindow = times.slice(index).filter((time) => time < from + 1000).length;
    max = Math.max(max, inWindow);
  }
  return max;
}

const of = (workspaceId: string, lane?: Lane) =>
  grants.filter((grant) => grant.workspaceId === workspaceId && (lane === undefined || grant.lane === lane));

describe('in-process rate limiter', () => {
  it('lets at most N through per second for a workspace, while another workspace is unaffected', async () => {
    const limiter = createMemoryRateLimiter({ perSecond: 5, backgroundPerSecond: 2, now: () => Date.now() });
    const busy = request(limiter, 'busy', 'interactive', 23);
    const quiet = request(limiter, 'quiet', 'interactive', 4);

    await vi.advanceTimersByTimeAsync(0);
    expect(of('busy')).toHaveLength(5);
    expect(of('quiet')).toHaveLength(4); // not queued behind the busy workspace

    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([...busy, ...quiet]);
    expect(of('busy')).toHaveLength(23);
    expect(maxInAnyWindow(of('busy'))).toBe(5);
    // Full throughput: 23 grants at 5 per second take four more windows, not more.
    expect(Math.max(...of('busy').map((grant) => grant.at))).toBe(4000);
    expect(of('quiet').every((grant) => grant.at === 0)).toBe(true);
  });

  it('gives background work a smaller share and lets interactive calls go first', async () => {
    const limiter = createMemoryRateLimiter({ perSecond: 5, backgroundPerSecond: 2, now: () => Date.now() });
    const background = request(limiter, 'ws', 'background', 10);
    const interactive = request(limiter, 'ws', 'interactive', 3);

    await vi.advanceTimersByTimeAsync(0);
    expect(of('ws', 'background')).toHaveLength(2);
    expect(of('ws', 'interactive')).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([...background, ...interactive]);
    expect(maxInAnyWindow(of('ws', 'background'))).toBe(2);
    expect(maxInAnyWindow(of('ws'))).toBeLessThanOrEqual(5);
  });

  it('uses a per-workspace budget override', async () => {
    const limiter = createMemoryRateLimiter({
      perSecond: 50,
      now: () => Date.now(),
      budgetFor: (workspaceId) => (workspaceId === 'limited' ? { perSecond: 3 } : undefined),
    });
    const waits = [...request(limiter, 'limited', 'interactive', 9), ...request(limiter, 'normal', 'interactive', 9)];
    await vi.advanceTimersByTimeAsync(0);
    expect(of('limited')).toHaveLength(3);
    expect(of('normal')).toHaveLength(9);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(waits);
    expect(maxInAnyWindow(of('limited'))).toBe(3);
  });

  it('stops waiting when the caller aborts, and gives the place to the next caller', async () => {
    const limiter = createMemoryRateLimiter({ perSecond: 1, now: () => Date.now() });
    await limiter.acquire('ws', 'interactive');
    const controller = new AbortController();
    const abandoned = limiter.acquire('ws', 'interactive', controller.signal);
    const next = request(limiter, 'ws', 'interactive', 1);
    controller.abort(new Error('user left'));
    await expect(abandoned).rejects.toThrow('user left');
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(next);
    expect(grants).toEqual([{ workspaceId: 'ws', lane: 'interactive', at: 1000 }]);
  });

  it('makes waiting visible in metrics', async () => {
    const registry = new Registry();
    const limiter = createMemoryRateLimiter({ perSecond: 2, now: () => Date.now(), metrics: createRateLimitMetrics(registry) });
    const waits = request(limiter, 'ws', 'interactive', 5);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(waits);
    const waited = await registry.getSingleMetric('clockify_rate_limit_waits_total')!.get();
    expect(waited.values).toEqual([expect.objectContaining({ labels: { lane: 'interactive' }, value: 3 })]);
    const exposition = await registry.metrics();
    expect(exposition).toContain('clockify_rate_limit_wait_seconds_count{lane="interactive"} 5');
  });

  it('counted from when calls settled, holds the place of a call still on its way and counts it from its answer', async () => {
    const limiter = createMemoryRateLimiter({ perSecond: 2, now: () => Date.now(), untilSettled: true });
    const first = await limiter.acquire('ws', 'interactive');
    const second = await limiter.acquire('ws', 'interactive');
    const third = request(limiter, 'ws', 'interactive', 1);
    // Granted seconds ago, unanswered: either may still reach Clockify now, so nothing more goes.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(grants).toEqual([]);
    first.settled();
    second.settled();
    // A second after the answers, and the few milliseconds that cover rounding and a second clock.
    await vi.advanceTimersByTimeAsync(999 + SETTLED_WINDOW_GUARD_MS);
    expect(grants).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(third);
    expect(grants).toEqual([{ workspaceId: 'ws', lane: 'interactive', at: 6000 + SETTLED_WINDOW_GUARD_MS }]);
  });

  it('rejects waiters when closed', async () => {
    const limiter = createMemoryRateLimiter({ perSecond: 1, now: () => Date.now() });
    await limiter.acquire('ws', 'interactive');
    const waiting = limiter.acquire('ws', 'interactive');
    await limiter.close?.();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});
