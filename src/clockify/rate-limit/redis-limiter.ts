import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { defaultsFrom, lookupBudget } from './budget.js';
import { createMemoryRateLimiter } from './memory-limiter.js';
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
 * One atomic step of a sliding-window log: drop grants older than the window, and grant when both
 * the workspace's budget and (for background calls) the background budget have room; otherwise
 * answer how long until the oldest grant leaves the window. Redis's own clock is used, so instances
 * whose clocks differ still count in one time line.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local function room(key, limit)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < limit then return 0 end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
local wait = room(KEYS[1], tonumber(ARGV[2]))
if wait == 0 and #KEYS == 2 then wait = room(KEYS[2], tonumber(ARGV[3])) end
if wait > 0 then return wait end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[i], window)
end
return 0
`;

/**
 * The limiter shared by every process pointing at the same Redis and key prefix: one budget per
 * workspace, counted as a sliding window, so no one-second interval anywhere ever sees more grants
 * than the budget (a fixed-window counter, rate-limiter-flexible's RateLimiterRedis, can let twice
 * the budget through around a window boundary, which Clockify's own limiter would answer with 429s).
 * Callers over budget wait for the oldest grant to leave the window instead of failing.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const defaults = defaultsFrom(options);
  const keyPrefix = options.keyPrefix ?? 'clockify:rl';
  const windowMs = Math.max(1, Math.floor(options.windowSeconds ?? 1)) * 1000;
  const fallbackToMemory = options.fallbackToMemory ?? true;
  const closing = new AbortController();
  const fallback = fallbackToMemory
    ? createMemoryRateLimiter({ perSecond: options.perSecond, backgroundPerSecond: options.backgroundPerSecond, budgetFor: options.budgetFor, windowMs })
    : undefined;
  const redis = options.redis as Redis & { clockifyAcquire?: (...args: (string | number)[]) => Promise<number> };
  if (!redis.clockifyAcquire) redis.defineCommand('clockifyAcquire', { lua: ACQUIRE_SCRIPT });

  async function tryAcquire(keys: string[], perSecond: number, backgroundPerSecond: number): Promise<number> {
    const args = [keys.length, ...keys, windowMs, perSecond, backgroundPerSecond, randomUUID()];
    return Number(await redis.clockifyAcquire!(...args));
  }

  return {
    async acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<void> {
      if (closing.signal.aborted) throw new Error('The rate limiter is closed');
      const combined = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      const started = performance.now();
      let waited = false;
      const budget = await lookupBudget(defaults, options.budgetFor, workspaceId);
      const keys = [`${keyPrefix}:all:{${workspaceId}}`, ...(lane === 'background' ? [`${keyPrefix}:background:{${workspaceId}}`] : [])];
      try {
        for (;;) {
          combined.throwIfAborted();
          let wait: number;
          try {
            wait = await tryAcquire(keys, budget.perSecond, budget.backgroundPerSecond);
          } catch (error) {
            if (combined.aborted) throw error;
            if (!fallback) throw error;
            await fallback.acquire(workspaceId, lane, combined);
            break;
          }
          if (wait <= 0) break;
          waited = true;
          await sleepFor(wait, undefined, { signal: combined });
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (closing.signal.aborted) throw new Error('The rate limiter is closed');
        throw error;
      }
      observeWait(options.metrics, lane, waited ? performance.now() - started : 0);
    },

    async close(): Promise<void> {
      closing.abort();
      await fallback?.close?.();
    },
  };
}
