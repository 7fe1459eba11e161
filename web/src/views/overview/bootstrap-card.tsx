import { useState } from 'preact/hooks';
import type { BootstrapRun, BootstrapStatus } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useInterval, useLive } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { count, dateTime, entityTypeLabel, relativeTime } from '../../lib/format';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { ProgressBar } from '../../ui/progress';
import { applyBootstrapEvent, isActive } from './bootstrap-progress';

/** The workspace snapshot: live progress while it runs, what it fetched, and the buttons to run it again. */
export function BootstrapCard() {
  const { api, me, notify, announce } = useApp();
  const now = useNow();
  const status = useResource((signal) => api.get<BootstrapStatus>('/ui/bootstrap/status', { signal }), []);
  const run = status.data?.run ?? null;
  const active = isActive(run);

  useLive('bootstrap', (data) => {
    status.update((current) => (current ? { ...current, run: applyBootstrapEvent(current.run, data) } : current));
    // Counts and errors are only in the full status; fetch it when a run ends.
    const next = typeof data.status === 'string' ? data.status : undefined;
    if (next && next !== run?.status) announce(`Snapshot ${next}.`);
    if (next && !['pending', 'running'].includes(next)) status.reload();
  });
  // If the live stream is down, a running snapshot still moves on screen.
  useInterval(status.reload, 3000, active);

  const trigger = useAction(async (mode: 'full' | 'failed-only') => {
    const result = await api.post<{ run: BootstrapRun }>('/ui/bootstrap/trigger', { mode });
    status.update((current) => ({ entityCounts: current?.entityCounts ?? [], run: result?.run ?? current?.run ?? null }));
    notify(mode === 'full' ? 'Snapshot started.' : 'Retrying the failed operations.');
    status.reload();
  });
  const cancel = useAction(async () => {
    await api.post('/ui/bootstrap/cancel', {});
    notify('Snapshot cancelled.');
    status.reload();
  });

  const actions =
    me.isAdmin && status.data ? (
      active ? (
        <Button size="sm" variant="danger" busy={cancel.busy} onClick={() => cancel.run()}>
          Cancel
        </Button>
      ) : (
        <>
          {run && (run.errorsCount > 0 || run.status === 'failed') ? (
            <Button size="sm" icon="refresh" busy={trigger.busy} onClick={() => trigger.run('failed-only')}>
              Retry failed
            </Button>
          ) : null}
          <Button size="sm" variant={run ? 'secondary' : 'primary'} icon="play" busy={trigger.busy} onClick={() => trigger.run('full')}>
            {run ? 'Run again' : 'Take snapshot'}
          </Button>
        </>
      )
    ) : null;

  return (
    <Card
      title="Workspace snapshot"
      id="bootstrap"
      subtitle="Projects, clients, tags, users and more, copied from Clockify so flows and views can use them."
      actions={actions}
    >
      {status.error && status.error.status === 404 ? (
        <Notice title="Not available yet">The snapshot service is not running on this server.</Notice>
      ) : status.error && !status.data ? (
        <ErrorNotice error={status.error} onRetry={status.reload} />
      ) : status.loading || !status.data ? (
        <Skeleton lines={4} label="Loading the snapshot status…" />
      ) : (
        <div class="stack">
          {trigger.error ? <ErrorNotice error={trigger.error} compact /> : null}
          {cancel.error ? <ErrorNotice error={cancel.error} compact /> : null}
          {run ? (
            <RunProgress run={run} now={now} />
          ) : (
            <EmptyState icon="refresh" title="No snapshot yet">
              {me.isAdmin
                ? "Take a snapshot to copy this workspace's data into the add-on."
                : 'A workspace admin can start the first snapshot.'}
            </EmptyState>
          )}
          <EntityCounts counts={status.data.entityCounts} />
        </div>
      )}
    </Card>
  );
}

function RunProgress({ run, now }: { run: BootstrapRun; now: number }) {
  const done = run.status === 'completed';
  const cut = run.status === 'completed_with_warnings';
  const tone = run.status === 'failed' ? 'danger' : done ? 'ok' : cut ? 'warn' : run.status === 'cancelled' ? 'neutral' : 'info';
  const when = run.finishedAt ?? run.startedAt ?? run.createdAt;
  return (
    <div class="stack-sm">
      <div class="row-between">
        <div class="row">
          <StatusBadge status={run.status} />
          <span class="muted small">{run.mode === 'failed-only' ? 'Retry of failed operations' : 'Full snapshot'}</span>
        </div>
        <span class="muted small" title={dateTime(when)}>
          {run.finishedAt ? 'Finished' : run.startedAt ? 'Started' : 'Queued'} {relativeTime(when, now)}
        </span>
      </div>
      <ProgressBar value={run.operationsDone} max={run.operationsTotal} tone={tone} label="Snapshot progress" />
      <p class="small" data-testid="bootstrap-progress-text">
        <strong>
          {count(run.operationsDone)} of {count(run.operationsTotal)}
        </strong>{' '}
        operations · {count(run.entitiesFetched)} records · {count(run.pagesFetched)} pages
        {run.errorsCount > 0 ? (
          <>
            {' '}
            ·{' '}
            <span class="text-danger">
              {count(run.errorsCount)} {run.errorsCount === 1 ? 'error' : 'errors'}
            </span>
          </>
        ) : null}
      </p>
      {cut && run.warningSummary ? (
        <div class="stack-sm" data-testid="bootstrap-warnings">
          <p class="small">{run.warningSummary}</p>
          {run.warnings && run.warnings.some((item) => item.kind === 'page-cap') ? (
            <details class="disclosure">
              <summary>What was cut ({run.warnings.filter((item) => item.kind === 'page-cap').length})</summary>
              <ul class="error-list">
                {run.warnings
                  .filter((item) => item.kind === 'page-cap')
                  .map((item) => (
                    <li key={item.stepKey}>
                      <code>{item.operationId}</code> <span class="muted">{item.message}</span>
                    </li>
                  ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
      {run.errors && run.errors.length > 0 ? (
        <details class="disclosure">
          <summary>What failed ({run.errors.length})</summary>
          <ul class="error-list">
            {run.errors.map((item, index) => (
              <li key={index}>
                <code>{item.operationId}</code> <span class="muted">{item.error}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

const COUNTS_SHOWN = 8;

function EntityCounts({ counts }: { counts: BootstrapStatus['entityCounts'] }) {
  const [all, setAll] = useState(false);
  if (counts.length === 0) return null;
  // The biggest collections first: they are what people look for.
  const sorted = [...counts].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  const shown = all ? sorted : sorted.slice(0, COUNTS_SHOWN);
  return (
    <div>
      <h3 class="section-label">Records by type</h3>
      <ul class="counts">
        {shown.map((item) => (
          <li key={item.type}>
            <span class="truncate" title={item.type}>
              {entityTypeLabel(item.type)}
            </span>
            <strong>{count(item.count)}</strong>
          </li>
        ))}
      </ul>
      {sorted.length > COUNTS_SHOWN ? (
        <button type="button" class="btn btn-ghost btn-sm" aria-expanded={all ? 'true' : 'false'} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${sorted.length} types`}
        </button>
      ) : null}
    </div>
  );
}
