import type { EventDetail } from '../../api/types';
import { useApp } from '../../app-context';
import { useLive } from '../../hooks/use-live';
import { useNames } from '../../hooks/use-names';
import { EventActions } from './event-actions';
import { eventDigestOf } from './event-digest';
import { eventSummary, sourceLabel } from '../../lib/event-summary';
import { useResource } from '../../hooks/use-resource';
import { dateTime, duration } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { JsonView } from '../../ui/json-view';
import { KnownIds } from '../../ui/known-ids';

export function EventDetailPane({ eventId }: { eventId: string }) {
  const { api } = useApp();
  const names = useNames();
  const detail = useResource((signal) => api.get<EventDetail>(`/ui/webhooks/events/${encodeURIComponent(eventId)}`, { signal }), [eventId]);
  useLive('webhook', (data) => {
    if (data.id === eventId && data.status !== detail.data?.event.status) detail.reload();
  });
  useLive('flow-run', (data) => {
    if (data.eventId === eventId) detail.reload();
  });

  const back = (
    <LinkButton href={routeHref('webhooks')} icon="back" size="sm" variant="ghost">
      All events
    </LinkButton>
  );
  if (detail.error && !detail.data) {
    return (
      <div class="stack-sm">
        <span class="back-link">{back}</span>
        <ErrorNotice
          error={detail.error}
          title={detail.error.status === 404 ? 'Event not found' : undefined}
          onRetry={detail.error.status === 404 ? undefined : detail.reload}
        />
      </div>
    );
  }
  if (!detail.data || detail.data.event.id !== eventId) {
    return (
      <Card>
        <Skeleton lines={8} label="Loading the event…" />
      </Card>
    );
  }
  const { event, flowRuns } = detail.data;
  const processingMs = event.processedAt ? event.processedAt - event.receivedAt : null;
  const custom = event.source.startsWith('custom:');
  const source = sourceLabel(event.source, names);
  const named = (id: string) => names.nameOf(id) ?? id;
  return (
    <div class="stack" data-testid="event-detail">
      <span class="back-link">{back}</span>
      <Card
        title={eventSummary(event.eventType, eventDigestOf(event.payload), names, custom ? source : undefined)}
        subtitle={
          <>
            <span class="mono">{event.eventType}</span> · Received {dateTime(event.receivedAt)}
          </>
        }
        actions={<StatusBadge status={event.status} />}
      >
        <dl class="facts">
          <dt>Source</dt>
          <dd>{source}</dd>
          <dt>Processed</dt>
          <dd>{event.processedAt ? `${dateTime(event.processedAt)} (${duration(processingMs)})` : 'Not yet'}</dd>
          {event.duplicates > 0 ? (
            <>
              <dt>Duplicates</dt>
              <dd>{event.duplicates} identical deliveries were ignored</dd>
            </>
          ) : null}
          {event.userId ? (
            <>
              <dt>User</dt>
              <dd title={event.userId}>{named(event.userId)}</dd>
            </>
          ) : null}
          {event.projectId ? (
            <>
              <dt>Project</dt>
              <dd title={event.projectId}>{named(event.projectId)}</dd>
            </>
          ) : null}
          {event.timeEntryId ? (
            <>
              <dt>Time entry</dt>
              <dd class="mono">{event.timeEntryId}</dd>
            </>
          ) : null}
          <dt>Event id</dt>
          <dd class="mono">{event.id}</dd>
        </dl>
        <div style={{ marginTop: '12px' }}>
          <EventActions key={event.id} detail={detail.data} />
        </div>
        {event.error ? (
          <div style={{ marginTop: '12px' }}>
            <Notice tone="danger" title="Processing failed">
              {event.error}
            </Notice>
          </div>
        ) : null}
      </Card>

      <Card title="What it triggered" id="triggered" level={3}>
        {flowRuns.length === 0 ? (
          <p class="muted">{event.status === 'received' ? 'Still being processed…' : 'No flow ran for this event.'}</p>
        ) : (
          <ul class="list">
            {flowRuns.map((run) => (
              <li key={run.id}>
                <a class="list-item" href={routeHref('flows', run.flowId, 'runs', run.id)}>
                  <span class="list-item-main">
                    <span class="list-item-title">Flow run {run.id.slice(-8)}</span>
                    <span class="list-item-meta">
                      v{run.flowVersion}
                      {run.replayOf ? ' · run again' : ''} · {run.matched ? 'Conditions matched' : 'Conditions did not match'}
                      {run.error ? ` · ${run.error}` : ''}
                    </span>
                  </span>
                  <StatusBadge status={run.status} />
                </a>
              </li>
            ))}
          </ul>
        )}
        {event.triggered && typeof event.triggered === 'object' && Object.keys(event.triggered).length > 0 ? (
          <details class="disclosure" style={{ marginTop: '8px' }}>
            <summary>Processing summary</summary>
            <JsonView value={event.triggered} label="Processing summary" />
          </details>
        ) : null}
      </Card>

      <Card title="Payload" id="payload" level={3}>
        <div class="stack-sm">
          <KnownIds value={event.payload} names={names} />
          <JsonView value={event.payload} label="Payload" />
        </div>
      </Card>

      <Card title="Headers" id="headers" level={3} subtitle="As received; signatures and tokens are removed before storing.">
        {Object.keys(event.headers).length === 0 ? (
          <p class="muted">No headers were kept.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <tbody>
                {Object.entries(event.headers).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row" class="mono">
                      {name}
                    </th>
                    <td class="mono">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
