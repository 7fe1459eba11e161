import type { BootstrapRun } from '../../api/types';

const NUMBERS = ['operationsTotal', 'operationsDone', 'entitiesFetched', 'pagesFetched', 'errorsCount'] as const;
const STATUSES = new Set(['pending', 'running', 'completed', 'completed_with_warnings', 'failed', 'cancelled']);

export function isActive(run: BootstrapRun | null | undefined): boolean {
  return run?.status === 'pending' || run?.status === 'running';
}

/**
 * Folds a live `bootstrap` event into the run on screen. The event may carry the whole run or only
 * some counters; an event about another run replaces the shown one only if it is complete enough.
 */
export function applyBootstrapEvent(run: BootstrapRun | null, data: Record<string, unknown>): BootstrapRun | null {
  const source = data.run && typeof data.run === 'object' ? (data.run as Record<string, unknown>) : data;
  const id = typeof source.id === 'string' ? source.id : typeof source.runId === 'string' ? source.runId : undefined;
  const base: BootstrapRun | null = run && (id === undefined || id === run.id) ? run : null;
  if (!base) {
    const complete = id !== undefined && NUMBERS.every((key) => typeof source[key] === 'number') && STATUSES.has(String(source.status));
    return complete
      ? ({ mode: 'full', createdAt: null, startedAt: null, finishedAt: null, ...source, id } as unknown as BootstrapRun)
      : run;
  }
  const next: BootstrapRun = { ...base };
  for (const key of NUMBERS) {
    const value = source[key];
    if (typeof value === 'number' && Number.isFinite(value)) next[key] = value;
  }
  if (typeof source.status === 'string' && STATUSES.has(source.status)) next.status = source.status as BootstrapRun['status'];
  for (const key of ['startedAt', 'finishedAt'] as const) {
    const value = source[key];
    if (typeof value === 'number') next[key] = value;
  }
  return next;
}
