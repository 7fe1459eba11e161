import { setMaxListeners } from 'node:events';
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
   * Added to the counting window. A grant is not an arrival: calls granted 1000 ms apart can reach
   * Clockify less than a second apart when the earlier one spent longer on its way, which Clockify's
   * sliding second answers with 429. Default 0.
   */
  marginMs?: number;
  /** Spread a workspace's grants evenly, at least window / perSecond apart (see the in-memory limiter). Default false. */
  evenly?: boolean;
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
local function room(key, limit, gap)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local wait = 0
  if gap > 0 then
    local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
    if newest[2] and tonumber(newest[2]) + gap > now then wait = math.ceil(tonumber(newest[2]) + gap - now) end
  end
  if redis.call('ZCARD', key) < limit then return wait end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, wait, tonumber(oldest[2]) + window - now)
end
local wait = room(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[5]))
if wait == 0 and #KEYS == 2 then wait = room(KEYS[2], tonumber(ARGV[3]), 0) end
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
  const windowMs = Math.max(1, Math.floor(options.windowSeconds ?? 1)) * 1000 + Math.max(0, Math.floor(options.marginMs ?? 0));
  const fallbackToMemory = options.fallbackToMemory ?? true;
  const closing = new AbortController();
  // Every waiting caller listens for close: many at once is normal under load.
  setMaxListeners(0, closing.signal);
  const fallback = fallbackToMemory
    ? createMemoryRateLimiter({
        perSecond: options.perSecond,
        backgroundPerSecond: options.backgroundPerSecond,
        budgetFor: options.budgetFor,
        windowMs,
        evenly: options.evenly,
      })
    : undefined;
  const redis = options.redis as Redis & { clockifyAcquire?: (...args: (string | number)[]) => Promise<number> };
  if (!redis.clockifyAcquire) redis.defineCommand('clockifyAcquire', { lua: ACQUIRE_SCRIPT });

  async function tryAcquire(keys: string[], perSecond: number, backgroundPerSecond: number): Promise<number> {
    const gapMs = options.evenly ? Math.floor(windowMs / perSecond) : 0;
    const args = [keys.length, ...keys, windowMs, perSecond, backgroundPerSecond, randomUUID(), gapMs];
    return Number(await redis.clockifyAcquire!(...args));
  }

  // Callers of one workspace and lane in this process ask Redis one at a time: a crowd of waiters
  // polling Redis together (every few ms when grants are spread evenly) would only load Redis and the event loop.
  const turns = new Map<string, Promise<void>>();
  async function takeTurn(key: string, signal: AbortSignal): Promise<() => void> {
    const previous = turns.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    turns.set(key, tail);
    const done = () => {
      release();
      if (turns.get(key) === tail) turns.delete(key);
    };
    try {
      await untilSettledOrAborted(previous, signal);
    } catch (error) {
      done();
      throw error;
    }
    return done;
  }

  return {
    async acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<void> {
      if (closing.signal.aborted) throw new Error('The rate limiter is closed');
      const combined = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      const started = performance.now();
      let waited = false;
      const budget = await lookupBudget(defaults, options.budgetFor, workspaceId);
      const keys = [`${keyPrefix}:all:{${workspaceId}}`, ...(lane === 'background' ? [`${keyPrefix}:background:{${workspaceId}}`] : [])];
      let endTurn: (() => void) | undefined;
      try {
        endTurn = await takeTurn(`${lane}:${workspaceId}`, combined);
        for (;;) {
          combined.throwIfAborted();
          let wait: number;
          if (fallback && LOST.has(redis.status)) {
            // Redis went away: count in this process at once rather than queue behind its reconnection.
            await fallback.acquire(workspaceId, lane, combined);
            break;
          }
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
      } finally {
        endTurn?.();
      }
      observeWait(options.metrics, lane, waited ? performance.now() - started : 0);
    },

    async close(): Promise<void> {
      closing.abort();
      await fallback?.close?.();
    },
  };
}

/** Connection states of a client that was connected and lost it (not one still making its first connection). */
const LOST = new Set(['reconnecting', 'close', 'end']);

function untilSettledOrAborted(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
