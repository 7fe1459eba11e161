import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig, EditionConfig } from '../config/index.js';
import type { EditionDefinition } from '../editions/types.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { AnyDataPolicy, TableName } from '../storage/data-policy.js';
import type { Database, Db } from '../storage/database.js';
import { deleteByKey, untyped } from '../storage/policy-deletes.js';
import type { UntypedDb } from '../storage/policy-deletes.js';
import { newId } from '../util/ids.js';
import { parseJsonOr } from '../util/json.js';
import { LeaseLock } from './lease-lock.js';
import { chunked, planRetention, retentionDaysOf } from './policy.js';
import type { RetentionPlan } from './policy.js';

export const RETENTION_LOCK = 'retention';

export type RetentionTable = TableName;

/** What the clean-up needs; a Runtime has all of it, and the CLI builds it from a database alone. */
export interface RetentionDeps {
  database: Database;
  /** Every table's data policy (the rooms' declarations, collected in src/rooms.ts). */
  dataPolicies: readonly AnyDataPolicy[];
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
 * Removes what each table's data policy (its retention class) says goes: history older than each
 * workspace's `retention_days` (webhook events, flow runs with their action results, API-call logs,
 * finished jobs), dedup keys older than the dedup window and expired cache entries. Bounded batches with a pause between them; one instance at a time through a lease in
 * the `locks` table. `now` sets the cutoffs (tests move it); the lease always runs on the clock.
 */
export async function runRetention(
  deps: RetentionDeps,
  now: number = deps.now(),
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  const pauseMs = options.pauseMs ?? 20;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const deleted = Object.fromEntries(sweptTables(deps.dataPolicies).map((table) => [table, 0])) as Record<RetentionTable, number>;
  const db = deps.database.db;
  const lock = new LeaseLock(db, RETENTION_LOCK, options.holder ?? DEFAULT_HOLDER);
  const report = (ran: boolean, reason?: RetentionReport['reason']): RetentionReport => ({
    ran,
    ...(reason ? { reason } : {}),
    deleted,
    durationMs: Math.round(performance.now() - started),
  });

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
    // What goes and when is each table's retention class (its policy in the room's tables.ts).
    const history = deps.dataPolicies.filter((policy) => policy.retention.class === 'workspace-history');
    for (const scope of scopesOf(plan)) for (const policy of history) steps.push(() => deleteHistory(db, policy, scope, batchSize, count));
    const dedupCutoff = now - deps.config.webhooks.dedupWindowHours * 3_600_000;
    for (const policy of deps.dataPolicies) {
      if (policy.retention.class === 'dedup-window')
        steps.push(() => deleteBefore(db, policy, dedupCutoff, batchSize).then(counted(policy.table)));
      if (policy.retention.class === 'expiry') steps.push(() => deleteBefore(db, policy, now, batchSize).then(counted(policy.table)));
    }
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
  deps.logger[total > 0 ? 'info' : 'debug'](
    { deleted, durationMs: result.durationMs, ...(result.reason ? { stopped: result.reason } : {}) },
    'retention clean-up finished',
  );
  return result;
}

async function loadPlan(deps: RetentionDeps, now: number): Promise<RetentionPlan> {
  const rows = await deps.database.db.selectFrom('installations').select(['workspace_id', 'settings_json']).execute();
  const defaultDays = retentionDaysOf(deps.editionConfig.settingDefaults.retention_days) ?? 30;
  return planRetention(
    now,
    defaultDays,
    rows.map((row) => ({
      workspaceId: row.workspace_id,
      days: retentionDaysOf(parseJsonOr<Record<string, unknown>>(row.settings_json, {}).retention_days),
    })),
  );
}

/** A set of workspaces and the instant before which their rows go; `orphans` = rows of workspaces with no installation row. */
type Scope = { cutoff: number; workspaceIds: string[] } | { cutoff: number; orphans: true };

