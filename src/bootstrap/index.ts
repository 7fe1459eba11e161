import type { JobHandler } from '../jobs/worker.js';
import { defineRoom } from '../room.js';
import { JOB_BOOTSTRAP, onDeleted, onInstalled } from './control.js';
import { bootstrapMetrics } from './metrics.js';
import { bootstrapIndexes } from './migrations/002-bootstrap.js';
import { ProgressPublisher } from './progress.js';
import { bootstrapRoutes } from './routes.js';
import { finalize, runPendingBootstraps } from './runner.js';
import type { RunnerDeps } from './runner.js';
import { activeRun } from './store.js';
import { BOOTSTRAP_TABLES } from './tables.js';

/**
 * Workspace bootstrap: a local snapshot of the workspace from every safe read of Clockify's API,
 * started on install (setting `run_on_install`) or on demand, resumable page by page.
 */
export const bootstrapRoom = defineRoom({
  name: 'bootstrap',
  tables: BOOTSTRAP_TABLES,
  migrations: [bootstrapIndexes],
  setup: (runtime) => {
    const deps: RunnerDeps = { runtime, metrics: bootstrapMetrics(runtime.metrics.registry), progress: new ProgressPublisher(runtime.bus) };
    return {
      jobs: { [JOB_BOOTSTRAP]: bootstrapJob(deps) },
      lifecycle: { onInstalled: onInstalled(runtime), onDeleted: onDeleted(runtime) },
      uiRoutes: async (ui) => {
        await ui.register(bootstrapRoutes, { runtime });
      },
    };
  },
});

/** The durable job: resumes the workspace's runs; on its last attempt an unexpected error fails the run instead of leaving it "running". */
export function bootstrapJob(deps: RunnerDeps): JobHandler {
  return async (job, { signal, logger }) => {
    try {
      return await runPendingBootstraps(deps, job.workspaceId, { signal, logger });
    } catch (error) {
      if (signal.aborted) throw error;
      if (job.attempts >= job.maxAttempts) {
        const run = await activeRun(deps.runtime.database.db, job.workspaceId);
        if (run) await finalize(deps, run, 'failed', error instanceof Error ? error.message.slice(0, 1000) : String(error));
      }
      throw error;
    }
  };
}

export { JOB_BOOTSTRAP, bootstrapDedupeKey, cancelRuns, startRun } from './control.js';
export type { StartOptions, StartResult } from './control.js';
export { deleteExpiredEntities, entityCounts, getEntity, listEntities } from './cache.js';
export { planBootstrap, timeWindow, CORE_ORDER, DEFAULT_PAGE_SIZE } from './plan.js';
export type { BootstrapPlan, PlanOptions, PlannedOperation } from './plan.js';
export { latestRun } from './store.js';
export type { BootstrapRun } from './store.js';
export { runView } from './progress.js';
export type { RunView } from './progress.js';
