/** Work that a person waits for goes first; bulk work (bootstrap, flows) gets a smaller share. */
export type Lane = 'interactive' | 'background';

/**
 * Every outgoing Clockify call of a workspace passes `acquire` first. It resolves when the call may be
 * sent and rejects only when `signal` aborts (or the limiter is closed): callers wait, never fail.
 */
export interface RateLimiter {
  acquire(workspaceId: string, lane: Lane, signal?: AbortSignal): Promise<Grant>;
  close?(): Promise<void>;
}

/**
 * One call let through. The caller reports when the call settled (Clockify's answer began to arrive,
 * or the call failed or was abandoned); reports after the first are ignored. A limiter built to count from there (`untilSettled`) holds the
 * call's place in the workspace's budget until then: Clockify counts a call when it arrives, which
 * is some time between the grant and the answer, later the busier this process or the network is;
 * a call granted a full window after the answer can never meet it inside one of Clockify's seconds.
 */
export interface Grant {
  settled(): void;
}

/**
 * Added to the window when calls are counted from when they settled. The call arrived at Clockify
 * before its answer started back, so counting from the answer is already late; these milliseconds
 * cover what timestamps lose to rounding (whole milliseconds here, finer at the other end) and the
 * gap between two clocks of one machine (Redis's and Node's). Without it a call could be let go
 * 999.x ms after the arrival it should wait a full second for (seen: one 429 in 300 calls).
 */
export const SETTLED_WINDOW_GUARD_MS = 5;

/** The grant of a limiter that counts calls from their grant: nothing to report. */
export const NOTHING_TO_SETTLE: Grant = Object.freeze({ settled: () => undefined });

/** Requests per second allowed for one workspace. */
export interface Budget {
  /** All lanes together. Clockify allows 50 per add-on per workspace (PLATFORM.md §5.3). */
  perSecond: number;
  /** Background lane alone; at most `perSecond`. */
  backgroundPerSecond: number;
}

/**
 * Per-workspace override (e.g. the `max_rps` setting). Return undefined to use the defaults; missing
 * fields fall back to the defaults too. Called on every acquisition, so answer from memory.
 */
export type BudgetLookup = (workspaceId: string) => Partial<Budget> | undefined | Promise<Partial<Budget> | undefined>;

export const DEFAULT_BUDGET: Budget = Object.freeze({ perSecond: 50, backgroundPerSecond: 25 });
