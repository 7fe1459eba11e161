import type { FlowSummary } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { relativeTime, toDate } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';

/** The flows that ran most recently, with how their last run went. */
export function RecentRunsCard() {
  const { api } = useApp();
  const now = useNow();
  const flows = useResource((signal) => api.get<{ flows: FlowSummary[] }>('/ui/flows', { signal }), []);
  useLiveReload(['flow-run'], flows.reload);
  const recent = (flows.data?.flows ?? [])
    .filter((flow) => flow.lastRunAt)
    .sort((a, b) => (toDate(b.lastRunAt)?.getTime() ?? 0) - (toDate(a.lastRunAt)?.getTime() ?? 0))
    .slice(0, 5);
  return (
    <Card title="Recent flow runs" id="recent-runs" actions={<LinkButton size="sm" variant="ghost" href={routeHref('flows')}>All flows</LinkButton>}>
      {flows.error?.status === 404 ? (
        <Notice>Flows are not available on this server yet.</Notice>
      ) : flows.error && !flows.data ? (
        <ErrorNotice error={flows.error} onRetry={flows.reload} compact />
      ) : !flows.data ? (
        <Skeleton lines={3} label="Loading recent flow runs…" />
      ) : recent.length === 0 ? (
        <EmptyState icon="flows" title={flows.data.flows.length === 0 ? 'No flows yet' : 'No runs yet'}>
          {flows.data.flows.length === 0 ? 'Flows act on webhooks for you: start from a template in Flows.' : 'Runs show up here when a matching webhook arrives.'}
        </EmptyState>
      ) : (
        <ul class="list compact-list">
          {recent.map((flow) => (
            <li key={flow.id}>
              <a class="list-item" href={routeHref('flows', flow.id)}>
                <span class="list-item-main">
                  <span class="list-item-title">{flow.name}</span>
                  <span class="list-item-meta">{relativeTime(flow.lastRunAt, now)}</span>
                </span>
                <StatusBadge status={flow.lastRunStatus} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
