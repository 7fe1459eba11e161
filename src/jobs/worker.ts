import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { newId } from '../util/ids.js';
import type { Job, JobQueue } from './queue.js';

export interface JobContext {
  /** Aborted when the worker shuts down past its deadline; long jobs should stop at the next checkpoint. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * What a handler may report instead of plain success: try again later without counting an attempt
 * (`deferMs`), or that it completed the job itself, with its own writes (`completed`: whether the
 * claim still held, see JobQueue.complete).
 */
export interface JobOutcome {
  deferMs?: number;
  completed?: boolean;
}

export type JobHandler = (job: Job, context: JobContext) => Promise<void | JobOutcome>;

export interface WorkerOptions {
  concurrency: number;
  pollIntervalMs?: number;
  leaseMs: number;
  logger: Logger;
  onJobFinished?: (job: Job, outcome: 'done' | 'retry' | 'dead' | 'deferred' | 'lost', durationMs: number) => void;
}

/**
 * Claims jobs from the queue and runs them with bounded concurrency. Claims are leases renewed while
 * a job runs, so a killed instance's jobs are taken over by another once the lease expires.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly running = new Map<number, { job: Job; promise: Promise<void>; controller: AbortController }>();
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private unsubscribe: (() => void) | undefined;
  /** Jobs whose outcome could not be written (the database was down): handed back once it answers again. */
  private readonly unsettled = new Map<number, Job>();

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped || this.options.concurrency <= 0) return;
    this.stopped = false;
    this.unsubscribe = this.queue.onNotify(() => this.poll());
    this.heartbeat = setInterval(
      () => {
        void this.queue
          .extendLease([...this.running.values()].map((entry) => entry.job))
          .catch((error) => this.options.logger.warn({ err: error }, 'could not extend job leases'));
      },
      Math.max(500, Math.floor(this.options.leaseMs / 3)),
    );
    this.heartbeat.unref();
    this.poll();
  }

  get activeJobs(): number {
    return this.running.size;
  }

  /** Stops claiming, waits up to `deadlineMs` for running jobs, then aborts them and hands their claims back. */
  async stop(deadlineMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    const all = Promise.allSettled([...this.running.values()].map((entry) => entry.promise));
    const timedOut = await Promise.race([all.then(() => false), delay(deadlineMs).then(() => true)]);
    if (timedOut) {
      // Snapshot first: a job that honours the abort leaves `running` as it settles, and must still be handed back.
      const overrunning = [...this.running.values()];
      for (const entry of overrunning) entry.controller.abort();
      await Promise.race([all, delay(1000)]);
      for (const entry of overrunning) await this.queue.release(entry.job).catch(() => undefined);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private poll(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    if (this.timer) clearTimeout(this.timer);
    void this.fill()
      .catch((error) => this.options.logger.error({ err: error }, 'job claim failed'))
      .finally(() => {
        this.polling = false;
        if (this.stopped) return;
        if (this.pollAgain) {
          this.pollAgain = false;
          setImmediate(() => this.poll());
          return;
        }
        this.timer = setTimeout(() => this.poll(), this.options.pollIntervalMs ?? 250);
        this.timer.unref();
      });
  }

  private async fill(): Promise<void> {
    const free = this.options.concurrency - this.running.size;
    if (free <= 0) return;
    const jobs = await this.queue.claim(this.id, free);
    // The database answers again: jobs left claimed by a failed write run again now, not when their lease expires.
    for (const [id, job] of this.unsettled) {
      this.unsettled.delete(id);
      await this.queue.release(job).catch(() => this.unsettled.set(id, job));
    }
    for (const job of jobs) this.launch(job);
    // A full batch suggests more work is waiting: look again straight away.
    if (jobs.length === free && jobs.length > 0) this.pollAgain = true;
  }

  private launch(job: Job): void {
    const controller = new AbortController();
    // Every call of a long job listens on this signal (limiter waits, requests): not a leak.
    setMaxListeners(0, controller.signal);
    const started = performance.now();
    const logger = this.options.logger.child({ jobId: job.id, jobKind: job.kind, workspaceId: job.workspaceId });
    const promise = this.execute(job, { signal: controller.signal, logger })
      .then((outcome) => this.options.onJobFinished?.(job, outcome, performance.now() - started))
      .catch((error) => {
        this.unsettled.set(job.id, job);
        logger.error({ err: error }, 'job bookkeeping failed');
      })
      .finally(() => {
        this.running.delete(job.id);
        this.poll();
      });
    this.running.set(job.id, { job, promise, controller });
  }

  private async execute(job: Job, context: JobContext): Promise<'done' | 'retry' | 'dead' | 'deferred' | 'lost'> {
    const handler = this.handlers[job.kind];
    if (!handler) {
      await this.queue.fail({ ...job, attempts: job.maxAttempts }, `no handler for job kind ${job.kind}`);
      return 'dead';
    }
    try {
      const outcome = await handler(job, context);
      if (outcome && outcome.deferMs !== undefined) {
        await this.queue.defer(job, outcome.deferMs);
        return 'deferred';
      }
      if (outcome && outcome.completed !== undefined) return outcome.completed ? 'done' : 'lost';
      return (await this.queue.complete(job)) ? 'done' : 'lost';
    } catch (error) {
      if (context.signal.aborted) return 'lost';
      const message = error instanceof Error ? error.message : String(error);
      const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
      const result = await this.queue.fail(job, message, retryAfterMs);
      context.logger.warn({ attempt: job.attempts, outcome: result, error: message }, 'job failed');
      return result;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
