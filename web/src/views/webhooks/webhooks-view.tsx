import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { CustomSource, InspectorEvent } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useLive } from '../../hooks/use-live';
import { useNames } from '../../hooks/use-names';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { eventSummary, sourceLabel } from '../../lib/event-summary';
import { localInputToIso, relativeTime } from '../../lib/format';
import type { NameIndex } from '../../lib/names';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { EventDetailPane } from './event-detail';
import { Segmented, TabPanel } from '../../ui/segmented';
import { EventFilters, NO_FILTER, activeFilterCount } from './event-filters';
import { RejectedRequests } from './rejected-list';
import { VolumeChart } from './volume-chart';
import type { EventFilter } from './event-filters';
import { mergeLiveWebhook, readLiveWebhook } from './live-events';

const PAGE_SIZE = 30;

export function WebhooksView({ parts }: { parts: string[] }) {
  const { me, api } = useApp();
  const selectedId = parts[0];
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const [pane, setPane] = useState<'received' | 'rejected'>('received');
  const paneId = useId();
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  // Search as the user types, once they pause.
  useEffect(() => {
    const timer = window.setTimeout(() => setTerm(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  // Universal Webhook: events also come from custom sources, which the filter can name.
  const sources = useResource(
    (signal) =>
      me.edition.capabilities.customWebhooks ? api.get<{ sources: CustomSource[] }>('/ui/sources', { signal }) : Promise.resolve(undefined),
    [],
  );
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
          <VolumeChart />
          <Segmented
            idPrefix={paneId}
            label="Webhook lists"
            value={pane}
            onChange={setPane}
            options={[
              { value: 'received', label: 'Received' },
              { value: 'rejected', label: 'Rejected' },
            ]}
          />
          <TabPanel idPrefix={paneId} value={pane}>
            {pane === 'rejected' ? (
              <RejectedRequests />
            ) : (
              <div class="stack-sm">
                <input
                  class="input"
                  type="search"
                  aria-label="Search events"
                  placeholder="Search payloads: text, an id or a name"
                  value={search}
                  onInput={(event) => setSearch(event.currentTarget.value)}
                />
                <EventFilters filter={filter} onChange={setFilter} types={me.edition.events} sources={sources.data?.sources} />
                <EventStream filter={filter} term={term} selectedId={selectedId} />
              </div>
            )}
          </TabPanel>
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

type EventPage = { events: InspectorEvent[]; nextCursor: string | null };

function EventStream({ filter, term, selectedId }: { filter: EventFilter; term: string; selectedId?: string }) {
  const { api, announce } = useApp();
  const names = useNames();
  const now = useNow(15_000);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const query = useMemo(
    () => ({
      q: term || undefined,
      type: filter.type || undefined,
      status: filter.status || undefined,
      source: filter.source || undefined,
      from: localInputToIso(filter.from),
      to: localInputToIso(filter.to),
      limit: PAGE_SIZE,
    }),
    [filter, term],
  );
  const page = useResource((signal) => api.get<EventPage>('/ui/inspector/events', { query, signal }), [query]);
  // A live event arrives without its digest: fetch the list again quietly (once per burst) to summarise it.
  const summarise = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(summarise.current), []);

  useLive('webhook', (data) => {
    const live = readLiveWebhook(data);
    const shown = page.data;
    if (!live || !shown) return;
    // A search matches payloads, which live messages do not carry: the server decides.
    if (term) {
      window.clearTimeout(summarise.current);
      summarise.current = window.setTimeout(page.reload, 400);
      return;
    }
    const { added } = mergeLiveWebhook(shown.events, live, filterRef.current, Date.now());
    page.update((current) => {
      if (!current) return current;
      const merged = mergeLiveWebhook(current.events, live, filterRef.current, Date.now());
      return merged.list === current.events ? current : { ...current, events: merged.list };
    });
    if (added) {
      setFresh((ids) => new Set(ids).add(live.id));
      announce(`New webhook: ${live.eventType}.`);
      window.clearTimeout(summarise.current);
      summarise.current = window.setTimeout(page.reload, 400);
    }
  });

  const more = useAction(async () => {
    const cursor = page.data?.nextCursor;
    if (!cursor) return;
    const next = await api.get<EventPage>('/ui/inspector/events', { query: { ...query, cursor } });
    page.update((current) =>
      current
        ? {
            events: [...current.events, ...next.events.filter((e) => !current.events.some((c) => c.id === e.id))],
            nextCursor: next.nextCursor,
          }
        : next,
    );
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
        activeFilterCount(filter) > 0 || term ? (
          <EmptyState icon="search" title={term ? `No event mentions "${term}"` : 'Nothing matches these filters'}>
            Change or clear the search and filters to see more events.
          </EmptyState>
        ) : (
          <EmptyState icon="webhooks" title="Waiting for the first webhook">
            Keep this page open: events appear here the moment Clockify sends them. Try creating a time entry.
          </EmptyState>
        )
      ) : (
        <ul class="list" aria-label="Webhook events, newest first" data-testid="event-list">
          {events.map((event) => (
            <EventRow key={event.id} event={event} names={names} now={now} selected={event.id === selectedId} fresh={fresh.has(event.id)} />
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

function EventRow({
  event,
  names,
  now,
  selected,
  fresh,
}: {
  event: InspectorEvent;
  names: NameIndex;
  now: number;
  selected: boolean;
  fresh: boolean;
}) {
  const custom = event.source.startsWith('custom:');
  const source = sourceLabel(event.source, names);
  return (
    <li>
      <a class={`list-item${fresh ? ' is-new' : ''}`} href={routeHref('webhooks', event.id)} aria-current={selected ? 'true' : undefined}>
        <span class="list-item-main">
          <span class="list-item-title wrap" data-testid="event-summary">
            {eventSummary(event.eventType, event.digest, names, custom ? source : undefined)}
          </span>
          <span class="list-item-meta">
            {relativeTime(event.receivedAt, now)} · {custom ? 'custom source' : source} · <span class="mono">{event.eventType}</span>
            {event.duplicates > 0 ? ` · ${event.duplicates} duplicate${event.duplicates === 1 ? '' : 's'}` : ''}
          </span>
        </span>
        <StatusBadge status={event.status} />
      </a>
    </li>
  );
}
