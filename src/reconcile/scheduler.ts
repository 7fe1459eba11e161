import type { Runtime } from '../runtime.js';
import type { ReconciliationStore } from './store.js';

export const JOB_RECONCILE = 'webhook.reconcile';

/** After a start or the end of a database outage: long enough for the instance to settle, short enough to recover quickly. */
export const CATCH_UP_DELAY_MS = 5_000;

/**
 * When reconciliation runs: every active installation shortly after the edition starts, after
 * each database outage ends and after a burst of 5xx answers to Clockify's webhooks (deliveries
 * failed meanwhile), and on a slow schedule anyway. Runs are
 * jobs with one dedupe key per workspace, so however many instances ask, one runs at a time.
 */
export class ReconcileScheduler {
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private offRecovered: (() => void) | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly store: ReconciliationStore,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    // Only installations that existed before this start can have missed deliveries while the edition was down.
    const startedAt = this.runtime.now();
    this.later(CATCH_UP_DELAY_MS, () => this.enqueue(() => this.activeWorkspaces(startedAt), 'start'));
    this.offRecovered = this.runtime.database.health.onRecovered(() =>
      this.later(CATCH_UP_DELAY_MS, () => this.enqueue(() => this.activeWorkspaces(), 'database outage')),
    );
    if (this.intervalMs > 0) this.every(Math.min(this.intervalMs, 5 * 60_000));
  }

  /** A burst of failed webhook answers (FailureBurst) just ended or is going on: catch up shortly. */
  afterFailedDeliveries(): void {
    this.later(CATCH_UP_DELAY_MS, () => this.enqueue(() => this.activeWorkspaces(), 'webhook 5xx burst'));
  }

  stop(): void {
    this.stopped = true;
    this.offRecovered?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private every(tickMs: number): void {
    this.later(tickMs, async () => {
      // Due: last run (ours or another instance's) older than most of the interval.
      await this.enqueue(() => this.store.due(this.runtime.now() - Math.round(this.intervalMs * 0.9)), 'schedule');
      if (!this.stopped) this.every(tickMs);
    });
  }

  private later(ms: number, task: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async activeWorkspaces(installedBefore?: number): Promise<string[]> {
    let query = this.runtime.database.db.selectFrom('installations').select('workspace_id').where('status', '=', 'ACTIVE');
    if (installedBefore !== undefined) query = query.where('installed_at', '<', installedBefore);
    return (await query.execute()).map((row) => row.workspace_id);
  }

  private async enqueue(workspaces: () => Promise<string[]>, reason: string): Promise<void> {
    if (this.stopped) return;
    try {
      let queued = 0;
      for (const workspaceId of await workspaces()) {
        if (this.stopped) return;
        const dedupeKey = `${JOB_RECONCILE}:${workspaceId}`;
        const id = await this.runtime.queue.enqueue({ kind: JOB_RECONCILE, workspaceId, dedupeKey });
        if (id !== undefined) queued += 1;
        // Already waiting, perhaps in a retry's backoff after failing during the outage: run it now instead.
        else await this.runtime.queue.runNow(dedupeKey);
      }
      if (queued > 0)
        this.runtime.logger.info({ installations: queued, reason }, "reading Clockify's webhook delivery logs for failed deliveries");
    } catch (error) {
      // The database may be down again: the next start, recovery or tick tries again.
      this.runtime.logger.warn({ err: error, reason }, 'could not schedule the webhook delivery log check');
    }
  }
}
