/**
 * Whether the webhook answers Clockify got just turned into a burst of 5xx: `threshold` of them
 * within `windowMs` says "deliveries are failing", and Clockify's delivery log will hold what it
 * could not hand over. Once said, it stays quiet for a window, so a long burst asks for one early
 * reconciliation a minute, not one per failure. Pure: the caller passes the time.
 */
export class FailureBurst {
  private readonly failures: number[] = [];
  private quietUntil = 0;

  constructor(
    private readonly threshold: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Notes one failed answer; true when it completes a burst. */
  note(now: number): boolean {
    if (this.threshold <= 0) return false;
    this.failures.push(now);
    while (this.failures.length > 0 && this.failures[0]! <= now - this.windowMs) this.failures.shift();
    if (this.failures.length < this.threshold || now < this.quietUntil) return false;
    this.failures.length = 0;
    this.quietUntil = now + this.windowMs;
    return true;
  }
}
