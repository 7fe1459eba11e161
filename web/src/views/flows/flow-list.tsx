import { useState } from 'preact/hooks';
import type { FlowSummary } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { asApiError } from '../../api/client';
import { relativeTime } from '../../lib/format';
import { triggerSummary } from '../../lib/flow-draft';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { Toggle } from '../../ui/toggle';

export function FlowList() {
  const { api, me, notify } = useApp();
  const now = useNow();
  const flows = useResource((signal) => api.get<{ flows: FlowSummary[] }>('/ui/flows', { signal }), []);
  useLiveReload(['flow-run'], flows.reload);
  const [toggling, setToggling] = useState<string | null>(null);

  const setEnabled = async (flow: FlowSummary, enabled: boolean) => {
    setToggling(flow.id);
    try {
      await api.post(`/ui/flows/${encodeURIComponent(flow.id)}/${enabled ? 'enable' : 'disable'}`, {});
      flows.update((current) => current && { flows: current.flows.map((f) => (f.id === flow.id ? { ...f, enabled } : f)) });
      notify(`${flow.name} ${enabled ? 'enabled' : 'disabled'}.`);
    } catch (error) {
      notify(asApiError(error).detail, 'error');
    } finally {
      setToggling(null);
    }
  };

  return (
    <div>
      <div class="page-header">
        <div>
          <h1>Flows</h1>
          <p>When a webhook arrives and its conditions hold, a flow runs its actions.</p>
        </div>
        {flows.data ? (
          <div class="row">
            <LinkButton href={routeHref('flows', 'runs')}>All runs</LinkButton>
            {me.isAdmin ? <LinkButton href={routeHref('flows', 'import')}>Import</LinkButton> : null}
            {me.isAdmin ? <LinkButton href={routeHref('flows', 'templates')}>From a template</LinkButton> : null}
            {me.isAdmin ? (
              <LinkButton href={routeHref('flows', 'new')} variant="primary" icon="plus">
                New flow
              </LinkButton>
            ) : null}
          </div>
        ) : null}
      </div>
      {flows.error?.status === 404 ? (
        <Notice title="Not available yet">Flows are not running on this server.</Notice>
      ) : flows.error && !flows.data ? (
        <ErrorNotice error={flows.error} onRetry={flows.reload} />
      ) : !flows.data ? (
        <div class="list-card" style={{ padding: '12px' }}>
          <Skeleton lines={5} label="Loading flows…" />
        </div>
      ) : flows.data.flows.length === 0 ? (
        <div class="list-card">
          <EmptyState
            icon="flows"
            title="No flows yet"
            action={
              me.isAdmin ? (
                <LinkButton href={routeHref('flows', 'templates')} variant="primary">
                  Start from a template
                </LinkButton>
              ) : undefined
            }
          >
            {me.isAdmin
              ? 'Automate Clockify: tag entries, fill descriptions, create standard tasks — or build your own.'
              : 'A workspace admin can create flows here.'}
          </EmptyState>
        </div>
      ) : (
        <div class="list-card">
          <ul class="list" aria-label="Flows">
            {flows.data.flows.map((flow) => (
              <li key={flow.id} class="flow-row">
                <a class="list-item" href={routeHref('flows', flow.id)}>
                  <span class="list-item-main">
                    <span class="list-item-title">{flow.name}</span>
                    <span class="list-item-meta mono">{triggerSummary(flow.trigger)}</span>
                    <span class="list-item-meta">
                      {flow.lastRunAt ? `Last run ${relativeTime(flow.lastRunAt, now)}` : 'Never run'} · v{flow.version}
                    </span>
                  </span>
                  <StatusBadge status={flow.lastRunStatus} />
                </a>
                <div class="flow-toggle">
                  {me.isAdmin ? (
                    <Toggle
                      checked={flow.enabled}
                      busy={toggling === flow.id}
                      onChange={(next) => setEnabled(flow, next)}
                      label={`${flow.name} enabled`}
                    />
                  ) : (
                    <span class="muted small">{flow.enabled ? 'On' : 'Off'}</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
