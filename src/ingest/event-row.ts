/** An event as both databases store it: the job that processes it, and its columns. */
import { deliveryKey } from './delivery-key.js';
import { extractMetadata } from './metadata.js';

/** The job kind that processes stored events. */
export const JOB_PROCESS_EVENT = 'webhook.process';
/** Events of one workspace committed together are processed by one job, in order, up to this many. */
export const PROCESS_BATCH = 50;
/** Processing jobs go before other background work (a flow run waits on them). */
export const PROCESS_PRIORITY = 1;
/** What an event no consumer acts on records as "triggered": nothing. */
export const NOTHING_TRIGGERED = '{}';

/** An event on its way into the database: the payload as stored (text), and parsed when the caller has it. */
export interface PendingEvent {
  workspaceId: string;
  source: string;
  eventType: string;
  payloadText: string;
  /** The parsed payload, when the caller has it (saves parsing `payloadText` again). */
  payload?: unknown;
  headersJson: string;
  deliveryId?: string;
  /** What a signed source's signature covers, identifying the delivery instead of `deliveryId` and the event type (delivery-key.ts). */
  signedIdentity?: string;
  /** Whether the event needs processing: false stores it as processed, with nothing triggered and no job. */
  queued: boolean;
}

export interface CommitSettings {
  now: number;
  dedupWindowMs: number;
  maxAttempts: number;
}

/**
 * `queued`: the event waits for processing (a job is queued). False when no consumer would act on
 * it: it was stored as processed, with nothing triggered.
 */
export type StoreResult = { status: 'stored'; eventId: string; queued: boolean } | { status: 'duplicate'; eventId: string };

/** An event's columns as both databases store them, from id to tag_ids (status, received_at and the rest follow). */
export function eventColumns(eventId: string, key: string, event: PendingEvent, payload: unknown): (string | null)[] {
  const metadata = extractMetadata(event.eventType, payload);
  return [
    eventId,
    event.workspaceId,
    event.source,
    event.eventType,
    key,
    event.payloadText,
    event.headersJson,
    metadata.userId,
    metadata.projectId,
    metadata.timeEntryId,
    metadata.clientId,
    metadata.tagIds.length > 0 ? JSON.stringify(metadata.tagIds) : null,
  ];
}

/** An event's delivery key (its dedup identity), and its payload parsed (here, when the caller had not). */
export function pendingDeliveryKey(event: PendingEvent): { key: string; payload: unknown } {
  const payload = event.payload !== undefined ? event.payload : JSON.parse(event.payloadText);
  const key = deliveryKey({
    workspaceId: event.workspaceId,
    source: event.source,
    eventType: event.eventType,
    payload,
    deliveryId: event.deliveryId,
    signedIdentity: event.signedIdentity,
  });
  return { key, payload };
}
