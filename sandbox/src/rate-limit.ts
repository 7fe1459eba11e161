/**
 * Clockify's add-on limit: N requests per second per installation per workspace. A true sliding
 * window: a request at time t is allowed when fewer than N requests were allowed in (t - 1000, t].
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** Counts the request and returns true, or returns false (not counted) when the window is full. */
  tryAcquire(key: string, now: number): boolean {
    let window = this.windows.get(key);
    if (!window) {
      window = [];
      this.windows.set(key, window);
    }
    let expired = 0;
    while (expired < window.length && (window[expired] as number) <= now - this.windowMs) expired++;
    if (expired > 0) window.splice(0, expired);
    if (window.length >= this.limit) return false;
    window.push(now);
    return true;
  }
}

/** The largest number of timestamps (ms, ascending) inside any window (t - windowMs, t]. */
export function maxInSlidingWindow(sortedTimestamps: readonly number[], windowMs = 1000): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sortedTimestamps.length; hi++) {
    const t = sortedTimestamps[hi] as number;
    while ((sortedTimestamps[lo] as number) <= t - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
