import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Operation } from '../clockify/catalog/index.js';
import { ClockifyApiError } from '../clockify/client/index.js';
import type { ApiResponse } from '../clockify/client/index.js';
import { callOperation } from '../lifecycle/workspace-api.js';
import type { JobOutcome } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import { isDomainError } from '../errors/domain-error.js';
import { entityIdsSince, upsertEntities } from './cache.js';
import { entitiesOfPage, paramsKey } from './entities.js';
import type { BootstrapMetrics } from './metrics.js';
import { planOptionsOf } from './options.js';
import { firstPageOf, pageInput, stopReason } from './paging.js';
import { childSteps, hasDependents, listPathOf, planBootstrap, plannedOperation } from './plan.js';
import type { BootstrapPlan, PlannedOperation } from './plan.js';
import type { ProgressPublisher } from './progress.js';
import {
  LostStepError,
  PAGE_CAP_NOTE,
  activeRun,
  advanceStep,
  countCappedSteps,
  countStepsByStatus,
  failStep,
  finishRun,
  insertSteps,
  isCancelRequested,
  markRunStarted,
  markStepRunning,
  nextOpenStep,
} from './store.js';
import type { BootstrapRun, BootstrapStep } from './store.js';

export interface RunnerDeps {
  runtime: Runtime;
  metrics: BootstrapMetrics;
  progress: ProgressPublisher;
}

export interface RunnerContext {
  signal: AbortSignal;
  logger: Logger;
}

/** `stopped`: halted because a sibling step ended the run (its committed pages stay). */
type StepOutcome = 'done' | 'failed' | 'cancelled' | 'uninstalled' | 'paused' | 'lost' | 'stopped';

/** How long a job waits when the add-on was paused in the workspace (the queue holds it until then anyway). */
export const PAUSED_RETRY_MS = 60_000;

/** Longest pause after Clockify kept answering 429 through the client's own retries. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Works through every run of the workspace that still has work, oldest first. Each page is one
 * transaction: its entities, the step's checkpoint (next page, counters) and the run's counters, and
 * at a step's end the steps of its dependents. So a killed worker's successor resumes at the first
 * page not committed: only the page in flight is fetched again.
 */
export async function runPendingBootstraps(deps: RunnerDeps, workspaceId: string, context: RunnerContext): Promise<void | JobOutcome> {
  const seen = new Set<string>();
  for (;;) {
    const run = await activeRun(deps.runtime.database.db, workspaceId);
    // A run met twice was not finished by us: another runner holds it.
    if (!run || seen.has(run.id)) return;
    seen.add(run.id);
    const outcome = await executeRun(deps, run, context);
    if (outcome === 'lost') return;
    // Paused (INACTIVE): come back later; the queue does not hand the job out before reactivation.
    if (outcome === 'paused') return { deferMs: PAUSED_RETRY_MS };
  }
}

async function executeRun(deps: RunnerDeps, run: BootstrapRun, context: RunnerContext): Promise<'finished' | 'lost' | 'paused'> {
  const { runtime } = deps;
  const db = runtime.database.db;
  if (run.cancelRequested) {
    await finalize(deps, run, 'cancelled');
    return 'finished';
  }
  if (run.status === 'pending') {
    const now = runtime.now();
    await markRunStarted(db, run.id, now);
    run.status = 'running';
    run.startedAt = now;
  }
  const plan = planBootstrap(runtime.catalog, planOptionsOf(run.settings, runtime.edition));
  const logger = context.logger.child({ bootstrapRun: run.id });
  deps.progress.publish(run);

  // Steps run a few at a time: one page in flight per step, so a crash refetches at most one page of
  // each, while the limiter (not the round trip of one request) sets the pace.
  const inFlight = new Map<string, Promise<{ key: string; outcome: StepOutcome }>>();
  const stop = new AbortController();
  const stepSignal = AbortSignal.any([context.signal, stop.signal]);
  // Concurrent steps each wait on it (limiter, requests, backoff): many listeners are expected.
  setMaxListeners(0, stepSignal);
  const stepContext = { ...context, logger, signal: stepSignal };
  let ending: StepOutcome | undefined;
  try {
    for (;;) {
      context.signal.throwIfAborted();
      if (!ending && (await isCancelRequested(db, run.id))) ending = 'cancelled';
      while (!ending && inFlight.size < runtime.config.bootstrap.concurrency) {
        const step = await nextOpenStep(db, run.id, [...inFlight.keys()]);
        if (!step) break;
        const running = executeStep(deps, run, plan, step, stepContext).catch((error: unknown): StepOutcome => {
          if (stop.signal.aborted && !context.signal.aborted) return 'stopped';
          throw error;
        });
        inFlight.set(
          step.stepKey,
          running.then((outcome) => ({ key: step.stepKey, outcome })),
        );
      }
      if (inFlight.size === 0) break;
      const { key, outcome } = await Promise.race(inFlight.values());
      inFlight.delete(key);
      if (outcome === 'lost' || outcome === 'cancelled' || outcome === 'uninstalled' || outcome === 'paused') {
        ending ??= outcome;
        // The other steps stop at their next page; what they committed stays.
        stop.abort();
      }
    }
  } catch (error) {
    stop.abort();
    await Promise.allSettled(inFlight.values());
    throw error;
  }
  switch (ending) {
    case 'lost':
      logger.warn('another worker took this bootstrap over; stopping here');
      return 'lost';
    case 'cancelled':
      await finalize(deps, run, 'cancelled');
      return 'finished';
    case 'uninstalled':
      await finalize(deps, run, 'cancelled', 'The add-on was uninstalled.');
      return 'finished';
    case 'paused':
      logger.info('the add-on is paused in this workspace; the bootstrap resumes when it is active again');
      return 'paused';
    default:
      await finalize(deps, run, 'completed');
      return 'finished';
  }
}

