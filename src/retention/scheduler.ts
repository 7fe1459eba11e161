import { hostname } from 'node:os';
import { newId } from '../util/ids.js';
import { runRetention } from './sweeper.js';
import type { RetentionDeps, RetentionOptions } from './sweeper.js';

export interface SchedulerOptions {
  intervalMs: number;
  /**
   * Delay of the first run. Default: a random point in the second half of min(interval, 5 minutes),
   * so instances started together do not all try at once, and a short-lived process (a test, a CLI
   * command) never starts a clean-up it would not finish.
   */
  firstDelayMs?: number;
  sweep?: Omit<RetentionOptions, 'signal' | 'holder' | 'holdForMs'>;
}

/**
 * Runs the clean-up on a timer. Every instance has one; the lease decides who works. The winner keeps
 * the lease for most of the period, so the others' timers find it taken and skip that period.
 */
export class RetentionScheduler {
  readonly holder = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly controller = new AbortController();

  constructor(
    private readonly deps: RetentionDeps,
    private readonly options: SchedulerOptions,
  ) {}

  start(): void {
    const firstDelay = this.options.firstDelayMs ?? Math.round(Math.min(this.options.intervalMs, 5 * 60_000) * (0.5 + Math.random() / 2));
    this.schedule(firstDelay);
  }

  /** Stops the timer; a run in progress stops after its current batch. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  private tick(): void {
    const interval = this.options.intervalMs;
    this.running = runRetention(this.deps, this.deps.now(), {
      ...this.options.sweep,
      holder: this.holder,
      holdForMs: Math.round(interval * 0.9),
      signal: this.controller.signal,
    })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'retention clean-up failed; it runs again next period'))
      .finally(() => {
        this.running = undefined;
        this.schedule(interval);
      });
  }
}
