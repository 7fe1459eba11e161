import { useMemo, useRef, useState } from 'preact/hooks';
import type { CustomSource, EventList, WebhookEvent } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useLive } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { localInputToIso, relativeTime } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { EventDetailPane } from './event-detail';
import { EventFilters, NO_FILTER, activeFilterCount } from './event-filters';
import type { EventFilter } from './event-filters';
import { mergeLiveWebhook, readLiveWebhook } from './live-events';

const PAGE_SIZE = 30;

export function WebhooksView({ parts }: { parts: string[] }) {
  const { me, api } = useApp();
  const selectedId = parts[0];
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  // Universal Webhook: events also come from custom sources, which the filter can name.
  const sources = useResource((signal) => (me.edition.capabilities.customWebhooks ? api.get<{ sources: CustomSource[] }>('/ui/sources', { signal }) : Promise.resolve(undefined)), []);
  return (
    <div>
      <div class="page-header">
        <div>
          <h1>Webhooks</h1>
          <p>Every event Clockify{me.edition.capabilities.customWebhooks ? ' and your other systems' : ''} sent, live as it arrives.</p>
        </div>
      </div>
      <div class={`split${selectedId ? ' has-detail' : ''}`}>
        <div class="split-list stack-sm">
          <EventFilters filter={filter} onChange={setFilter} types={me.edition.events} sources={sources.data?.sources} />
          <EventStream filter={filter} selectedId={selectedId} />
        </div>
        <div class="split-detail">
          {selectedId ? (
            <EventDetailPane eventId={selectedId} />
          ) : (
            <div class="card">
              <EmptyState icon="webhooks" title="Select an event">
                Its payload, headers and what it triggered appear here.
              </EmptyState>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function EventStream({ filter, selectedId }: { filter: EventFilter; selectedId?: string }) {
  const { api, announce } = useApp();
  const now = useNow(15_000);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const query = useMemo(
    () => ({ type: filter.type || undefined, status: filter.status || undefined, source: filter.source || undefined, from: localInputToIso(filter.from), to: localInputToIso(filter.to), limit: PAGE_SIZE }),
    [filter],
  );
  const page = useResource((signal) => api.get<EventList>('/ui/webhooks/events', { query, signal }), [query]);

  useLive('webhook', (data) => {
    const live = readLiveWebhook(data);
    const shown = page.data;
    if (!live || !shown) return;
    const { added } = mergeLiveWebhook(shown.events, live, filterRef.current, Date.now());
    page.update((current) => {
      if (!current) return current;
      const merged = mergeLiveWebhook(current.events, live, filterRef.current, Date.now());
      return merged.list === current.events ? current : { ...current, events: merged.list };
    });
    if (added) {
      setFresh((ids) => new Set(ids).add(live.id));
      announce(`New webhook: ${live.eventType}.`);
    }
  });

  const more = useAction(async () => {
    const cursor = page.data?.nextCursor;
    if (!cursor) return;
    const next = await api.get<EventList>('/ui/webhooks/events', { query: { ...query, cursor } });
    page.update((current) => (current ? { events: [...current.events, ...next.events.filter((e) => !current.events.some((c) => c.id === e.id))], nextCursor: next.nextCursor } : next));
  });

  if (page.error && !page.data) return <ErrorNotice error={page.error} onRetry={page.reload} />;
  if (!page.data) {
    return (
      <div class="list-card" style={{ padding: '12px' }}>
        <Skeleton lines={6} label="Loading webhooks…" />
      </div>
    );
  }
  const events = page.data.events;
  return (
    <div class="list-card" aria-busy={page.refreshing ? 'true' : 'false'}>
      {events.length === 0 ? (
        activeFilterCount(filter) > 0 ? (
          <EmptyState icon="search" title="Nothing matches these filters">
            Change or clear the filters to see more events.
          </EmptyState>
        ) : (
          <EmptyState icon="webhooks" title="Waiting for the first webhook">
            Keep this page open: events appear here the moment Clockify sends them. Try creating a time entry.
          </EmptyState>
        )
      ) : (
        <ul class="list" aria-label="Webhook events, newest first" data-testid="event-list">
          {events.map((event) => (
            <EventRow key={event.id} event={event} now={now} selected={event.id === selectedId} fresh={fresh.has(event.id)} />
          ))}
        </ul>
      )}
      {more.error ? <ErrorNotice error={more.error} compact /> : null}
      {page.data.nextCursor ? (
        <div class="list-footer">
          <Button size="sm" busy={more.busy} onClick={() => more.run()}>
            Load older events
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function EventRow({ event, now, selected, fresh }: { event: WebhookEvent; now: number; selected: boolean; fresh: boolean }) {
  const source = event.source.startsWith('custom:') ? 'custom source' : 'Clockify';
  return (
    <li>
      <a class={`list-item${fresh ? ' is-new' : ''}`} href={routeHref('webhooks', event.id)} aria-current={selected ? 'true' : undefined}>
        <span class="list-item-main">
          <span class="list-item-title mono">{event.eventType}</span>
          <span class="list-item-meta">
            {relativeTime(event.receivedAt, now)} · {source}
            {event.duplicates > 0 ? ` · ${event.duplicates} duplicate${event.duplicates === 1 ? '' : 's'}` : ''}
          </span>
        </span>
        <StatusBadge status={event.status} />
      </a>
    </li>
  );
}