async function executeStep(
  deps: RunnerDeps,
  run: BootstrapRun,
  plan: BootstrapPlan,
  step: BootstrapStep,
  context: RunnerContext,
): Promise<StepOutcome> {
  const { runtime, metrics } = deps;
  const db = runtime.database.db;
  const operation = runtime.catalog.get(step.operationId);
  if (!operation) {
    await recordFailure(deps, run, step, `Operation ${step.operationId} is not in the catalog any more.`);
    return 'failed';
  }
  const planned = plannedOperation(plan, step.operationId);
  const listPath = planned ? planned.listPath : listPathOf(operation.responseSchema);
  // A single object has no pages, whatever parameters the operation declares.
  const pagination = listPath === undefined ? ({ kind: 'none' } as const) : operation.pagination;
  const idPrefix = scopedIdPrefix(planned, step);
  const rawKey = paramsKey(step.input.params);
  await markStepRunning(db, step, runtime.now());

  let page = step.nextPage;
  let pagesFetched = step.pagesFetched;
  for (;;) {
    context.signal.throwIfAborted();
    let response: ApiResponse;
    try {
      response = await fetchPage(deps, run, operation, pageInput(pagination, step.input, page, planned?.pageSize), context);
    } catch (error) {
      if (context.signal.aborted) throw error;
      if (error instanceof CancelledWhileWaiting) return 'cancelled';
      if (isDomainError(error, 'not-installed')) return 'uninstalled';
      // Clockify refuses calls while the add-on is paused: that is no failure of the operation.
      const installation = await installationStatus(db, run.workspaceId);
      if (installation === 'INACTIVE') return 'paused';
      if (installation !== 'ACTIVE') return 'uninstalled';
      await recordFailure(deps, run, step, describeError(error));
      context.logger.warn({ step: step.stepKey, operation: step.operationId, error: describeError(error) }, 'bootstrap step failed');
      return 'failed';
    }

    // Clockify answers may carry tokens (each webhook's authToken): the snapshot keeps them out, like every other record.
    const { entities, listLength } = entitiesOfPage(runtime.redactor.redact(response.body), listPath, {
      rawKey,
      ...(idPrefix ? { idPrefix } : {}),
    });
    pagesFetched += 1;
    const reason = stopReason({
      pagination,
      listLength,
      pageSize: planned?.pageSize,
      lastPageHeader: response.headers['last-page'],
      pagesFetched,
      maxPages: run.settings.maxPages,
    });
    const done = reason !== undefined;
    const note = reason === 'max-pages' ? `${PAGE_CAP_NOTE} (${run.settings.maxPages}) pages; more data may exist.` : null;
    const now = runtime.now();
    let added = 0;
    let cancelRequested: boolean;
    try {
      ({ cancelRequested } = await db.transaction().execute(async (trx) => {
        await upsertEntities(trx, run.workspaceId, step.entityType, entities, { now, ttlDays: run.settings.cacheTtlDays });
        if (done && hasDependents(plan, step.operationId)) {
          const parentIds = await entityIdsSince(trx, run.workspaceId, step.entityType, run.createdAt);
          const children = childSteps(plan, step.operationId, parentIds, run.workspaceId).map((child) => ({
            ...child,
            firstPage: firstPageOf(runtime.catalog.get(child.operationId)?.pagination ?? { kind: 'none' }),
          }));
          added = await insertSteps(trx, run.id, run.workspaceId, children, now);
        }
        return advanceStep(trx, step, { page, entities: entities.length, done, note, addedSteps: added, now });
      }));
    } catch (error) {
      if (error instanceof LostStepError) return 'lost';
      throw error;
    }

    metrics.pages.inc();
    metrics.entities.inc(entities.length);
    run.pagesFetched += 1;
    run.entitiesFetched += entities.length;
    run.operationsTotal += added;
    if (done) run.operationsDone += 1;
    deps.progress.publish(run);
    if (done) return 'done';
    if (cancelRequested) return 'cancelled';
    page += 1;
  }
}