function scopesOf(plan: RetentionPlan): Scope[] {
  const scopes: Scope[] = [];
  for (const group of plan.groups)
    for (const ids of chunked(group.workspaceIds, 500)) scopes.push({ cutoff: group.cutoff, workspaceIds: ids });
  scopes.push({ cutoff: plan.orphanCutoff, orphans: true });
  return scopes;
}

/** The tables a policy-driven clean-up touches (the label values of retention_rows_deleted_total): those with a time-based class, and their children. */
export function sweptTables(policies: readonly AnyDataPolicy[]): TableName[] {
  const swept = policies.filter((policy) => ['workspace-history', 'dedup-window', 'expiry'].includes(policy.retention.class));
  return [...new Set(swept.flatMap((policy) => [policy.table, ...(policy.children ?? []).map((child) => child.table)]))];
}

function timeColumnOf(policy: AnyDataPolicy): string {
  if (!('timeColumn' in policy.retention)) throw new Error(`${policy.table}: retention class ${policy.retention.class} has no time column`);
  return policy.retention.timeColumn;
}

/** The keys of up to `limit` rows older than the scope's cutoff (bounded sub-select, in scope). */
function oldRows(db: UntypedDb, policy: AnyDataPolicy, scope: Scope, limit: number) {
  const workspaceColumn = policy.workspaceColumn;
  if (!workspaceColumn) throw new Error(`${policy.table}: workspace history needs a workspace column`);
  let query = db.selectFrom(policy.table).select(policy.key).where(timeColumnOf(policy), '<', scope.cutoff);
  if (policy.retention.class === 'workspace-history' && policy.retention.onlyWhere)
    query = query.where(policy.retention.onlyWhere.column, 'in', policy.retention.onlyWhere.in);
  query =
    'orphans' in scope
      ? query.where(workspaceColumn, 'not in', db.selectFrom('installations').select('workspace_id'))
      : query.where(workspaceColumn, 'in', scope.workspaceIds);
  return query.limit(limit);
}

/**
 * One batch of a workspace-history table: one short statement, or, when the table has children, one
 * short transaction deleting the rows with their children, so no child outlives its parent.
 */
async function deleteHistory(
  db: Db,
  policy: AnyDataPolicy,
  scope: Scope,
  limit: number,
  count: (table: RetentionTable, rows: number) => void,
): Promise<number> {
  const children = policy.children ?? [];
  if (children.length === 0) {
    const removed = await deleteByKey(untyped(db), policy.table, policy.key, oldRows(untyped(db), policy, scope, limit));
    count(policy.table, removed);
    return removed;
  }
  const [key] = policy.key;
  if (!key || policy.key.length !== 1) throw new Error(`${policy.table}: a table with children needs a single-column key`);
  const removed = await db.transaction().execute(async (trx) => {
    const any = untyped(trx);
    const ids = (await oldRows(any, policy, scope, limit).execute()).map((row) => row[key]);
    const byTable = new Map<TableName, number>();
    if (ids.length === 0) return byTable;
    for (const child of children) {
      const result = await any.deleteFrom(child.table).where(child.column, 'in', ids).executeTakeFirst();
      byTable.set(child.table, Number(result.numDeletedRows));
    }
    const result = await any.deleteFrom(policy.table).where(key, 'in', ids).executeTakeFirst();
    byTable.set(policy.table, Number(result.numDeletedRows));
    return byTable;
  });
  for (const [table, rows] of removed) count(table, rows);
  return removed.get(policy.table) ?? 0;
}

/** One batch of rows whose time column is before `cutoff`, whatever the workspace (dedup keys, expired cache entries). */
async function deleteBefore(db: Db, policy: AnyDataPolicy, cutoff: number, limit: number): Promise<number> {
  const any = untyped(db);
  return deleteByKey(
    any,
    policy.table,
    policy.key,
    any.selectFrom(policy.table).select(policy.key).where(timeColumnOf(policy), '<', cutoff).limit(limit),
  );
}
