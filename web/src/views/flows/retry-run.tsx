import { useEffect, useState } from 'preact/hooks';
import type { FlowRun, RetryQueued, RunPage } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { ErrorNotice, Notice } from '../../ui/feedback';

const retriesOf = (runId: string) => ({ query: { replayOf: runId, limit: 200 } });

/**
 * Retry from a run's detail, through the inspector's bulk retry (one run, any finished outcome): with
 * the version it ran or the flow as it is now; then the new run, as it goes, with its link.
 */
export function RetryRun({ flowId, runId, ranVersion }: { flowId: string; runId: string; ranVersion: number }) {
  const { api, notify } = useApp();
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState<'original' | 'current'>('original');
  const [current, setCurrent] = useState<number | null | undefined>(undefined);
  const [known, setKnown] = useState<Set<string> | null>(null);
  const [retried, setRetried] = useState<FlowRun | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  const ask = async () => {
    setOpen(true);
    // The flow as it is now: none when it was deleted since (only its original version can run).
    const flow = await api.get<{ flow: { version: number } }>(`/ui/flows/${encodeURIComponent(flowId)}`).catch(() => undefined);
    setCurrent(flow?.flow.version ?? null);
  };
  const start = useAction(async () => {
    setOpen(false);
    setRetried(null);
    setRefused(null);
    const before = await api.get<RunPage>('/ui/flows/runs', retriesOf(runId));
    const result = await api.post<RetryQueued>('/ui/flows/runs/retry', { runIds: [runId], version, include: 'finished' });
    if (result.queued === 0) return setRefused(result.skipped[0]?.reason ?? 'it was not retried');
    notify('Retry queued.');
    setKnown(new Set(before.runs.map((run) => run.id)));
  });

  // Follows the new run until it has ended.
  useEffect(() => {
    if (!known || (retried && retried.status !== 'running' && retried.status !== 'waiting')) return;
    const timer = window.setTimeout(async () => {
      const page = await api.get<RunPage>('/ui/flows/runs', retriesOf(runId)).catch(() => undefined);
      const found = page?.runs.find((run) => !known.has(run.id));
      if (found) setRetried(found);
      else setTick((count) => count + 1);
    }, 700);
    return () => window.clearTimeout(timer);
    // Polls while the retry runs: `api` is stable for the view's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [known, retried, tick]);

  return (
    <>
      <div>
        <Button icon="refresh" busy={start.busy} onClick={() => void ask()}>
          Retry
        </Button>
      </div>
      {start.error ? <ErrorNotice error={start.error} compact /> : null}
      {refused ? (
        <Notice tone="warn" title="Not retried">
          {refused}
        </Notice>
      ) : null}
      {known ? (
        <Notice tone={retried?.status === 'succeeded' ? 'ok' : retried && retried.status !== 'running' ? 'warn' : 'info'}>
          <p class="row" data-testid="retry-outcome">
            {retried ? (
              <>
                <a href={routeHref('flows', retried.flowId, 'runs', retried.id)}>Retry run {retried.id.slice(-8)}</a>
                <StatusBadge status={retried.status} />
              </>
            ) : (
              'Retry queued, waiting for it to start…'
            )}
          </p>
        </Notice>
      ) : null}
      <ConfirmDialog
        open={open}
        title="Retry this run?"
        confirmLabel="Retry and send again"
        onConfirm={() => void start.run()}
        onCancel={() => setOpen(false)}
      >
        <p>The flow runs again on the same event, as a new run: its steps may change data in Clockify a second time. Run it with</p>
        <div class="stack-sm" role="radiogroup" aria-label="Version">
          <label class="check">
            <input type="radio" name="retry-version" checked={version === 'original'} onChange={() => setVersion('original')} />
            the version it ran (v{ranVersion})
          </label>
          <label class="check">
            <input
              type="radio"
              name="retry-version"
              disabled={current === null}
              checked={version === 'current'}
              onChange={() => setVersion('current')}
            />
            {current === null ? 'the flow as it is now (it was deleted)' : `the flow as it is now (v${current ?? '…'})`}
          </label>
        </div>
      </ConfirmDialog>
    </>
  );
}
