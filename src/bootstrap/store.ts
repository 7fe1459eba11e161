import type { Db, Tx } from '../storage/database.js';
import type { BootstrapRunsTable, BootstrapStepsTable } from './tables.js';
import { parseJsonOr } from '../util/json.js';
import type { RunSettings } from './options.js';
import type { StepSpec } from './plan.js';

/** Runs and their steps (the checkpoints). Every function takes the executor, so callers choose the transaction. */

export type RunStatus = BootstrapRunsTable['status'];
export type RunMode = BootstrapRunsTable['mode'];
export type StepStatus = BootstrapStepsTable['status'];
type Executor = Db | Tx;

export const ACTIVE_RUN_STATUSES: RunStatus[] = ['pending', 'running'];
const OPEN_STEP_STATUSES: StepStatus[] = ['pending', 'running'];

export interface BootstrapRun {
  id: string;
  workspaceId: string;
  status: RunStatus;
  mode: RunMode;
  operationsTotal: number;
  operationsDone: number;
  entitiesFetched: number;
  pagesFetched: number;
  errorsCount: number;
  cancelRequested: boolean;
  settings: RunSettings;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BootstrapStep {
  runId: string;
  stepKey: string;
  workspaceId: string;
  operationId: string;
  entityType: string;
  input: StepSpec['input'];
  position: number;
  status: StepStatus;
  nextPage: number;
  pagesFetched: number;
  entities: number;
  lastError: string | null;
}

export async function insertRun(
  db: Executor,
  run: { id: string; workspaceId: string; mode: RunMode; settings: RunSettings; now: number },
): Promise<void> {
  await db
    .insertInto('bootstrap_runs')
    .values({
      id: run.id,
      workspace_id: run.workspaceId,
      status: 'pending',
      mode: run.mode,
      operations_total: 0,
      operations_done: 0,
      entities_fetched: 0,
      pages_fetched: 0,
      errors_count: 0,
      cancel_requested: 0,
      settings_json: JSON.stringify(run.settings),
      error: null,
      created_at: run.now,
      started_at: null,
      finished_at: null,
      updated_at: run.now,
    })
    .execute();
}

/** Adds steps (ignoring keys the run already has) and returns how many were new. */
export async function insertSteps(
  db: Executor,
  runId: string,
  workspaceId: string,
  steps: readonly (StepSpec & { firstPage: number })[],
  now: number,
): Promise<number> {
  let inserted = 0;
  for (let index = 0; index < steps.length; index += 100) {
    const chunk = steps.slice(index, index + 100);
    const result = await db
      .insertInto('bootstrap_steps')
      .values(
        chunk.map((step) => ({
          run_id: runId,
          step_key: step.stepKey,
          workspace_id: workspaceId,
          operation_id: step.operationId,
          entity_type: step.entityType,
          params_json: JSON.stringify(step.input),
          position: step.position,
          status: 'pending' as const,
          next_page: step.firstPage,
          pages_fetched: 0,
          entities: 0,
          last_error: null,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['run_id', 'step_key']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function getRun(db: Executor, runId: string): Promise<BootstrapRun | undefined> {
  const row = await db.selectFrom('bootstrap_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export async function latestRun(db: Executor, workspaceId: string): Promise<BootstrapRun | undefined> {
  const row = await db
    .selectFrom('bootstrap_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** The oldest run of the workspace that still has work (pending or running). */
export async function activeRun(db: Executor, workspaceId: string): Promise<BootstrapRun | undefined> {
  const row = await db
    .selectFrom('bootstrap_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ACTIVE_RUN_STATUSES)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export async function markRunStarted(db: Executor, runId: string, now: number): Promise<void> {
  await db
    .updateTable('bootstrap_runs')
    .set({ status: 'running', started_at: now, updated_at: now })
    .where('id', '=', runId)
    .where('status', '=', 'pending')
    .execute();
}

export async function finishRun(
  db: Executor,
  runId: string,
  status: Exclude<RunStatus, 'pending' | 'running'>,
  now: number,
  error: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('bootstrap_runs')
    .set({ status, finished_at: now, updated_at: now, error })
    .where('id', '=', runId)
    .where('status', 'in', ACTIVE_RUN_STATUSES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Asks the runner of every active run of the workspace to stop at its next page. */
export async function requestCancel(db: Executor, workspaceId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('bootstrap_runs')
    .set({ cancel_requested: 1, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ACTIVE_RUN_STATUSES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function isCancelRequested(db: Executor, runId: string): Promise<boolean> {
  const row = await db.selectFrom('bootstrap_runs').select(['cancel_requested', 'status']).where('id', '=', runId).executeTakeFirst();
  // A run deleted underneath (workspace purge after uninstall) is as good as cancelled.
  return !row || row.cancel_requested === 1 || row.status === 'cancelled';
}

export async function nextOpenStep(db: Executor, runId: string, excluding: readonly string[] = []): Promise<BootstrapStep | undefined> {
  let query = db.selectFrom('bootstrap_steps').selectAll().where('run_id', '=', runId).where('status', 'in', OPEN_STEP_STATUSES);
  if (excluding.length > 0) query = query.where('step_key', 'not in', excluding);
  const row = await query.orderBy('position').orderBy('step_key').limit(1).executeTakeFirst();
  return row ? toStep(row) : undefined;
}

export async function failedSteps(db: Executor, runId: string): Promise<BootstrapStep[]> {
  const rows = await db
    .selectFrom('bootstrap_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .where('status', '=', 'failed')
    .orderBy('position')
    .orderBy('step_key')
    .execute();
  return rows.map(toStep);
}

export async function stepErrors(
  db: Executor,
  runId: string,
  limit: number,
): Promise<{ operationId: string; stepKey: string; error: string }[]> {
  const rows = await db
    .selectFrom('bootstrap_steps')
    .select(['operation_id', 'step_key', 'last_error'])
    .where('run_id', '=', runId)
    .where('status', '=', 'failed')
    .orderBy('position')
    .orderBy('step_key')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ operationId: row.operation_id, stepKey: row.step_key, error: row.last_error ?? 'failed' }));
}

/** A step that ended before its data did: stopped by max_pages (the runner leaves this note on it). */
export const PAGE_CAP_NOTE = 'Stopped after max_pages';

export async function countCappedSteps(db: Executor, runId: string): Promise<number> {
  const row = await db
    .selectFrom('bootstrap_steps')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('run_id', '=', runId)
    .where('status', '=', 'done')
    .where('last_error', 'like', `${PAGE_CAP_NOTE}%`)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface StepWarning {
  operationId: string;
  stepKey: string;
  /** page-cap: more data exists than was fetched; failed: the step was skipped after an error. */
  kind: 'page-cap' | 'failed';
  message: string;
}

/** What a run cut: steps stopped by the page cap, then failed steps (whose data, and their dependents', is missing). */
export async function stepWarnings(db: Executor, runId: string, limit: number): Promise<{ warnings: StepWarning[]; total: number }> {
  const rows = await db
    .selectFrom('bootstrap_steps')
    .select(['operation_id', 'step_key', 'status', 'last_error'])
    .where('run_id', '=', runId)
    .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'done'), eb('last_error', 'like', `${PAGE_CAP_NOTE}%`)])]))
    .orderBy('status', 'desc')
    .orderBy('position')
    .orderBy('step_key')
    .execute();
  const warnings = rows.map((row): StepWarning => ({
    operationId: row.operation_id,
    stepKey: row.step_key,
    kind: row.status === 'failed' ? 'failed' : 'page-cap',
    message:
      row.status === 'failed' ? `Skipped after an error: ${row.last_error ?? 'failed'}` : (row.last_error ?? 'Stopped by the page cap.'),
  }));
  return { warnings: warnings.slice(0, limit), total: warnings.length };
}

/** One sentence naming what a run cut, for the status and the sidebar. */
export function warningSummary(warnings: readonly StepWarning[], total: number): string | null {
  if (total === 0) return null;
  const byKind = (kind: StepWarning['kind']) => [...new Set(warnings.filter((w) => w.kind === kind).map((w) => w.operationId))];
  const capped = byKind('page-cap');
  const failed = byKind('failed');
  const parts: string[] = [];
  if (capped.length > 0) parts.push(`stopped by the page cap (more data exists): ${capped.join(', ')}`);
  if (failed.length > 0) parts.push(`skipped after errors: ${failed.join(', ')}`);
  return `Completed with warnings — ${parts.join('; ')}${total > warnings.length ? ` (and ${total - warnings.length} more)` : ''}.`;
}

export async function countStepsByStatus(db: Executor, runId: string): Promise<Partial<Record<StepStatus, number>>> {
  const rows = await db
    .selectFrom('bootstrap_steps')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

export async function markStepRunning(db: Executor, step: BootstrapStep, now: number): Promise<void> {
  await db
    .updateTable('bootstrap_steps')
    .set({ status: 'running', updated_at: now })
    .where('run_id', '=', step.runId)
    .where('step_key', '=', step.stepKey)
    .where('status', '=', 'pending')
    .execute();
}

export class LostStepError extends Error {
  constructor(stepKey: string) {
    super(`Step ${stepKey} was advanced by another runner`);
    this.name = 'LostStepError';
  }
}

/**
 * Advances a step past `page` (optimistically: only if nobody else did) and adds to its run's
 * counters. Returns whether cancellation was requested meanwhile. Call inside the page's transaction.
 */
export async function advanceStep(
  trx: Tx,
  step: BootstrapStep,
  change: { page: number; entities: number; done: boolean; note: string | null; addedSteps: number; now: number },
): Promise<{ cancelRequested: boolean }> {
  const updated = await trx
    .updateTable('bootstrap_steps')
    .set((eb) => ({
      next_page: change.page + 1,
      pages_fetched: eb('pages_fetched', '+', 1),
      entities: eb('entities', '+', change.entities),
      status: change.done ? ('done' as const) : ('running' as const),
      last_error: change.note,
      updated_at: change.now,
    }))
    .where('run_id', '=', step.runId)
    .where('step_key', '=', step.stepKey)
    .where('next_page', '=', change.page)
    .where('status', 'in', OPEN_STEP_STATUSES)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new LostStepError(step.stepKey);
  const run = await trx
    .updateTable('bootstrap_runs')
    .set((eb) => ({
      pages_fetched: eb('pages_fetched', '+', 1),
      entities_fetched: eb('entities_fetched', '+', change.entities),
      operations_done: eb('operations_done', '+', change.done ? 1 : 0),
      operations_total: eb('operations_total', '+', change.addedSteps),
      updated_at: change.now,
    }))
    .where('id', '=', step.runId)
    .returning(['cancel_requested'])
    .executeTakeFirst();
  return { cancelRequested: !run || run.cancel_requested === 1 };
}

/** Records a step's failure on the step and its run; the run goes on with the next step. */
export async function failStep(trx: Tx, step: BootstrapStep, error: string, now: number): Promise<boolean> {
  const updated = await trx
    .updateTable('bootstrap_steps')
    .set({ status: 'failed', last_error: error.slice(0, 2000), updated_at: now })
    .where('run_id', '=', step.runId)
    .where('step_key', '=', step.stepKey)
    .where('status', 'in', OPEN_STEP_STATUSES)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await trx
    .updateTable('bootstrap_runs')
    .set((eb) => ({ errors_count: eb('errors_count', '+', 1), operations_done: eb('operations_done', '+', 1), updated_at: now }))
    .where('id', '=', step.runId)
    .execute();
  return true;
}

export async function addToOperationsTotal(db: Executor, runId: string, added: number, now: number): Promise<void> {
  if (added === 0) return;
  await db
    .updateTable('bootstrap_runs')
    .set((eb) => ({ operations_total: eb('operations_total', '+', added), updated_at: now }))
    .where('id', '=', runId)
    .execute();
}

function toRun(row: BootstrapRunsTable): BootstrapRun {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    status: row.status,
    mode: row.mode,
    operationsTotal: Number(row.operations_total),
    operationsDone: Number(row.operations_done),
    entitiesFetched: Number(row.entities_fetched),
    pagesFetched: Number(row.pages_fetched),
    errorsCount: Number(row.errors_count),
    cancelRequested: Number(row.cancel_requested) === 1,
    settings: parseJsonOr(row.settings_json, {} as RunSettings),
    error: row.error,
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

function toStep(row: BootstrapStepsTable): BootstrapStep {
  return {
    runId: row.run_id,
    stepKey: row.step_key,
    workspaceId: row.workspace_id,
    operationId: row.operation_id,
    entityType: row.entity_type,
    input: parseJsonOr(row.params_json, { params: {} }),
    position: Number(row.position),
    status: row.status,
    nextPage: Number(row.next_page),
    pagesFetched: Number(row.pages_fetched),
    entities: Number(row.entities),
    lastError: row.last_error,
  };
}
