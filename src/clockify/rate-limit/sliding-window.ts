/**
 * The times of recent calls, to answer "may one more go now, and if not, how long until it may?"
 * for "at most `limit` in any window of `windowMs`". Unlike a token bucket, this never allows a burst of
 * twice the limit across a window boundary, so a workspace never exceeds Clockify's per-second limit.
 *
 * A call is counted either from its grant (`record`) or, held open (`open`), from when it settled
 * (`settle`): until then it stays in every window, since it may still be on its way.
 */
export class SlidingWindowLog {
  private readonly times: number[] = [];
  private open = 0;

  /** Milliseconds until one more call fits; 0 when it fits now, Infinity when only a settling call can make room. */
  waitMs(now: number, limit: number, windowMs: number): number {
    this.prune(now, windowMs);
    const room = limit - this.open;
    if (room <= 0) return Infinity;
    if (this.times.length < room) return 0;
    const blocking = this.times[this.times.length - room]!;
    return blocking + windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }

  /** A call granted now whose place counts from when it settles. */
  hold(): void {
    this.open += 1;
  }

  /** The held call settled at `now` (non-decreasing across calls): from now on it counts from then. */
  settle(now: number): void {
    this.open = Math.max(0, this.open - 1);
    this.times.push(now);
  }

  /** True when no call is held and none lies within the window: the log can be dropped. */
  isIdle(now: number, windowMs: number): boolean {
    this.prune(now, windowMs);
    return this.times.length === 0 && this.open === 0;
  }

  private prune(now: number, windowMs: number): void {
    let expired = 0;
    while (expired < this.times.length && this.times[expired]! <= now - windowMs) expired++;
    if (expired > 0) this.times.splice(0, expired);
  }
}
