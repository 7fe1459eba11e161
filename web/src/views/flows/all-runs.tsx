import { useEffect, useState } from 'preact/hooks';
import type { FlowSummary, RetryQueued, RunPage } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { dateTime, duration, relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { Button, LinkButton } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { ProgressBar } from '../../ui/progress';
import { runDuration } from './run-list';

interface Filters {
  flowId: string;
  status: string;
  eventType: string;
  from: string;
  to: string;
}

const RETRYABLE = new Set(['failed', 'dead']);
/** A date input's day as the start (or end) of that day in the viewer's time zone, for the API. */
const dayBound = (day: string, end: boolean) => (day ? new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);

/** The execution inspector: runs of every flow with filters; admins retry failed ones in bulk. */
export function AllRuns() {
  const { api, me, notify } = useApp();
  const now = useNow();
  const [filters, setFilters] = useState<Filters>({ flowId: '', status: '', eventType: '', from: '', to: '' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [version, setVersion] = useState<'original' | 'current'>('original');
  const [confirming, setConfirming] = useState(false);
  const [retry, setRetry] = useState<{ result: RetryQueued; done: number; failed: number } | null>(null);
  const flows = useResource((signal) => api.get<{ flows: FlowSummary[] }>('/ui/flows', { signal }), []);
  const query = {
    flowId: filters.flowId || undefined,
    status: filters.status || undefined,
    eventType: filters.eventType.trim() || undefined,
    from: dayBound(filters.from, false),
    to: dayBound(filters.to, true),
  };
  const key = JSON.stringify(query);
  const page = useResource((signal) => api.get<RunPage>('/ui/flows/runs', { query, signal }), [key]);
  useLiveReload(['flow-run'], page.reload);
  useEffect(() => setSelected(new Set()), [key]);
  const more = useAction(async () => {
    if (!page.data?.nextCursor) return;
    const next = await api.get<RunPage>('/ui/flows/runs', { query: { ...query, cursor: page.data.nextCursor } });
    page.update((current) => (current ? { runs: [...current.runs, ...next.runs], nextCursor: next.nextCursor } : next));
  });

  // A bulk retry's progress: its new runs (replayOf one of the retried) that have finished.
  useEffect(() => {
    if (!retry || retry.done >= retry.result.queued) return;
    const timer = window.setTimeout(async () => {
      const found = await api
        .get<RunPage>('/ui/flows/runs', { query: { replayOf: retry.result.runIds.join(','), limit: 200 } })
        .catch(() => undefined);
      if (!found) return setRetry({ ...retry });
      const finished = found.runs.filter((run) => run.status !== 'running' && run.status !== 'waiting');
      setRetry({ ...retry, done: finished.length, failed: finished.filter((run) => RETRYABLE.has(run.status)).length });
      if (finished.length >= retry.result.queued) page.reload();
    }, 700);
    return () => window.clearTimeout(timer);
    // Polls while a retry runs: `api` and `page` are stable for the view's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [retry]);

  const start = useAction(async () => {
    setConfirming(false);
    const body =
      selected.size > 0
        ? { runIds: [...selected], version }
        : { filter: { flowId: query.flowId, eventType: query.eventType, from: query.from, to: query.to }, version };
    const result = await api.post<RetryQueued>('/ui/flows/runs/retry', body);
    setSelected(new Set());
    setRetry({ result, done: 0, failed: 0 });
    notify(result.queued === 0 ? 'Nothing to retry.' : `${result.queued} ${result.queued === 1 ? 'retry' : 'retries'} queued.`);
  });

  const runs = page.data?.runs ?? [];
  const failedShown = runs.filter((run) => RETRYABLE.has(run.status));
  const allPicked = failedShown.length > 0 && failedShown.every((run) => selected.has(run.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const set = (field: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [field]: (event.currentTarget as HTMLInputElement).value });
  const target =
    selected.size > 0
      ? `the ${selected.size} selected failed ${selected.size === 1 ? 'run' : 'runs'}`
      : 'every failed run matching the filters (up to 100)';

  return (
    <div data-testid="all-runs">
      <div class="page-header">
        <div>
          <LinkButton href={routeHref('flows')} icon="back" size="sm" variant="ghost">
            All flows
          </LinkButton>
          <h1>Runs</h1>
          <p>Every run of every flow, newest first.</p>
        </div>
      </div>
      <div class="stack-sm">
        <div class="row wrap" role="group" aria-label="Filters">
          <label class="inline-label">
            <span>Flow</span>
            <select class="select" value={filters.flowId} onChange={set('flowId')}>
              <option value="">All flows</option>
              {(flows.data?.flows ?? []).map((flow) => (
                <option key={flow.id} value={flow.id}>
                  {flow.name}
                </option>
              ))}
            </select>
          </label>
          <label class="inline-label">
            <span>Outcome</span>
            <select class="select" value={filters.status} onChange={set('status')}>
              <option value="">Any</option>
              <option value="succeeded">Succeeded</option>
              <option value="failed">Failed</option>
              <option value="dead">Gave up after retries</option>
              <option value="running">Running</option>
              <option value="waiting">Waiting (a wait step)</option>
              <option value="skipped">Not matched</option>
            </select>
          </label>
          <label class="inline-label">
            <span>Event</span>
            <input class="input" placeholder="e.g. NEW_TIME_ENTRY" value={filters.eventType} onChange={set('eventType')} size={16} />
          </label>
          <label class="inline-label">
            <span>From</span>
            <input class="input" type="date" value={filters.from} onChange={set('from')} />
          </label>
          <label class="inline-label">
            <span>To</span>
            <input class="input" type="date" value={filters.to} onChange={set('to')} />
          </label>
        </div>
        {me.isAdmin ? (
          <div class="row wrap">
            <label class="inline-label">
              <input
                type="checkbox"
                checked={allPicked}
                disabled={failedShown.length === 0}
                onChange={(event) => setSelected(event.currentTarget.checked ? new Set(failedShown.map((run) => run.id)) : new Set())}
              />
              <span>Select all failed ({failedShown.length})</span>
            </label>
            <label class="inline-label">
              <span>Retry with</span>
              <select class="select" value={version} onChange={(event) => setVersion(event.currentTarget.value as 'original' | 'current')}>
                <option value="original">the version each run used</option>
                <option value="current">the flow as it is now</option>
              </select>
            </label>
            <Button icon="refresh" busy={start.busy} onClick={() => setConfirming(true)}>
              {selected.size > 0 ? `Retry ${selected.size} failed` : 'Retry failed'}
            </Button>
          </div>
        ) : null}
        {start.error ? <ErrorNotice error={start.error} compact /> : null}
        {retry ? <RetryProgress {...retry} /> : null}
        <ConfirmDialog
          open={confirming}
          title="Retry failed runs?"
          confirmLabel="Retry and send again"
          danger={false}
          busy={start.busy}
          onConfirm={() => void start.run()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            This runs {target} again on {selected.size === 1 ? 'its' : 'their'} events with{' '}
            {version === 'original' ? 'the version each run used' : 'the flow as it is now'}: each is a new run, and its steps may change
            data in Clockify again.
          </p>
        </ConfirmDialog>
        {page.error && !page.data ? (
          <ErrorNotice error={page.error} onRetry={page.reload} />
        ) : !page.data ? (
          <div class="list-card" style={{ padding: '12px' }}>
            <Skeleton lines={5} label="Loading runs…" />
          </div>
        ) : runs.length === 0 ? (
          <div class="list-card">
            <EmptyState icon="flows" title="No runs match">
              Change the filters, or wait for a flow to run.
            </EmptyState>
          </div>
        ) : (
          <div class="list-card">
            <ul class="list" aria-label="Runs of every flow, newest first" data-testid="all-runs-list">
              {runs.map((run) => (
                <li key={run.id} class="flow-row">
                  {me.isAdmin ? (
                    <input
                      type="checkbox"
                      class="run-pick"
                      aria-label={`Select run ${run.id.slice(-8)} of ${run.flowName ?? 'a deleted flow'}`}
                      disabled={!RETRYABLE.has(run.status)}
                      checked={selected.has(run.id)}
                      onChange={(event) => toggle(run.id, event.currentTarget.checked)}
                    />
                  ) : null}
                  <a class="list-item" href={routeHref('flows', run.flowId, 'runs', run.id)}>
                    <span class="list-item-main">
                      <span class="list-item-title">{run.flowName ?? 'Deleted flow'}</span>
                      <span class="list-item-meta" title={dateTime(run.startedAt)}>
                        {relativeTime(run.startedAt, now)} · {run.eventType ?? 'schedule'} · v{run.flowVersion} ·{' '}
                        {duration(runDuration(run))}
                        {run.replayOf ? ' · retry' : ''}
                      </span>
                      {run.error ? <span class="list-item-meta">{run.error}</span> : null}
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
    </div>
  );
}

function RetryProgress({ result, done, failed }: { result: RetryQueued; done: number; failed: number }) {
  const finished = done >= result.queued;
  return (
    <Notice tone={finished ? (failed > 0 ? 'warn' : 'ok') : 'info'} title={finished ? 'Retries finished' : 'Retrying…'}>
      <div class="stack-sm" data-testid="retry-progress">
        {result.queued > 0 ? (
          <ProgressBar value={done} max={result.queued} label="Retries finished" tone={finished ? (failed > 0 ? 'warn' : 'ok') : 'info'} />
        ) : null}
        <p>
          {done} of {result.queued} finished{failed > 0 ? `, ${failed} failed again` : ''}.
          {result.skipped.length > 0
            ? ` ${result.skipped.length} not retried: ${result.skipped
                .slice(0, 3)
                .map((s) => s.reason)
                .join('; ')}.`
            : ''}
          {result.more ? ' More failed runs match: retry again for the rest.' : ''}
        </p>
      </div>
    </Notice>
  );
}
