/**
 * The times of recent grants, to answer "may one more go now, and if not, how long until it may?"
 * for "at most `limit` in any window of `windowMs`". Unlike a token bucket, this never allows a burst of
 * twice the limit across a window boundary, so a workspace never exceeds Clockify's per-second limit.
 */
export class SlidingWindowLog {
  private readonly times: number[] = [];

  /** Milliseconds until one more grant fits; 0 when it fits now. */
  waitMs(now: number, limit: number, windowMs: number): number {
    this.prune(now, windowMs);
    if (this.times.length < limit) return 0;
    const blocking = this.times[this.times.length - limit]!;
    return Math.max(0, blocking + windowMs - now);
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
