import type { EventBus } from '../events-bus.js';
import { warningSummary } from './store.js';
import type { BootstrapRun, StepWarning } from './store.js';

export const PROGRESS_INTERVAL_MS = 250;

/** The run as the status endpoint and live views show it; `cut` (from stepWarnings) names what a run left out. */
export function runView(
  run: BootstrapRun,
  errors: { operationId: string; error: string }[] = [],
  cut?: { warnings: StepWarning[]; total: number },
) {
  return {
    id: run.id,
    status: run.status,
    mode: run.mode,
    operationsTotal: run.operationsTotal,
    operationsDone: run.operationsDone,
    entitiesFetched: run.entitiesFetched,
    pagesFetched: run.pagesFetched,
    errorsCount: run.errorsCount,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    errors,
    ...(cut ? { warnings: cut.warnings, warningsCount: cut.total, warningSummary: warningSummary(cut.warnings, cut.total) } : {}),
  };
}

export type RunView = ReturnType<typeof runView>;

/**
 * Publishes a run's progress on the live bus at most every `intervalMs` (a page can take a few
 * milliseconds; browsers need a few updates a second, not hundreds). Final states always go out.
 */
export class ProgressPublisher {
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly bus: EventBus,
    private readonly clock: () => number = () => performance.now(),
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  publish(run: BootstrapRun, options: { final?: boolean } = {}): boolean {
    const at = this.clock();
    const last = this.lastAt.get(run.id);
    if (!options.final && last !== undefined && at - last < this.intervalMs) return false;
    if (options.final) this.lastAt.delete(run.id);
    else this.lastAt.set(run.id, at);
    this.bus.publish({ kind: 'bootstrap', workspaceId: run.workspaceId, data: runView(run) });
    return true;
  }
}
