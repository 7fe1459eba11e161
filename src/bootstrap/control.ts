import { effectiveSettings } from '../lifecycle/settings.js';
import type { Runtime } from '../runtime.js';
import { DomainError } from '../errors/domain-error.js';
import { lockKey } from '../storage/database.js';
import type { Db, Tx } from '../storage/database.js';
import { newId } from '../util/ids.js';
import { parseJsonOr } from '../util/json.js';
import { planOptionsOf, runSettingsFrom } from './options.js';
import type { RunOverrides, RunSettings } from './options.js';
import { firstPageOf } from './paging.js';
import { planBootstrap, rootSteps } from './plan.js';
import { activeRun, failedSteps, getRun, insertRun, insertSteps, latestRun, requestCancel } from './store.js';
import type { BootstrapRun, RunMode } from './store.js';

export const JOB_BOOTSTRAP = 'bootstrap.run';
/** A bootstrap outlives many deploys and 429 storms; each attempt resumes where the last stopped. */
const JOB_MAX_ATTEMPTS = 10;

export const bootstrapDedupeKey = (workspaceId: string) => `${JOB_BOOTSTRAP}:${workspaceId}`;

export interface StartOptions extends RunOverrides {
  mode?: RunMode;
}

export type StartResult =
  | { started: true; run: BootstrapRun }
  | { started: false; reason: 'already-running' | 'nothing-to-retry' | 'no-previous-run'; run?: BootstrapRun };

/**
 * Creates a run with its first steps and queues the job, in the caller's transaction. One active run
 * per workspace: with one already pending or running nothing is created (a run whose job vanished —
 * its worker died on the last attempt — gets its job back instead).
 */
export async function createRunInTransaction(
  runtime: Runtime,
  trx: Tx,
  workspaceId: string,
  options: StartOptions = {},
): Promise<StartResult> {
  await lockKey(trx, runtime.database.dialect, `bootstrap:${workspaceId}`);
  const now = runtime.now();
  const mode = options.mode ?? 'full';
  const jobActive = await hasActiveJob(trx, workspaceId);
  const active = await activeRun(trx, workspaceId);
  if (active) {
    if (!jobActive) await enqueue(runtime, trx, workspaceId);
    return { started: false, reason: 'already-running', run: active };
  }

  let steps: (ReturnType<typeof rootSteps>[number] & { firstPage: number })[];
  let settings: RunSettings;
  if (mode === 'failed-only') {
    const last = await latestRun(trx, workspaceId);
    if (!last) return { started: false, reason: 'no-previous-run' };
    const failed = await failedSteps(trx, last.id);
    if (failed.length === 0) return { started: false, reason: 'nothing-to-retry', run: last };
    // Same settings and time window as the run it repairs, so its steps mean the same thing.
    settings = last.settings;
    steps = failed.map((step) => ({
      stepKey: step.stepKey,
      operationId: step.operationId,
      entityType: step.entityType,
      input: step.input,
      position: step.position,
      firstPage: firstPageOf(runtime.catalog.get(step.operationId)?.pagination ?? { kind: 'none' }),
    }));
  } else {
    settings = runSettingsFrom(
      runtime.edition,
      await settingsIn(runtime, trx, workspaceId),
      runtime.config.bootstrap.maxPages,
      now,
      options,
    );
    const plan = planBootstrap(runtime.catalog, planOptionsOf(settings, runtime.edition));
    steps = rootSteps(plan, workspaceId).map((step) => ({
      ...step,
      firstPage: firstPageOf(runtime.catalog.get(step.operationId)!.pagination),
    }));
  }

  const id = newId(now);
  await insertRun(trx, { id, workspaceId, mode, settings, now });
  const inserted = await insertSteps(trx, id, workspaceId, steps, now);
  await trx.updateTable('bootstrap_runs').set({ operations_total: inserted }).where('id', '=', id).execute();
  // A job still active here is the previous run's, returning right now: it will not look for this run,
  // and the dedupe key is still its own, so this one is queued without the key.
  await enqueue(runtime, trx, workspaceId, { withDedupeKey: !jobActive });
  return { started: true, run: (await getRun(trx, id))! };
}

/** `createRunInTransaction` in its own transaction, waking the local worker after the commit. */
export async function startRun(runtime: Runtime, workspaceId: string, options: StartOptions = {}): Promise<StartResult> {
  const result = await runtime.database.db.transaction().execute((trx) => createRunInTransaction(runtime, trx, workspaceId, options));
  runtime.queue.notify();
  return result;
}

/** Asks the active run to stop at its next page; a run whose job has not started yet is cancelled at once. */
export async function cancelRuns(runtime: Runtime, executor: Db | Tx, workspaceId: string): Promise<number> {
  const now = runtime.now();
  const pending = await executor
    .updateTable('bootstrap_runs')
    .set({ status: 'cancelled', cancel_requested: 1, finished_at: now, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const running = await requestCancel(executor, workspaceId, now);
  return Number(pending.numUpdatedRows) + running;
}

/** INSTALLED hook: start a bootstrap when the workspace wants one (`run_on_install`). */
export function onInstalled(runtime: Runtime) {
  return async (trx: Tx, workspaceId: string): Promise<void> => {
    const settings = await settingsIn(runtime, trx, workspaceId);
    if (settings.run_on_install === false) return;
    await createRunInTransaction(runtime, trx, workspaceId, { mode: 'full' });
  };
}

/** DELETED hook: the running bootstrap stops at its next page (its pending job was already cancelled). */
export function onDeleted(runtime: Runtime) {
  return async (trx: Tx, workspaceId: string): Promise<void> => {
    await cancelRuns(runtime, trx, workspaceId);
  };
}

async function enqueue(
  runtime: Runtime,
  trx: Tx,
  workspaceId: string,
  options: { withDedupeKey: boolean } = { withDedupeKey: true },
): Promise<void> {
  await runtime.queue.enqueue(
    {
      kind: JOB_BOOTSTRAP,
      workspaceId,
      ...(options.withDedupeKey ? { dedupeKey: bootstrapDedupeKey(workspaceId) } : {}),
      maxAttempts: JOB_MAX_ATTEMPTS,
    },
    trx,
  );
}

async function hasActiveJob(executor: Db | Tx, workspaceId: string): Promise<boolean> {
  const row = await executor
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', bootstrapDedupeKey(workspaceId))
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Effective settings read through the caller's transaction: inside the lifecycle transaction a read
 * on another connection would wait for it (SQLite has one) and could see the pre-install row.
 */
async function settingsIn(runtime: Runtime, executor: Db | Tx, workspaceId: string) {
  const row = await executor.selectFrom('installations').select('settings_json').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return effectiveSettings(runtime.edition, runtime.editionConfig.settingDefaults, parseJsonOr(row?.settings_json, {}));
}

/** Why a bootstrap did not start, as a domain error (the HTTP edge maps it to 409). */
export function refusalOf(result: Exclude<StartResult, { started: true }>) {
  switch (result.reason) {
    case 'already-running':
      return new DomainError('bootstrap-running', 'A bootstrap is already running for this workspace.');
    case 'nothing-to-retry':
      return new DomainError('nothing-to-retry', 'The last bootstrap has no failed operations to retry.');
    case 'no-previous-run':
      return new DomainError('no-previous-run', 'There is no previous bootstrap to retry.');
  }
}
