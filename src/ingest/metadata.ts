import { eventUserId, str } from '../events/event-user.js';

/** Ids worth indexing an event by, wherever the event type keeps them. */
export interface EventMetadata {
  userId: string | null;
  projectId: string | null;
  timeEntryId: string | null;
  clientId: string | null;
  tagIds: string[];
}

/** Pure: reads the well-known fields of Clockify payloads (webhook-samples.json shapes); unknown shapes give nulls. */
export function extractMetadata(eventType: string, payload: unknown): EventMetadata {
  // Untyped JSON read field by field; every value goes through str() before use.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body = (payload && typeof payload === 'object' ? payload : {}) as Record<string, any>;
  const isTimeEntry = /TIME_ENTRY|TIMER/.test(eventType);
  const isProject = /PROJECT/.test(eventType);
  const isClient = /CLIENT/.test(eventType);
  const tags = Array.isArray(body.tags) ? body.tags : Array.isArray(body.tagIds) ? body.tagIds : [];
  return {
    userId: eventUserId(body),
    projectId: (isProject ? str(body.id) : null) ?? str(body.projectId) ?? str(body.project?.id) ?? null,
    timeEntryId: isTimeEntry ? (str(body.id) ?? str(body.timeEntryId)) : str(body.timeEntryId),
    clientId: (isClient ? str(body.id) : null) ?? str(body.clientId) ?? str(body.project?.clientId) ?? str(body.client?.id) ?? null,
    tagIds: tags
      .map((tag: unknown) => (typeof tag === 'string' ? tag : str((tag as Record<string, unknown> | null)?.id)))
      .filter((id: string | null): id is string => Boolean(id))
      .slice(0, 50),
  };
}
