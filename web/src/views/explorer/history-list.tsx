import { useState } from 'preact/hooks';
import type { ExecuteResult, ExplorerCall, HistoryEntry } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useNames } from '../../hooks/use-names';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { dateTime, duration, relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { Badge, MethodBadge, toneOfHttpStatus } from '../../ui/badge';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { JsonView } from '../../ui/json-view';
import { pendingCall } from './pending-call';
import { ResponseView } from './response-view';

/** Calls made from the explorer in this workspace: view one as it was, open it in its form, or run it again. */
export function HistoryList() {
  const { api } = useApp();
  const now = useNow();
  const names = useNames();
  const history = useResource(
    (signal) => api.get<{ entries: HistoryEntry[] }>('/ui/api-explorer/history', { query: { limit: 50 }, signal }),
    [],
  );
  const [rerunOf, setRerunOf] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<HistoryEntry | null>(null);
  const [result, setResult] = useState<{ id: string; result: ExecuteResult } | null>(null);
  const rerun = useAction(async (entry: HistoryEntry) => {
    setRerunOf(entry.id);
    setConfirming(null);
    const outcome = await api.post<ExecuteResult>(`/ui/api-explorer/history/${encodeURIComponent(entry.id)}/rerun`, {});
    setResult({ id: entry.id, result: outcome });
    history.reload();
  });
  // A write changes Clockify again: ask first; a read just runs.
  const askOrRun = (entry: HistoryEntry) => (entry.method.toUpperCase() === 'GET' ? void rerun.run(entry) : setConfirming(entry));

  if (history.error && !history.data) return <ErrorNotice error={history.error} onRetry={history.reload} />;
  if (!history.data) {
    return (
      <div class="list-card" style={{ padding: '12px' }}>
        <Skeleton lines={6} label="Loading the call history…" />
      </div>
    );
  }
  if (history.data.entries.length === 0) {
    return (
      <div class="list-card">
        <EmptyState icon="explorer" title="No calls yet">
          Calls you run from the explorer are listed here, with their answers, for everyone in the workspace.
        </EmptyState>
      </div>
    );
  }
  return (
    <div class="list-card">
      <ul class="list" aria-label="Explorer calls, newest first">
        {history.data.entries.map((entry) => (
          <li key={entry.id} class="history-item">
            <div class="list-item">
              <MethodBadge method={entry.method} />
              <span class="list-item-main">
                <span class="list-item-title mono">{entry.operationId}</span>
                <span class="list-item-meta">
                  {relativeTime(entry.createdAt, now)} · {duration(entry.durationMs)}
                  {entry.userId ? ` · by ${names.nameOf(entry.userId) ?? entry.userId}` : ''}
                </span>
              </span>
              <Badge tone={toneOfHttpStatus(entry.status)}>{entry.status ?? 'error'}</Badge>
            </div>
            <div class="history-actions">
              <Button
                size="sm"
                variant="ghost"
                aria-expanded={viewing === entry.id ? 'true' : 'false'}
                onClick={() => setViewing(viewing === entry.id ? null : entry.id)}
              >
                {viewing === entry.id ? 'Hide' : 'View'}
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={!entry.operationId}
                onClick={() => {
                  if (!entry.operationId) return;
                  pendingCall.set({ operationId: entry.operationId, params: entry.input?.params, body: entry.input?.body });
                  navigate(routeHref('explorer', entry.operationId));
                }}
              >
                Open in form
              </Button>
              <Button
                size="sm"
                variant="ghost"
                icon="refresh"
                busy={rerun.busy && rerunOf === entry.id}
                disabled={rerun.busy && rerunOf !== entry.id}
                onClick={() => askOrRun(entry)}
              >
                Run again
              </Button>
            </div>
            {viewing === entry.id ? (
              <StoredCall callId={entry.id} userName={entry.userId ? (names.nameOf(entry.userId) ?? entry.userId) : null} />
            ) : null}
            {rerun.error && rerunOf === entry.id ? <ErrorNotice error={rerun.error} compact /> : null}
            {result?.id === entry.id ? <ResponseView result={result.result} title="Run again: response" /> : null}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={confirming !== null}
        title="Run this change again?"
        confirmLabel={`Send ${confirming?.method ?? ''} again`}
        onConfirm={() => confirming && void rerun.run(confirming)}
        onCancel={() => setConfirming(null)}
      >
        <p>
          <span class="mono">{confirming?.operationId}</span> changes data in Clockify. Running it again sends the same {confirming?.method}{' '}
          with your rights, for example creating a second copy.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** One past call as it was stored: its parameters and Clockify's (redacted) answer, without running it. */
function StoredCall({ callId, userName }: { callId: string; userName: string | null }) {
  const { api } = useApp();
  const call = useResource((signal) => api.get<ExplorerCall>(`/ui/api-explorer/calls/${encodeURIComponent(callId)}`, { signal }), [callId]);
  if (call.error) return <ErrorNotice error={call.error} compact />;
  if (!call.data) return <Skeleton lines={3} label="Loading the call…" />;
  const data = call.data;
  return (
    <div class="stored-call stack-sm" data-testid="stored-call">
      <p class="small">
        <span class="mono">{data.method}</span> <code class="break">{data.url}</code>
      </p>
      <p class="muted small">
        Run {dateTime(data.createdAt)}
        {userName ? ` by ${userName}` : ''} · {data.status ?? 'no answer'} · {duration(data.durationMs)}
      </p>
      {data.input?.params && Object.keys(data.input.params).length > 0 ? <Part title="Parameters" value={data.input.params} /> : null}
      {data.input?.body !== undefined ? <Part title="Request body" value={data.input.body} /> : null}
      {data.error ? <p class="text-danger small">{data.error}</p> : null}
      {data.response !== null ? (
        <Part title={data.responseTruncated ? 'Response (excerpt, redacted)' : 'Response (redacted)'} value={data.response} />
      ) : data.responseHidden ? (
        <p class="muted small">The answer is shown only to the person who ran the call and to workspace admins.</p>
      ) : (
        <p class="muted small">No response body was kept.</p>
      )}
    </div>
  );
}

function Part({ title, value }: { title: string; value: unknown }) {
  return (
    <div>
      <h3 class="section-label">{title}</h3>
      <JsonView value={value} label={title} openDepth={1} />
    </div>
  );
}
