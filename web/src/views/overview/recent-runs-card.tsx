import type { FlowRun, FlowSummary } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';

interface RecentRuns {
  runs: FlowRun[];
  names: Map<string, string>;
  flowCount: number;
}

/** The latest runs of every flow, newest first, each linking to its requests and responses. */
export function RecentRunsCard() {
  const { api } = useApp();
  const now = useNow();
  const recent = useResource<RecentRuns>(async (signal) => {
    const [runs, flows] = await Promise.all([
      api.get<{ runs: FlowRun[] }>('/ui/flows/runs', { query: { limit: 5 }, signal }),
      api.get<{ flows: FlowSummary[] }>('/ui/flows', { signal }),
    ]);
    return { runs: runs.runs, names: new Map(flows.flows.map((flow) => [flow.id, flow.name])), flowCount: flows.flows.length };
  }, []);
  useLiveReload(['flow-run'], recent.reload);
  const data = recent.data;
  return (
    <Card
      title="Recent flow runs"
      id="recent-runs"
      actions={
        <LinkButton size="sm" variant="ghost" href={routeHref('flows')}>
          All flows
        </LinkButton>
      }
    >
      {recent.error?.status === 404 ? (
        <Notice>Flows are not available on this server yet.</Notice>
      ) : recent.error && !data ? (
        <ErrorNotice error={recent.error} onRetry={recent.reload} compact />
      ) : !data ? (
        <Skeleton lines={3} label="Loading recent flow runs…" />
      ) : data.runs.length === 0 ? (
        <EmptyState icon="flows" title={data.flowCount === 0 ? 'No flows yet' : 'No runs yet'}>
          {data.flowCount === 0
            ? 'Flows act on webhooks for you: start from a template in Flows.'
            : 'Runs show up here when a matching webhook arrives.'}
        </EmptyState>
      ) : (
        <ul class="list compact-list">
          {data.runs.map((run) => (
            <li key={run.id}>
              <a class="list-item" href={run.flowId ? routeHref('flows', run.flowId, 'runs', run.id) : routeHref('flows')}>
                <span class="list-item-main">
                  <span class="list-item-title">{(run.flowId && data.names.get(run.flowId)) ?? 'Deleted flow'}</span>
                  <span class="list-item-meta">
                    {relativeTime(run.startedAt, now)}
                    {run.matched ? '' : ' · conditions not matched'}
                  </span>
                </span>
                <StatusBadge status={run.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
