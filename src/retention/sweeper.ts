import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig, EditionConfig } from '../config/index.js';
import type { EditionDefinition } from '../editions/types.js';
import { deleteExpiredEntities } from '../bootstrap/cache.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Db, Tx } from '../storage/database.js';
import type { DatabaseSchema } from '../storage/schema.js';
import { newId } from '../util/ids.js';
import { parseJsonOr } from '../util/json.js';
import { LeaseLock } from './lease-lock.js';
import { chunked, planRetention, retentionDaysOf } from './policy.js';
import type { RetentionPlan } from './policy.js';

export const RETENTION_LOCK = 'retention';

/** Tables the clean-up removes rows from (the label values of retention_rows_deleted_total). */
export const RETENTION_TABLES = ['webhook_events', 'webhook_dedup', 'flow_runs', 'flow_action_results', 'api_calls', 'jobs', 'entity_cache', 'rejected_requests'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

/** What the clean-up needs; a Runtime has all of it, and the CLI builds it from a database alone. */
export interface RetentionDeps {
  database: Database;
  edition: EditionDefinition;
  editionConfig: EditionConfig;
  config: AppConfig;
  metrics: Pick<Metrics, 'retentionRowsDeleted'>;
  logger: Logger;
  now(): number;
}

export interface RetentionOptions {
  /** Rows per statement (default 500): each statement is short, so writers never wait long behind it. */
  batchSize?: number;
  /** Pause between full batches (default 20 ms), leaving room for ingestion on a busy database. */
  pauseMs?: number;
  /** Who holds the lease (default: this host and process). */
  holder?: string;
  /** Lease length while running, renewed as batches go (default 5 minutes). */
  leaseMs?: number;
  /** Keep the lease this long after finishing, so other instances skip the rest of the period (default 0: free at once). */
  holdForMs?: number;
  signal?: AbortSignal;
}

export interface RetentionReport {
  /** False when another instance holds the lease (or it was lost midway: `reason` says which). */
  ran: boolean;
  reason?: 'locked' | 'lease-lost' | 'aborted';
  deleted: Record<RetentionTable, number>;
  durationMs: number;
}

const DEFAULT_HOLDER = `${hostname()}:${process.pid}:${newId().slice(-6)}`;

/**
 * Removes history older than each workspace's `retention_days` (webhook events, flow runs with their
 * action results, API-call logs, finished jobs), dedup keys older than the dedup window and expired
 * cache entries. Bounded batches with a pause between them; one instance at a time through a lease in
 * the `locks` table. `now` sets the cutoffs (tests move it); the lease always runs on the clock.
 */
export async function runRetention(deps: RetentionDeps, now: number = deps.now(), options: RetentionOptions = {}): Promise<RetentionReport> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  const pauseMs = options.pauseMs ?? 20;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const deleted = Object.fromEntries(RETENTION_TABLES.map((table) => [table, 0])) as Record<RetentionTable, number>;
  const db = deps.database.db;
  const lock = new LeaseLock(db, RETENTION_LOCK, options.holder ?? DEFAULT_HOLDER);
  const report = (ran: boolean, reason?: RetentionReport['reason']): RetentionReport => ({ ran, ...(reason ? { reason } : {}), deleted, durationMs: Math.round(performance.now() - started) });

  if (!(await lock.acquire(deps.now(), deps.now() + leaseMs))) return report(false, 'locked');

  let lastRenewal = deps.now();
  const count = (table: RetentionTable, rows: number) => {
    if (rows <= 0) return;
    deleted[table] += rows;
    deps.metrics.retentionRowsDeleted.inc({ table }, rows);
  };
  const counted = (table: RetentionTable) => (rows: number) => {
    count(table, rows);
    return rows;
  };
  /** Runs `batch` until it removes less than a full batch; anything but true means the run must stop. */
  const drain = async (batch: () => Promise<number>): Promise<true | 'lease-lost' | 'aborted'> => {
    for (;;) {
      if (options.signal?.aborted) return 'aborted';
      if (deps.now() - lastRenewal > leaseMs / 3) {
        if (!(await lock.renew(deps.now() + leaseMs))) return 'lease-lost';
        lastRenewal = deps.now();
      }
      const removed = await batch();
      if (removed < batchSize) return true;
      if (pauseMs > 0) await sleep(pauseMs);
    }
  };

  let outcome: true | 'lease-lost' | 'aborted' = true;
  try {
    const plan = await loadPlan(deps, now);
    const steps: (() => Promise<number>)[] = [];
    for (const scope of scopesOf(plan)) {
      steps.push(
        () => deleteOld(db, 'webhook_events', 'received_at', scope, batchSize).then(counted('webhook_events')),
        () => deleteFlowRuns(db, scope, batchSize, count),
        () => deleteOld(db, 'api_calls', 'created_at', scope, batchSize).then(counted('api_calls')),
        () => deleteOld(db, 'rejected_requests', 'received_at', scope, batchSize).then(counted('rejected_requests')),
        () => deleteFinishedJobs(db, scope, batchSize).then(counted('jobs')),
      );
    }
    const dedupCutoff = now - deps.config.webhooks.dedupWindowHours * 3_600_000;
    steps.push(
      () => deleteDedupKeys(db, dedupCutoff, batchSize).then(counted('webhook_dedup')),
      () => deleteExpiredEntities(db, now, batchSize).then(counted('entity_cache')),
    );
    for (const step of steps) {
      outcome = await drain(step);
      if (outcome !== true) break;
    }
  } finally {
    // A lost lease belongs to someone else now; otherwise free it (or keep it for the rest of the period).
    if (outcome !== 'lease-lost') await lock.release(options.holdForMs ? deps.now() + options.holdForMs : 0).catch(() => undefined);
  }

  const result = report(outcome === true, outcome === true ? undefined : outcome);
  const total = Object.values(deleted).reduce((sum, rows) => sum + rows, 0);
  deps.logger[total > 0 ? 'info' : 'debug']({ deleted, durationMs: result.durationMs, ...(result.reason ? { stopped: result.reason } : {}) }, 'retention clean-up finished');
  return result;
}

