import { useState } from 'preact/hooks';
import type { FlowRun, RunPage } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { dateTime, duration, relativeTime, toDate } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';

export function runDuration(run: Pick<FlowRun, 'startedAt' | 'finishedAt'>): number | null {
  const start = toDate(run.startedAt);
  const end = toDate(run.finishedAt);
  return start && end ? end.getTime() - start.getTime() : null;
}

/** The flow's executions, newest first, filterable by outcome; each opens with its requests and responses. */
export function RunList({ flowId }: { flowId: string }) {
  const { api } = useApp();
  const now = useNow();
  const [status, setStatus] = useState('');
  const path = `/ui/flows/${encodeURIComponent(flowId)}/executions`;
  const page = useResource((signal) => api.get<RunPage>(path, { query: { status: status || undefined }, signal }), [path, status]);
  useLiveReload(['flow-run'], page.reload);
  const more = useAction(async () => {
    if (!page.data?.nextCursor) return;
    const next = await api.get<RunPage>(path, { query: { status: status || undefined, cursor: page.data.nextCursor } });
    page.update((current) => (current ? { runs: [...current.runs, ...next.runs], nextCursor: next.nextCursor } : next));
  });
  return (
    <div class="stack-sm">
      <label class="inline-label">
        <span>Show</span>
        <select class="select" value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          <option value="">All runs</option>
          <option value="succeeded">Succeeded</option>
          <option value="failed">Failed</option>
          <option value="running">Running</option>
          <option value="skipped">Not matched</option>
          <option value="dead">Gave up after retries</option>
        </select>
      </label>
      {page.error && !page.data ? (
        <ErrorNotice error={page.error} onRetry={page.reload} />
      ) : !page.data ? (
        <div class="list-card" style={{ padding: '12px' }}>
          <Skeleton lines={5} label="Loading runs…" />
        </div>
      ) : page.data.runs.length === 0 ? (
        <div class="list-card">
          <EmptyState icon="flows" title={status ? 'No runs with this outcome' : 'No runs yet'}>
            {status
              ? 'Choose "All runs" to see the others.'
              : 'The flow runs when a webhook of its trigger arrives. A dry run does not count.'}
          </EmptyState>
        </div>
      ) : (
        <div class="list-card">
          <ul class="list" aria-label="Runs, newest first" data-testid="run-list">
            {page.data.runs.map((run) => (
              <li key={run.id}>
                <a class="list-item" href={routeHref('flows', flowId, 'runs', run.id)}>
                  <span class="list-item-main">
                    <span class="list-item-title" title={dateTime(run.startedAt)}>
                      {relativeTime(run.startedAt, now)}
                    </span>
                    <span class="list-item-meta">
                      {run.matched ? 'Matched' : 'Conditions not matched'} · {duration(runDuration(run))}
                      {run.error ? ` · ${run.error}` : ''}
                    </span>
                  </span>
                  <StatusBadge status={run.status} />
                </a>
              </li>
            ))}
          </ul>
          {more.error ? <ErrorNotice error={more.error} compact /> : null}
          {page.data.nextCursor ? (
            <div class="list-footer">
              <Button size="sm" busy={more.busy} onClick={() => more.run()}>
                Load older runs
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
