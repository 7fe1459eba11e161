/**
 * The times of recent grants, to answer "may one more go now, and if not, how long until it may?"
 * for "at most `limit` in any window of `windowMs`". Unlike a token bucket, this never allows a burst of
 * twice the limit across a window boundary, so a workspace never exceeds Clockify's per-second limit.
 */
export class SlidingWindowLog {
  private readonly times: number[] = [];

  /** Milliseconds until one more grant fits; 0 when it fits now. `minGapMs` also keeps grants that far apart. */
  waitMs(now: number, limit: number, windowMs: number, minGapMs = 0): number {
    this.prune(now, windowMs);
    const last = this.times[this.times.length - 1];
    const gapWait = minGapMs > 0 && last !== undefined ? Math.max(0, last + minGapMs - now) : 0;
    if (this.times.length < limit) return gapWait;
    const blocking = this.times[this.times.length - limit]!;
    return Math.max(gapWait, blocking + windowMs - now);
  }

  record(now: number): void {
    this.times.push(now);
  }

  /** True when no grant lies within the window: the log can be dropped. */
  isIdle(now: number, windowMs: number): boolean {
    this.prune(now, windowMs);
    return this.times.length === 0;
  }

  private prune(now: number, windowMs: number): void {
    let expired = 0;
    while (expired < this.times.length && this.times[expired]! <= now - windowMs) expired++;
    if (expired > 0) this.times.splice(0, expired);
  }
}