async function loadPlan(deps: RetentionDeps, now: number): Promise<RetentionPlan> {
  const rows = await deps.database.db.selectFrom('installations').select(['workspace_id', 'settings_json']).execute();
  const defaultDays = retentionDaysOf(deps.editionConfig.settingDefaults.retention_days) ?? 30;
  return planRetention(
    now,
    defaultDays,
    rows.map((row) => ({ workspaceId: row.workspace_id, days: retentionDaysOf(parseJsonOr<Record<string, unknown>>(row.settings_json, {}).retention_days) })),
  );
}

/** A set of workspaces and the instant before which their rows go; `orphans` = rows of workspaces with no installation row. */
type Scope = { cutoff: number; workspaceIds: string[] } | { cutoff: number; orphans: true };

function scopesOf(plan: RetentionPlan): Scope[] {
  const scopes: Scope[] = [];
  for (const group of plan.groups) for (const ids of chunked(group.workspaceIds, 500)) scopes.push({ cutoff: group.cutoff, workspaceIds: ids });
  scopes.push({ cutoff: plan.orphanCutoff, orphans: true });
  return scopes;
}

/** DELETE … WHERE id IN (a bounded sub-select): one short statement per batch on both dialects. */
async function deleteOld(db: Db, table: 'webhook_events' | 'api_calls' | 'rejected_requests', timeColumn: 'received_at' | 'created_at', scope: Scope, limit: number): Promise<number> {
  const candidates = inScope(db, db.selectFrom(table).select('id').where(timeColumn, '<', scope.cutoff), scope).limit(limit);
  const result = await db.deleteFrom(table).where('id', 'in', candidates).executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function deleteFinishedJobs(db: Db, scope: Scope, limit: number): Promise<number> {
  const candidates = inScope(
    db,
    db.selectFrom('jobs').select('id').where('status', 'in', ['done', 'cancelled', 'dead']).where('finished_at', '<', scope.cutoff),
    scope,
  ).limit(limit);
  const result = await db.deleteFrom('jobs').where('id', 'in', candidates).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A run and its action results go together, in one short transaction, so no result outlives its run. */
async function deleteFlowRuns(db: Db, scope: Scope, limit: number, count: (table: RetentionTable, rows: number) => void): Promise<number> {
  const { runs, results } = await db.transaction().execute(async (trx) => {
    const ids = (await inScope(trx, trx.selectFrom('flow_runs').select('id').where('started_at', '<', scope.cutoff), scope).limit(limit).execute()).map((row) => row.id);
    if (ids.length === 0) return { runs: 0, results: 0 };
    const removedResults = await trx.deleteFrom('flow_action_results').where('run_id', 'in', ids).executeTakeFirst();
    const removedRuns = await trx.deleteFrom('flow_runs').where('id', 'in', ids).executeTakeFirst();
    return { runs: Number(removedRuns.numDeletedRows), results: Number(removedResults.numDeletedRows) };
  });
  count('flow_action_results', results);
  count('flow_runs', runs);
  return runs;
}

async function deleteDedupKeys(db: Db, cutoff: number, limit: number): Promise<number> {
  const candidates = db.selectFrom('webhook_dedup').select('delivery_key').where('first_seen_at', '<', cutoff).limit(limit);
  const result = await db.deleteFrom('webhook_dedup').where('delivery_key', 'in', candidates).executeTakeFirst();
  return Number(result.numDeletedRows);
}

type WorkspaceTable = 'webhook_events' | 'api_calls' | 'jobs' | 'flow_runs' | 'rejected_requests';

function inScope<O>(db: Db | Tx, query: SelectQueryBuilder<DatabaseSchema, WorkspaceTable, O>, scope: Scope): SelectQueryBuilder<DatabaseSchema, WorkspaceTable, O> {
  if ('orphans' in scope) return query.where('workspace_id', 'not in', db.selectFrom('installations').select('workspace_id'));
  return query.where('workspace_id', 'in', scope.workspaceIds);
}
