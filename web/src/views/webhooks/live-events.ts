import type { EventStatus, InspectorEvent } from '../../api/types';
import type { EventFilter } from './event-filters';

const STATUSES = new Set<EventStatus>(['received', 'processed', 'failed', 'skipped']);

/** A live `webhook` message as the stream sends it: `{id, eventType, status, source?}`. */
export interface LiveWebhook {
  id: string;
  eventType: string;
  status: EventStatus;
  source?: string;
}

export function readLiveWebhook(data: Record<string, unknown>): LiveWebhook | null {
  if (typeof data.id !== 'string' || typeof data.eventType !== 'string') return null;
  const status = STATUSES.has(data.status as EventStatus) ? (data.status as EventStatus) : 'received';
  return { id: data.id, eventType: data.eventType, status, source: typeof data.source === 'string' ? data.source : undefined };
}

function matches(event: LiveWebhook, filter: EventFilter, nowMs: number): boolean {
  if (filter.type && filter.type !== event.eventType) return false;
  if (filter.status && filter.status !== event.status) return false;
  if (filter.source && filter.source !== (event.source ?? 'clockify')) return false;
  // A window that ended in the past cannot contain an event arriving now.
  if (filter.to && new Date(filter.to).getTime() < nowMs) return false;
  return true;
}

/**
 * The list after a live message: a known event gets its new status; a new one that passes the
 * filters goes on top. Returns the same array when nothing changes, and whether a row was added.
 */
export function mergeLiveWebhook(
  list: InspectorEvent[],
  live: LiveWebhook,
  filter: EventFilter,
  nowMs: number,
): { list: InspectorEvent[]; added: boolean } {
  const index = list.findIndex((event) => event.id === live.id);
  if (index >= 0) {
    const current = list[index]!;
    if (filter.status && filter.status !== live.status) return { list: list.filter((event) => event.id !== live.id), added: false };
    if (current.status === live.status) return { list, added: false };
    const next = [...list];
    next[index] = { ...current, status: live.status, processedAt: live.status === 'received' ? current.processedAt : nowMs };
    return { list: next, added: false };
  }
  if (!matches(live, filter, nowMs)) return { list, added: false };
  const row: InspectorEvent = {
    id: live.id,
    source: live.source ?? 'clockify',
    eventType: live.eventType,
    status: live.status,
    receivedAt: nowMs,
    processedAt: live.status === 'received' ? null : nowMs,
    duplicates: 0,
    userId: null,
    projectId: null,
    timeEntryId: null,
    clientId: null,
    tagIds: [],
    error: null,
    triggered: null,
  };
  return { list: [row, ...list], added: true };
}
