import { useState } from 'preact/hooks';
import type { ExecuteResult, HistoryEntry } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { duration, relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { Badge, MethodBadge, toneOfHttpStatus } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { pendingCall } from './pending-call';
import { ResponseView } from './response-view';

/** Calls made from the explorer in this workspace: open one in its form again, or run it again as is. */
export function HistoryList() {
  const { api } = useApp();
  const now = useNow();
  const history = useResource((signal) => api.get<{ entries: HistoryEntry[] }>('/ui/api-explorer/history', { query: { limit: 50 }, signal }), []);
  const [rerunOf, setRerunOf] = useState<string | null>(null);
  const [result, setResult] = useState<{ id: string; result: ExecuteResult } | null>(null);
  const rerun = useAction(async (entry: HistoryEntry) => {
    setRerunOf(entry.id);
    const outcome = await api.post<ExecuteResult>(`/ui/api-explorer/history/${encodeURIComponent(entry.id)}/rerun`, {});
    setResult({ id: entry.id, result: outcome });
    history.reload();
  });

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
                </span>
              </span>
              <Badge tone={toneOfHttpStatus(entry.status)}>{entry.status ?? 'error'}</Badge>
            </div>
            <div class="history-actions">
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  pendingCall.set({ operationId: entry.operationId, params: entry.input?.params, body: entry.input?.body });
                  navigate(routeHref('explorer', entry.operationId));
                }}
              >
                Open in form
              </Button>
              <Button size="sm" variant="ghost" icon="refresh" busy={rerun.busy && rerunOf === entry.id} disabled={rerun.busy && rerunOf !== entry.id} onClick={() => rerun.run(entry)}>
                Run again
              </Button>
            </div>
            {rerun.error && rerunOf === entry.id ? <ErrorNotice error={rerun.error} compact /> : null}
            {result?.id === entry.id ? <ResponseView result={result.result} title="Run again: response" /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
