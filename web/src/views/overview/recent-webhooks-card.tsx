import type { InspectorEvent } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useNames } from '../../hooks/use-names';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { eventSummary, sourceLabel } from '../../lib/event-summary';
import { relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { ReconciliationLine } from './reconciliation-line';

export function RecentWebhooksCard() {
  const { api } = useApp();
  const now = useNow();
  const names = useNames();
  const events = useResource(
    (signal) => api.get<{ events: InspectorEvent[] }>('/ui/inspector/events', { query: { limit: 5 }, signal }),
    [],
  );
  useLiveReload(['webhook'], events.reload);
  return (
    <Card
      title="Recent webhooks"
      id="recent-webhooks"
      actions={
        <LinkButton size="sm" variant="ghost" href={routeHref('webhooks')}>
          View all
        </LinkButton>
      }
    >
      {events.error && !events.data ? (
        <ErrorNotice error={events.error} onRetry={events.reload} compact />
      ) : !events.data ? (
        <Skeleton lines={3} label="Loading recent webhooks…" />
      ) : events.data.events.length === 0 ? (
        <EmptyState icon="webhooks" title="No webhooks yet">
          Events appear here as soon as Clockify sends them — create a time entry to see one.
        </EmptyState>
      ) : (
        <ul class="list compact-list">
          {events.data.events.map((event) => (
            <li key={event.id}>
              <a class="list-item" href={routeHref('webhooks', event.id)}>
                <span class="list-item-main">
                  <span class="list-item-title wrap">
                    {eventSummary(
                      event.eventType,
                      event.digest,
                      names,
                      event.source.startsWith('custom:') ? sourceLabel(event.source, names) : undefined,
                    )}
                  </span>
                  <span class="list-item-meta">
                    {relativeTime(event.receivedAt, now)} · <span class="mono">{event.eventType}</span>
                  </span>
                </span>
                <StatusBadge status={event.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
      <ReconciliationLine />
    </Card>
  );
}
