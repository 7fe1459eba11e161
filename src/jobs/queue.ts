import { sql } from 'kysely';
import type { Database, Db, Tx } from '../storage/database.js';
import type { JobsTable } from '../storage/schema.js';
import { pickFairly } from './fairness.js';
import { RawStatement } from '../storage/raw.js';

export interface EnqueueInput {
  kind: string;
  workspaceId: string;
  payload?: unknown;
  /** Epoch ms; default now. */
  runAt?: number;
  priority?: number;
  maxAttempts?: number;
  /** At most one pending or running job per key; a second enqueue is ignored. */
  dedupeKey?: string;
}

export interface Job {
  id: number;
  kind: string;
  workspaceId: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lockedBy: string;
}

export interface QueueOptions {
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  now?: () => number;
}

type JobStatus = JobsTable['status'];

// Enqueueing sits on the webhook hot path: one prepared statement, no query building.
const INSERT_JOB = new RawStatement(
  `INSERT INTO jobs (kind, workspace_id, payload_json, status, priority, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at)
   VALUES (?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
);

/**
 * A durable job queue in the product's own database, so "store this and do that later" is one
 * transaction. At-least-once: a job whose worker dies is taken over after its lease expires, so
 * handlers must be idempotent (flows carry idempotency keys for that reason).
 */
export class JobQueue {
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(
    private readonly database: Database,
    private readonly options: QueueOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Adds a job, inside the caller's transaction when one is given. Returns its id, or undefined when a job with the same dedupe key is already active. */
  async enqueue(input: EnqueueInput, executor: Db | Tx = this.database.db): Promise<number | undefined> {
    const now = this.now();
    const { rows } = await INSERT_JOB.run<{ id: number }>(executor, this.database.dialect, [
      input.kind,
      input.workspaceId,
      JSON.stringify(input.payload ?? {}),
      input.priority ?? 0,
      input.maxAttempts ?? this.options.maxAttempts,
      input.runAt ?? now,
      input.dedupeKey ?? null,
      now,
      now,
    ]);
    const id = rows[0]?.id;
    if (id !== undefined && executor === this.database.db) this.notify();
    return id === undefined ? undefined : Number(id);
  }

  /** Wake local workers now instead of at their next poll (call after committing a transaction that enqueued). */
  notify(): void {
    for (const listener of this.listeners) listener();
  }

  onNotify(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Claims up to `limit` ready jobs for `workerId`: pending jobs whose time has come and running jobs
   * whose lease expired. Jobs of paused (INACTIVE) workspaces wait. Workspaces take turns, so one
   * workspace's flood cannot starve the others.
   */
  async claim(workerId: string, limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    const now = this.now();
    const { db, dialect } = this.database;
    const ready = (qb: any) =>
      qb
        .where((eb: any) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
          ]),
        )
        .where(({ not, exists, selectFrom }: any) =>
          not(
            exists(
              selectFrom('installations as i')
                .select('i.workspace_id')
                .whereRef('i.workspace_id', '=', 'jobs.workspace_id')
                .where('i.status', '=', 'INACTIVE'),
            ),
          ),
        );

    const oldest: { id: number; workspace_id: string }[] = await ready(db.selectFrom('jobs').select(['id', 'workspace_id']))
      .orderBy('priority', 'desc')
      .orderBy('run_at')
      .orderBy('id')
      .limit(Math.max(limit * 4, 50))
      .execute();
    const heads: { id: number; workspace_id: string }[] = await ready(
      db.selectFrom('jobs').select(['workspace_id', (eb: any) => eb.fn.min('id').as('id')]),
    )
      .groupBy('workspace_id')
      .limit(200)
      .execute();
    const picked = pickFairly([...oldest, ...heads.map((h) => ({ id: Number(h.id), workspace_id: h.workspace_id }))], limit);
    if (picked.length === 0) return [];

    const leaseUntil = now + this.options.leaseMs;
    const lockable = db
      .selectFrom('jobs')
      .select('id')
      .where('id', 'in', picked)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      );
    const rows = await db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running' as JobStatus,
        locked_by: workerId,
        locked_until: leaseUntil,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', dialect === 'postgres' ? lockable.forUpdate().skipLocked() : lockable)
      .returningAll()
      .execute();

    const jobs: Job[] = [];
    for (const row of rows) {
      if (row.attempts > row.max_attempts) {
        // Its last attempt died with its worker: give up rather than run it once more than allowed.
        await this.markDead(row.id, workerId, row.last_error ?? 'worker stopped during the last attempt');
        continue;
      }
      jobs.push({
        id: row.id,
        kind: row.kind,
        workspaceId: row.workspace_id,
        payload: JSON.parse(row.payload_json),
        attempts: row.attempts,
        maxAttempts: row.max_attempts,
        lockedBy: workerId,
      });
    }
    return jobs;
  }

  /** Marks a claimed job done. False when the claim was lost (lease expired and another worker took it). */
  async complete(job: Job): Promise<boolean> {
    const now = this.now();
    const result = await this.database.db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.lockedBy)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a failed attempt: back to pending with exponential backoff, or dead after the last attempt. */
  async fail(job: Job, error: string, retryAfterMs?: number): Promise<'retry' | 'dead'> {
    if (job.attempts >= job.maxAttempts) {
      await this.markDead(job.id, job.lockedBy, error);
      return 'dead';
    }
    const now = this.now();
    const delay = retryAfterMs ?? this.backoffMs(job.attempts);
    await this.database.db
      .updateTable('jobs')
      .set({ status: 'pending', locked_by: null, locked_until: null, run_at: now + delay, last_error: error.slice(0, 2000), updated_at: now })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.lockedBy)
      .execute();
    return 'retry';
  }

  /** Puts a claimed job back untouched (shutdown): its attempt does not count. */
  async release(job: Job): Promise<void> {
    const now = this.now();
    await this.database.db
      .updateTable('jobs')
      .set((eb) => ({ status: 'pending' as JobStatus, locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1), run_at: now, updated_at: now }))
      .where('id', '=', job.id)
      .where('locked_by', '=', job.lockedBy)
      .where('status', '=', 'running')
      .execute();
  }

  /** Reschedules a claimed job without counting the attempt (for example: rate limited, try later). */
  async defer(job: Job, delayMs: number): Promise<void> {
    const now = this.now();
    await this.database.db
      .updateTable('jobs')
      .set((eb) => ({ status: 'pending' as JobStatus, locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1), run_at: now + delayMs, updated_at: now }))
      .where('id', '=', job.id)
      .where('locked_by', '=', job.lockedBy)
      .execute();
  }

  async extendLease(jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.now();
    for (const job of jobs) {
      await this.database.db
        .updateTable('jobs')
        .set({ locked_until: now + this.options.leaseMs, updated_at: now })
        .where('id', '=', job.id)
        .where('locked_by', '=', job.lockedBy)
        .where('status', '=', 'running')
        .execute();
    }
  }

  /** Cancels a workspace's pending jobs (optionally of some kinds). Running ones finish or notice on their own. */
  async cancelPending(workspaceId: string, kinds?: string[], executor: Db | Tx = this.database.db): Promise<number> {
    let query = executor
      .updateTable('jobs')
      .set({ status: 'cancelled', finished_at: this.now(), updated_at: this.now() })
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'pending');
    if (kinds && kinds.length > 0) query = query.where('kind', 'in', kinds);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async countsByStatus(): Promise<Record<string, number>> {
    const rows = await this.database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  async get(id: number) {
    return this.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async markDead(id: number, workerId: string, error: string): Promise<void> {
    const now = this.now();
    await this.database.db
      .updateTable('jobs')
      .set({ status: 'dead', locked_by: null, locked_until: null, last_error: error.slice(0, 2000), finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  }

  private backoffMs(attempt: number): number {
    const base = this.options.retryBaseMs ?? 1000;
    const max = this.options.retryMaxMs ?? 5 * 60_000;
    const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
    // Full jitter keeps many failing jobs from retrying in lockstep.
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  }
}

export { sql };
