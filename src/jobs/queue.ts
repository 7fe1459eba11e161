import type { Database, Db, Tx } from '../storage/database.js';
import { pickFairly } from './fairness.js';
import { RawStatement } from '../storage/raw.js';
import { COMPLETE_JOB_SQL, INSERT_JOB_SQL, jobRowFor } from './statements.js';
import type { JobsTable } from './tables.js';

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
  /** Whose jobs wait: see WaitingWorkspaces. Required, so an edition cannot forget that paused workspaces wait. */
  waitingWorkspaces: WaitingWorkspaces;
}

/**
 * An SQL condition on the given workspace id column, true while that workspace's jobs must wait
 * (its installation is paused). The room that owns installations writes it; the queue only ANDs its
 * negation into the claim, so the check costs no extra round trip.
 */
export type WaitingWorkspaces = (workspaceIdColumn: string) => string;

type JobStatus = JobsTable['status'];

/** The claim's searches, with the jobs of waiting workspaces left out. */
function claimSearches(waiting: WaitingWorkspaces) {
  const notWaiting = `AND NOT (${waiting('jobs.workspace_id')})`;
  const ready = `((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?)) ${notWaiting}`;
  return {
    candidates: new RawStatement(`SELECT id, workspace_id FROM jobs WHERE ${ready} ORDER BY priority DESC, run_at, id LIMIT ?`),
    workspaceHeads: new RawStatement(
      `SELECT workspace_id, MIN(id) AS id FROM jobs WHERE status = 'pending' AND run_at <= ? ${notWaiting}
   GROUP BY workspace_id LIMIT 200`,
    ),
  };
}
const CLAIMABLE = `((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))`;
/** Claims the picked jobs that are still claimable; on PostgreSQL rows another instance is claiming are skipped, not waited for. */
const CLAIM = {
  postgres: new RawStatement(
    `UPDATE jobs SET status = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id IN (SELECT id FROM jobs WHERE id = ANY(?::bigint[]) AND ${CLAIMABLE} FOR UPDATE SKIP LOCKED) RETURNING *`,
  ),
  sqlite: new RawStatement(
    `UPDATE jobs SET status = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ?
     WHERE id IN (SELECT value FROM json_each(?)) AND ${CLAIMABLE} RETURNING *`,
  ),
};

const COMPLETE = new RawStatement(COMPLETE_JOB_SQL);
// Enqueueing sits on the webhook hot path: one prepared statement, no query building.
const INSERT_JOB = new RawStatement(INSERT_JOB_SQL);

/**
 * A durable job queue in the product's own database, so "store this and do that later" is one
 * transaction. At-least-once: a job whose worker dies is taken over after its lease expires, so
 * handlers must be idempotent (flows carry idempotency keys for that reason).
 */
export class JobQueue {
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  /** Until when claims skip the search for other workspaces' jobs (see claim). */
  private quietUntil = 0;
  private readonly searches: ReturnType<typeof claimSearches>;

  constructor(
    private readonly database: Database,
    private readonly options: QueueOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.searches = claimSearches(options.waitingWorkspaces);
  }

  /** Attempts a job gets unless it is enqueued with its own limit. */
  get defaultMaxAttempts(): number {
    return this.options.maxAttempts;
  }

  /** Adds a job, inside the caller's transaction when one is given. Returns its id, or undefined when a job with the same dedupe key is already active. */
  async enqueue(input: EnqueueInput, executor: Db | Tx = this.database.db): Promise<number | undefined> {
    const now = this.now();
    const row = jobRowFor({
      kind: input.kind,
      workspaceId: input.workspaceId,
      payloadJson: JSON.stringify(input.payload ?? {}),
      priority: input.priority ?? 0,
      maxAttempts: input.maxAttempts ?? this.options.maxAttempts,
      runAt: input.runAt ?? now,
      dedupeKey: input.dedupeKey ?? null,
      now,
    });
    const { rows } = await INSERT_JOB.run<{ id: number }>(executor, this.database.dialect, row);
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
   * whose lease expired. Jobs of waiting workspaces (options.waitingWorkspaces: paused installations)
   * wait. Workspaces take turns, so one workspace's flood cannot starve the others.
   */
  async claim(workerId: string, limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    const now = this.now();
    const { db, dialect } = this.database;
    const found = await this.searches.candidates.run<{ id: number; workspace_id: string }>(db, dialect, [
      now,
      now,
      Math.max(limit * 4, 50),
    ]);
    const oldest = found.rows;
    if (oldest.length === 0) return [];
    // Only when the oldest jobs all belong to one workspace can others be waiting behind them: then
    // look for every workspace's first job, so a flood from one does not starve the rest.
    let candidates = oldest;
    const single = oldest.every((row) => row.workspace_id === oldest[0]!.workspace_id);
    if (single && now >= this.quietUntil) {
      const heads = (await this.searches.workspaceHeads.run<{ id: number; workspace_id: string }>(db, dialect, [now])).rows;
      candidates = [...oldest, ...heads.map((head) => ({ id: Number(head.id), workspace_id: head.workspace_id }))];
      // One workspace alone is the common case under load: do not ask again for a moment.
      if (heads.length <= 1) this.quietUntil = now + 200;
    }
    const picked = pickFairly(
      candidates.map((row) => ({ id: Number(row.id), workspace_id: row.workspace_id })),
      limit,
    );
    if (picked.length === 0) return [];
    const leaseUntil = now + this.options.leaseMs;
    const ids = dialect === 'postgres' ? picked : JSON.stringify(picked);
    const rows = (await CLAIM[dialect].run<JobsTable & { id: number }>(db, dialect, [workerId, leaseUntil, now, ids, now, now])).rows;

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

  /**
   * Marks a claimed job done, inside the caller's transaction when one is given (so a handler's last
   * writes and the job's completion commit together). False when the claim was lost (lease expired
   * and another worker took it).
   */
  async complete(job: Job, executor: Db | Tx = this.database.db): Promise<boolean> {
    const now = this.now();
    const { affected } = await COMPLETE.run(executor, this.database.dialect, [now, now, job.id, job.lockedBy]);
    return affected > 0;
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
      .set({
        status: 'pending',
        locked_by: null,
        locked_until: null,
        run_at: now + delay,
        last_error: error.slice(0, 2000),
        updated_at: now,
      })
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
      .set((eb) => ({
        status: 'pending' as JobStatus,
        locked_by: null,
        locked_until: null,
        attempts: eb('attempts', '-', 1),
        run_at: now,
        updated_at: now,
      }))
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
      .set((eb) => ({
        status: 'pending' as JobStatus,
        locked_by: null,
        locked_until: null,
        attempts: eb('attempts', '-', 1),
        run_at: now + delayMs,
        updated_at: now,
      }))
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

  /** Runs a pending job (found by its dedupe key) now instead of at its later time, e.g. one waiting out a retry's backoff. */
  async runNow(dedupeKey: string): Promise<boolean> {
    const now = this.now();
    const result = await this.database.db
      .updateTable('jobs')
      .set({ run_at: now, updated_at: now })
      .where('dedupe_key', '=', dedupeKey)
      .where('status', '=', 'pending')
      .where('run_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
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
