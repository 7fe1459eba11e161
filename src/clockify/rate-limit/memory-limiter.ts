import { defaultsFrom, lookupBudget } from './budget.js';
import { observeWait, type RateLimitMetrics } from './metrics.js';
import { SlidingWindowLog } from './sliding-window.js';
import {
  NOTHING_TO_SETTLE,
  SETTLED_WINDOW_GUARD_MS,
  type Budget,
  type BudgetLookup,
  type Grant,
  type Lane,
  type RateLimiter,
} from './types.js';

export interface MemoryRateLimiterOptions {
  /** All lanes together, per workspace. Default 50. */
  perSecond?: number;
  /** Background lane, per workspace. Default 25. */
  backgroundPerSecond?: number;
  budgetFor?: BudgetLookup;
  metrics?: RateLimitMetrics;
  /** Monotonic clock in ms. Default `performance.now`. */
  now?: () => number;
  /** Length of the window the budgets count in. Default 1000 (they are per second). */
  windowMs?: number;
  /**
   * Count each call from when its caller reports it settled (`Grant.settled`), and hold its place
   * until then, instead of counting it from its grant. Default false. See RateLimiter.
   */
  untilSettled?: boolean;
}

interface Waiter {
  lane: Lane;
  budget: Budget;
  enqueuedAt: number;
  resolve: (grant: Grant) => void;
  reject: (reason: unknown) => void;
  detach: () => void;
}

interface WorkspaceState {
  all: SlidingWindowLog;
  background: SlidingWindowLog;
  queue: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

const SWEEP_EVERY = 1024;

/**
 * The in-process limiter, shared by every caller in the process (create one and pass it around).
 *
 * Per workspace: at most `perSecond` grants in any window of one second across both lanes, and at most
 * `backgroundPerSecond` of them for the background lane. Waiters queue per workspace; interactive
 * waiters go before background ones, first come first served within a lane. Workspaces never affect
 * each other.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const defaults = defaultsFrom(options);
  const now = options.now ?? (() => performance.now());
  const windowMs = (options.windowMs ?? 1000) + (options.untilSettled ? SETTLED_WINDOW_GUARD_MS : 0);
  const workspaces = new Map<string, WorkspaceState>();
  let closed = false;
  let acquisitions = 0;

  function stateOf(workspaceId: string): WorkspaceState {
    let state = workspaces.get(workspaceId);
    if (!state) {
      state = { all: new SlidingWindowLog(), background: new SlidingWindowLog(), queue: [], timer: undefined };
      workspaces.set(workspaceId, state);
    }
    return state;
  }

  function nextWaiter(queue: Waiter[]): Waiter | undefined {
    return queue.find((waiter) => waiter.lane === 'interactive') ?? queue[0];
  }

  function pump(state: WorkspaceState): void {
    if (state.timer !== undefined) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    for (;;) {
      const waiter = nextWaiter(state.queue);
      if (!waiter) return;
      const at = now();
      let wait = state.all.waitMs(at, waiter.budget.perSecond, windowMs);
      if (waiter.lane === 'background') wait = Math.max(wait, state.background.waitMs(at, waiter.budget.backgroundPerSecond, windowMs));
      // Infinity: the budget is held by calls still on their way; the first to settle pumps again.
      if (wait > 0) {
        if (wait !== Infinity) state.timer = setTimeout(() => pump(state), Math.ceil(wait));
        return;
      }
      state.queue.splice(state.queue.indexOf(waiter), 1);
      const logs = waiter.lane === 'background' ? [state.all, state.background] : [state.all];
      waiter.detach();
      observeWait(options.metrics, waiter.lane, at - waiter.enqueuedAt);
      if (!options.untilSettled) {
        for (const log of logs) log.record(at);
        waiter.resolve(NOTHING_TO_SETTLE);
        continue;
      }
      for (const log of logs) log.hold();
      let settled = false;
      waiter.resolve({
        settled: () => {
          if (settled || closed) return;
          settled = true;
          const settledAt = now();
          for (const log of logs) log.settle(settledAt);
          pump(state);
        },
      });
    }
  }

  /** Forget workspaces that have neither waiters nor grants inside the window. */
  function sweep(): void {
    const at = now();
    for (const [workspaceId, state] of workspaces) {
      if (state.queue.length === 0 && state.timer === undefined && state.all.isIdle(at, windowMs)) workspaces.delete(workspaceId);
    }
  }

  return {
    async acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<Grant> {
      if (closed) throw new Error('The rate limiter is closed');
      signal?.throwIfAborted();
      const enqueuedAt = now();
      const budget = await lookupBudget(defaults, options.budgetFor, workspaceId);
      if (closed) throw new Error('The rate limiter is closed');
      signal?.throwIfAborted();
      if (++acquisitions % SWEEP_EVERY === 0) sweep();
      const state = stateOf(workspaceId);
      return new Promise<Grant>((resolve, reject) => {
        const onAbort = () => {
          const index = state.queue.indexOf(waiter);
          if (index >= 0) state.queue.splice(index, 1);
          reject(signal!.reason);
          pump(state);
        };
        const waiter: Waiter = {
          lane,
          budget,
          enqueuedAt,
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        state.queue.push(waiter);
        pump(state);
      });
    },

    async close(): Promise<void> {
      closed = true;
      for (const state of workspaces.values()) {
        if (state.timer !== undefined) clearTimeout(state.timer);
        for (const waiter of state.queue.splice(0)) {
          waiter.detach();
          waiter.reject(new Error('The rate limiter is closed'));
        }
      }
      workspaces.clear();
    },
  };
}
