import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { defaultsFrom, lookupBudget } from './budget.js';
import { createMemoryRateLimiter } from './memory-limiter.js';
import { observeWait, type RateLimitMetrics } from './metrics.js';
import { NOTHING_TO_SETTLE, SETTLED_WINDOW_GUARD_MS, type BudgetLookup, type Grant, type Lane, type RateLimiter } from './types.js';

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
   * Count each call from when it settled and hold its place until then (see RateLimiter and the
   * in-memory limiter). A held place is given up after `maxHoldMs` even unsettled (its process may
   * have died): at least the client's timeout. Default false.
   */
  untilSettled?: boolean;
  /** Default 60 000. */
  maxHoldMs?: number;
  /**
   * When Redis fails, fall back to a per-process in-memory budget instead of failing the call. Default
   * true: calls keep flowing, at the price of each process counting alone while Redis is down.
   */
  fallbackToMemory?: boolean;
}

/**
 * One atomic step of a sliding-window log: drop calls older than the window, and grant when both
 * the workspace's budget and (for background calls) the background budget have room; otherwise
 * answer how long until the call that blocks leaves the window (-1: it is still held, unsettled).
 * Redis's own clock is used, so instances whose clocks differ still count in one time line. A held
 * call is stored at the time its hold runs out; settling moves it to the time it settled.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local hold = tonumber(ARGV[5])
local function room(key, limit)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local blocking = tonumber(redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')[2])
  if hold > 0 and blocking > now then return -1 end
  return math.max(1, blocking + window - now)
end
local wait = room(KEYS[1], tonumber(ARGV[2]))
if wait == 0 and #KEYS == 2 then wait = room(KEYS[2], tonumber(ARGV[3])) end
if wait ~= 0 then return wait end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + hold, ARGV[4])
  redis.call('PEXPIRE', KEYS[i], window + hold)
end
return 0
`;

/** A held call settled: it counts from now (Redis's clock), if its hold has not run out already. */
const SETTLE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
end
return 0
`;

/** How long a caller whose budget is held by unsettled calls of another process waits before asking again. */
const HELD_RECHECK_MS = 25;

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
  const windowSeconds = Math.max(1, Math.floor(options.windowSeconds ?? 1));
  const windowMs = windowSeconds * 1000 + (options.untilSettled ? SETTLED_WINDOW_GUARD_MS : 0);
  const holdMs = options.untilSettled ? Math.max(1, Math.floor(options.maxHoldMs ?? 60_000)) : 0;
  const fallbackToMemory = options.fallbackToMemory ?? true;
  const closing = new AbortController();
  // Every waiting caller listens for close: many at once is normal under load.
  setMaxListeners(0, closing.signal);
  const fallback = fallbackToMemory
    ? createMemoryRateLimiter({
        perSecond: options.perSecond,
        backgroundPerSecond: options.backgroundPerSecond,
        budgetFor: options.budgetFor,
        windowMs: windowSeconds * 1000,
        untilSettled: options.untilSettled,
      })
    : undefined;
  type Command = (...args: (string | number)[]) => Promise<number>;
  const redis = options.redis as Redis & { clockifyAcquireHeld?: Command; clockifySettle?: Command };
  if (!redis.clockifyAcquireHeld) redis.defineCommand('clockifyAcquireHeld', { lua: ACQUIRE_SCRIPT });
  if (!redis.clockifySettle) redis.defineCommand('clockifySettle', { lua: SETTLE_SCRIPT });

  async function tryAcquire(keys: string[], member: string, perSecond: number, backgroundPerSecond: number): Promise<number> {
    return Number(await redis.clockifyAcquireHeld!(keys.length, ...keys, windowMs, perSecond, backgroundPerSecond, member, holdMs));
  }

  // A call of this process that settles wakes this process's callers waiting on its workspace at once.
  const sleepers = new Map<string, Set<() => void>>();
  function wake(workspaceId: string): void {
    for (const sleeper of sleepers.get(workspaceId) ?? []) sleeper();
  }
  async function nap(workspaceId: string, ms: number, signal: AbortSignal): Promise<void> {
    const wakeUp = new AbortController();
    const sleeper = () => wakeUp.abort();
    const set = sleepers.get(workspaceId) ?? new Set();
    sleepers.set(workspaceId, set.add(sleeper));
    try {
      await sleepFor(ms, undefined, { signal: AbortSignal.any([signal, wakeUp.signal]) }).catch((error: unknown) => {
        if (signal.aborted) throw error;
      });
    } finally {
      set.delete(sleeper);
      if (set.size === 0 && sleepers.get(workspaceId) === set) sleepers.delete(workspaceId);
    }
  }

  function heldGrant(workspaceId: string, keys: string[], member: string): Grant {
    let settled = false;
    return {
      settled: () => {
        if (settled) return;
        settled = true;
        // Unsettled in Redis (it is down), the place is given up when its hold runs out.
        void redis.clockifySettle!(keys.length, ...keys, member)
          .catch(() => undefined)
          .finally(() => wake(workspaceId));
      },
    };
  }

  // Callers of one workspace and lane in this process ask Redis one at a time: a crowd of waiters
  // polling Redis together (every few ms while another process's calls hold the budget) would only load Redis and the event loop.
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
    async acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<Grant> {
      if (closing.signal.aborted) throw new Error('The rate limiter is closed');
      const combined = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      const started = performance.now();
      let waited = false;
      const budget = await lookupBudget(defaults, options.budgetFor, workspaceId);
      const keys = [`${keyPrefix}:all:{${workspaceId}}`, ...(lane === 'background' ? [`${keyPrefix}:background:{${workspaceId}}`] : [])];
      const member = randomUUID();
      let grant: Grant = NOTHING_TO_SETTLE;
      let endTurn: (() => void) | undefined;
      try {
        endTurn = await takeTurn(`${lane}:${workspaceId}`, combined);
        for (;;) {
          combined.throwIfAborted();
          let wait: number;
          if (fallback && LOST.has(redis.status)) {
            // Redis went away: count in this process at once rather than queue behind its reconnection.
            grant = await fallback.acquire(workspaceId, lane, combined);
            break;
          }
          try {
            wait = await tryAcquire(keys, member, budget.perSecond, budget.backgroundPerSecond);
          } catch (error) {
            if (combined.aborted) throw error;
            if (!fallback) throw error;
            grant = await fallback.acquire(workspaceId, lane, combined);
            break;
          }
          if (wait === 0) {
            if (holdMs > 0) grant = heldGrant(workspaceId, keys, member);
            break;
          }
          waited = true;
          await nap(workspaceId, wait < 0 ? HELD_RECHECK_MS : wait, combined);
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (closing.signal.aborted) throw new Error('The rate limiter is closed');
        throw error;
      } finally {
        endTurn?.();
      }
      observeWait(options.metrics, lane, waited ? performance.now() - started : 0);
      return grant;
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
