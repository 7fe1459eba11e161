import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { defaultsFrom, lookupBudget } from './budget.js';
import { observeWait, type RateLimitMetrics } from './metrics.js';
import type { BudgetLookup, Lane, RateLimiter } from './types.js';

export interface RedisRateLimiterOptions {
  /** An ioredis client; the limiter does not close it. */
  redis: Redis;
  /** Prefix of the Redis keys. Every process that shares a budget must use the same one. Default `clockify:rl`. */
  keyPrefix?: string;
  perSecond?: number;
  backgroundPerSecond?: number;
  budgetFor?: BudgetLookup;
  metrics?: RateLimitMetrics;
  /** Length of the counting window in whole seconds. Default 1 (the budgets are per second). */
  windowSeconds?: number;
  /**
   * When Redis fails, fall back to a per-process in-memory budget instead of failing the call. Default
   * true: calls keep flowing, at the price of each process counting alone while Redis is down.
   */
  fallbackToMemory?: boolean;
}

/**
 * The shared limiter: every process that points at the same Redis and key prefix draws from one
 * budget per workspace. Built on rate-limiter-flexible's RateLimiterRedis (an atomic counter per
 * workspace and window); when the budget is spent the caller waits `msBeforeNext` and tries again,
 * instead of failing.
 *
 * Background calls take a point from the background budget, then from the shared one.
 * Differences from the in-process limiter: windows are fixed (they start at the first call of a
 * window), so two windows back to back can let up to twice the budget through within one second at
 * their boundary; and interactive calls get no precedence over background ones beyond the smaller
 * background budget.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const defaults = defaultsFrom(options);
  const keyPrefix = options.keyPrefix ?? 'clockify:rl';
  const windowSeconds = Math.max(1, Math.floor(options.windowSeconds ?? 1));
  const fallbackToMemory = options.fallbackToMemory ?? true;
  const closing = new AbortController();
  // One RateLimiterRedis per (kind, points): the counters live in Redis under the same key whatever
  // the points, so limiters with different budgets still share one count per workspace.
  const limiters = new Map<string, RateLimiterRedis>();

  function limiterFor(kind: 'all' | 'background', points: number): RateLimiterRedis {
    const id = `${kind}:${points}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      const prefix = `${keyPrefix}:${kind}`;
      limiter = new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: prefix,
        points,
        duration: windowSeconds,
        // With a fallback, a disconnected client should not queue the call until Redis returns.
        rejectIfRedisNotReady: fallbackToMemory,
        ...(fallbackToMemory ? { insuranceLimiter: new RateLimiterMemory({ keyPrefix: prefix, points, duration: windowSeconds }) } : {}),
      });
      limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Resolves true when it had to wait for a later window. */
  async function takePoint(limiter: RateLimiterRedis, workspaceId: string, signal: AbortSignal): Promise<boolean> {
    for (let waited = false; ; waited = true) {
      signal.throwIfAborted();
      try {
        await limiter.consume(workspaceId, 1);
        return waited;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Spent for this window: wait until it ends. At least 1 ms, so a window ending "now" cannot spin.
        await sleepFor(Math.max(1, rejection.msBeforeNext), undefined, { signal });
      }
    }
  }

  return {
    async acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<void> {
      if (closing.signal.aborted) throw new Error('The rate limiter is closed');
      const combined = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      const started = performance.now();
      let waited = false;
      try {
        const budget = await lookupBudget(defaults, options.budgetFor, workspaceId);
        if (lane === 'background') waited = await takePoint(limiterFor('background', budget.backgroundPerSecond), workspaceId, combined);
        waited = (await takePoint(limiterFor('all', budget.perSecond), workspaceId, combined)) || waited;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (closing.signal.aborted) throw new Error('The rate limiter is closed');
        throw error;
      }
      // Calls that went straight through count as no wait, not as the Redis round trip.
      observeWait(options.metrics, lane, waited ? performance.now() - started : 0);
    },

    async close(): Promise<void> {
      closing.abort();
    },
  };
}
