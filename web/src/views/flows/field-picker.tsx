import { useEffect, useState } from 'preact/hooks';
import type { EventDetail, EventList } from '../../api/types';
import { useApp } from '../../app-context';
import { useResource } from '../../hooks/use-resource';
import { toJsonPath, toTemplate } from '../../lib/json-path';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { JsonTree } from '../../ui/json-tree';
import { insertIntoTarget, useInsertTarget } from './insertion';

/** The sample endpoint may answer the payload itself or wrap it; either way the picker wants the payload. */
export function unwrapSample(response: unknown): unknown {
  if (response && typeof response === 'object' && !Array.isArray(response)) {
    const record = response as Record<string, unknown>;
    if ('sample' in record) return record.sample;
    if ('payload' in record && 'eventType' in record) return record.payload;
  }
  return response;
}

export interface PickerSource {
  kind: 'sample' | 'latest';
  eventType: string;
  /** For custom sources: `custom:<id>`, to find their latest event. */
  source?: string;
}

/**
 * The payload of the trigger's event as a tree: "Use" puts the field into the condition or action
 * field that last had focus — as `$.path` for conditions, `{{ event.path }}` for actions.
 */
export function FieldPicker({
  events,
  customSource,
  onPayload,
  onPicked,
  bare,
}: {
  events: string[];
  customSource?: string;
  onPayload?: (payload: unknown, eventType: string) => void;
  onPicked?: () => void;
  bare?: boolean;
}) {
  const { api, notify } = useApp();
  const target = useInsertTarget();
  const [eventType, setEventType] = useState(events[0] ?? '');
  const [kind, setKind] = useState<'sample' | 'latest'>(customSource ? 'latest' : 'sample');
  useEffect(() => {
    if (!events.includes(eventType)) setEventType(events[0] ?? '');
    // The parent passes a new array each render: compare the event names, not the array.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events.join(','), eventType]);

  const payload = useResource(
    async (signal) => {
      if (kind === 'sample') {
        if (!eventType) return undefined;
        return unwrapSample(await api.get<unknown>(`/ui/webhooks/samples/${encodeURIComponent(eventType)}`, { signal }));
      }
      const list = await api.get<EventList>('/ui/webhooks/events', {
        query: { type: eventType || undefined, source: customSource, limit: 1 },
        signal,
      });
      const latest = list.events[0];
      if (!latest) return null;
      const detail = await api.get<EventDetail>(`/ui/webhooks/events/${encodeURIComponent(latest.id)}`, { signal });
      return detail.event.payload;
    },
    [kind, eventType, customSource],
  );
  useEffect(() => {
    if (payload.data !== undefined && payload.data !== null) onPayload?.(payload.data, eventType);
    // Report each loaded payload once; the parent's inline onPayload changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [payload.data]);

  const body = (
    <div class="stack-sm">
      <div class="row">
        {events.length > 1 ? (
          <label class="inline-label">
            <span>Event</span>
            <select class="select" value={eventType} onChange={(event) => setEventType(event.currentTarget.value)}>
              {events.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label class="inline-label">
          <span>From</span>
          <select class="select" value={kind} onChange={(event) => setKind(event.currentTarget.value as 'sample' | 'latest')}>
            {customSource ? null : <option value="sample">Sample payload</option>}
            <option value="latest">Latest received event</option>
          </select>
        </label>
      </div>
      <p class="picker-target small" aria-live="polite">
        {target ? (
          <>
            Inserting into <strong>{target.label}</strong> as {target.mode === 'path' ? 'a JSONPath' : 'a template'}.
          </>
        ) : (
          'No field selected yet: click into a condition path or an action field first.'
        )}
      </p>
      {!eventType && kind === 'sample' ? (
        <EmptyState icon="webhooks" title="Choose a trigger event">
          The picker shows the fields of the event the flow reacts to.
        </EmptyState>
      ) : payload.error?.status === 404 ? (
        <Notice>No sample is available for {eventType}. Choose "Latest received event" instead.</Notice>
      ) : payload.error && payload.data === undefined ? (
        <ErrorNotice error={payload.error} onRetry={payload.reload} compact />
      ) : payload.loading ? (
        <Skeleton lines={6} label="Loading the event's fields…" />
      ) : payload.data === null || payload.data === undefined ? (
        <EmptyState icon="inbox" title="No event received yet">
          Once one arrives, its fields appear here.
        </EmptyState>
      ) : (
        <JsonTree
          value={payload.data}
          openDepth={1}
          label={`Fields of ${eventType || 'the event'}`}
          pickLabel={(path) => `Use ${toJsonPath(path)}`}
          onPick={(path) => {
            if (!target) {
              notify('First click into a condition path or an action field, then pick the value.', 'error');
              return;
            }
            insertIntoTarget(target, { path: toJsonPath(path), template: toTemplate(path) });
            onPicked?.();
          }}
        />
      )}
    </div>
  );
  if (bare) return body;
  return (
    <Card
      title="Event fields"
      id="field-picker"
      level={3}
      subtitle="Click into a condition or an action field, then pick the value it should use."
    >
      {body}
    </Card>
  );
}
