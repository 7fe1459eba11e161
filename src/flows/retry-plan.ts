import type { FlowRunView } from './store.js';

/** Outcomes a retry applies to: a run that failed, or gave up after its retries. */
export const RETRYABLE = ['failed', 'dead'] as const;
/** With `include: 'finished'` (the run detail's and the event page's Retry), any run that has ended. */
export const FINISHED = [...RETRYABLE, 'succeeded', 'skipped'] as const;

export type RetryVersion = 'original' | 'current';

/** Where a flow acted: one flow on one event. Only its newest run there is retried. */
export const placeOf = (run: { flowId: string; eventId: string | null }) => `${run.flowId} ${run.eventId ?? ''}`;

/**
 * The job key of a retry: one pending or running retry per flow and event, whichever of its runs
 * was picked, so two quick clicks (or the run detail and the event page) queue it once.
 */
export const retryJobKey = (run: { flowId: string; eventId: string | null }) => `flow-retry:${run.flowId}:${run.eventId ?? ''}`;

export interface RetryContext {
  version: RetryVersion;
  finished: boolean;
  /** Flows that still exist. */
  flowIds: ReadonlySet<string>;
  /** The newest run of each flow on the picked runs' events, any run there (by `placeOf`). */
  newest: ReadonlyMap<string, string>;
}

/** Why a run cannot be retried, or undefined when it can. */
export function refusal(run: FlowRunView, context: RetryContext): string | undefined {
  const { version, finished, flowIds, newest } = context;
  if (finished && !(FINISHED as readonly string[]).includes(run.status)) return `it is still ${run.status}; retry it once it has ended`;
  if (!finished && !(RETRYABLE as readonly string[]).includes(run.status))
    return `it ${run.status === 'skipped' ? 'did not match' : run.status === 'running' ? 'is still running' : 'succeeded'}; only failed runs are retried`;
  if (!run.eventId) return 'it has no event to run on';
  // An older run of a flow on an event was acted on again since: retrying it too would act twice.
  const latest = newest.get(placeOf(run));
  if (latest !== undefined && latest !== run.id)
    return `the flow ran on the same event again since (run ${latest.slice(-8)}); only its latest run there is retried`;
  if (version === 'current' && !flowIds.has(run.flowId)) return 'its flow was deleted; retry it with its original version';
  return undefined;
}

/** Splits picked runs into those to retry and those refused, with the reason. */
export function planRetry(
  runs: readonly FlowRunView[],
  context: RetryContext,
): { retry: FlowRunView[]; skipped: { runId: string; reason: string }[] } {
  const retry: FlowRunView[] = [];
  const skipped: { runId: string; reason: string }[] = [];
  for (const run of runs) {
    const reason = refusal(run, context);
    if (reason) skipped.push({ runId: run.id, reason });
    else retry.push(run);
  }
  return { retry, skipped };
}