class CancelledWhileWaiting extends Error {}

/**
 * One page through the shared client and limiter (background lane). The client already waits out
 * 429s (Retry-After) a few times; if Clockify still refuses, the runner keeps backing off instead of
 * failing: a rate limit is a reason to be slower, never to give up. Cancellation is checked between waits.
 */
async function fetchPage(
  deps: RunnerDeps,
  run: BootstrapRun,
  operation: Operation,
  input: ReturnType<typeof pageInput>,
  context: RunnerContext,
): Promise<ApiResponse> {
  const { runtime } = deps;
  for (let attempt = 0; ; attempt++) {
    try {
      const { response } = await callOperation(runtime, {
        workspaceId: run.workspaceId,
        operation,
        input,
        lane: 'background',
        source: 'bootstrap',
        signal: context.signal,
        throwOnHttpError: true,
      });
      return response;
    } catch (error) {
      if (context.signal.aborted || !(error instanceof ClockifyApiError) || error.status !== 429) throw error;
      const retryAfter = Number(error.headers?.['retry-after']);
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 5));
      const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.max(retryAfter * 1000, backoff) : backoff;
      context.logger.info({ operation: operation.operationId, waitMs }, 'Clockify keeps answering 429; backing off');
      await sleep(waitMs / 2 + Math.random() * (waitMs / 2), undefined, { signal: context.signal });
      if (await isCancelRequested(runtime.database.db, run.id)) throw new CancelledWhileWaiting();
    }
  }
}

async function recordFailure(deps: RunnerDeps, run: BootstrapRun, step: BootstrapStep, error: string): Promise<void> {
  const { runtime } = deps;
  const recorded = await runtime.database.db.transaction().execute((trx) => failStep(trx, step, error, runtime.now()));
  if (!recorded) return;
  deps.metrics.errors.inc({ operation: step.operationId });
  run.errorsCount += 1;
  run.operationsDone += 1;
  deps.progress.publish(run);
}

/**
 * Ends a run. A run completes even when some operations failed (they are listed with their errors and
 * can be retried alone); it fails only when nothing at all succeeded. A run that lost data on the way
 * — an operation stopped by max_pages, or a failed step skipped — is `completed_with_warnings`, never
 * a clean `completed`; its warnings (stepWarnings) name what was cut.
 */
export async function finalize(
  deps: RunnerDeps,
  run: BootstrapRun,
  requested: 'completed' | 'cancelled' | 'failed',
  error: string | null = null,
): Promise<void> {
  const { runtime } = deps;
  const db = runtime.database.db;
  let status: 'completed' | 'completed_with_warnings' | 'cancelled' | 'failed' = requested;
  if (requested === 'completed') {
    const counts = await countStepsByStatus(db, run.id);
    if ((counts.failed ?? 0) > 0 && (counts.done ?? 0) === 0) status = 'failed';
    else if ((counts.failed ?? 0) > 0 || (await countCappedSteps(db, run.id)) > 0) status = 'completed_with_warnings';
  }
  const now = runtime.now();
  if (!(await finishRun(db, run.id, status, now, error))) return;
  run.status = status;
  run.finishedAt = now;
  run.error = error;
  deps.metrics.runs.inc({ outcome: status });
  if (run.startedAt !== null) deps.metrics.runDuration.observe(Math.max(0, now - run.startedAt) / 1000);
  deps.progress.publish(run, { final: true });
}

async function installationStatus(db: Runtime['database']['db'], workspaceId: string): Promise<string | undefined> {
  const row = await db.selectFrom('installations').select('status').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row?.status;
}

function scopedIdPrefix(planned: PlannedOperation | undefined, step: BootstrapStep): string | undefined {
  if (!planned?.parent?.scopeIds) return undefined;
  const value = step.input.params[planned.parent.param];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Safe to store and show: the client's errors never carry tokens. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 1000);
  return String(error).slice(0, 1000);
}
