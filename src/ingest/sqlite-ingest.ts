import type SQLite from 'better-sqlite3';
import { INSERT_JOB_SQL } from '../jobs/job-sql.js';
import { newId } from '../util/ids.js';
import { deliveryKey } from './delivery-key.js';
import { extractMetadata } from './metadata.js';

/** The job kind that processes stored events. */
export const JOB_PROCESS_EVENT = 'webhook.process';
/** Events of one workspace committed together are processed by one job, in order, up to this many. */
export const PROCESS_BATCH = 50;
/** What an event no consumer acts on records as "triggered": nothing. */
export const NOTHING_TRIGGERED = '{}';

/** An event on its way into SQLite: the payload as stored (text), and parsed when the caller has it. */
export interface PendingEvent {
  workspaceId: string;
  source: string;
  eventType: string;
  payloadText: string;
  /** The parsed payload, when the caller has it (saves parsing `payloadText` again). */
  payload?: unknown;
  headersJson: string;
  deliveryId?: string;
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

/** Claims a delivery key: a new key, or one whose claim expired (older than the window), changes one row; a live claim none. */
const CLAIM_DELIVERY = `INSERT INTO webhook_dedup (delivery_key, event_id, first_seen_at) VALUES (?, ?, ?)
   ON CONFLICT (delivery_key) DO UPDATE SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
   WHERE webhook_dedup.first_seen_at < ?`;
const FIRST_DELIVERY = 'SELECT event_id FROM webhook_dedup WHERE delivery_key = ?';
const COUNT_DUPLICATE = 'UPDATE webhook_events SET duplicates = duplicates + 1 WHERE id = ?';
const INSERT_EVENT = `INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json, user_id, project_id, time_entry_id, client_id, tag_ids, status, duplicates, triggered_json, error, received_at, processed_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?)`;

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

export type SqliteCommit = (events: readonly PendingEvent[], settings: CommitSettings) => StoreResult[];

/**
 * Prepares, on one SQLite connection, the commit of a batch of webhooks: claim each delivery key
 * (an expired claim, older than the dedup window, is taken over), store the events whose claim
 * succeeded, count the duplicates, and queue one processing job per workspace and PROCESS_BATCH
 * events, all in one immediate transaction. Synchronous, on the connection itself (under the query
 * layer's lock): no per-statement promise or query building.
 */
export function prepareSqliteCommit(connection: SQLite.Database): SqliteCommit {
  const claim = connection.prepare(CLAIM_DELIVERY);
  const first = connection.prepare(FIRST_DELIVERY);
  const countDuplicate = connection.prepare(COUNT_DUPLICATE);
  const insertEvent = connection.prepare(INSERT_EVENT);
  const insertJob = connection.prepare(INSERT_JOB_SQL);
  const commit = connection.transaction((events: readonly PendingEvent[], { now, dedupWindowMs, maxAttempts }: CommitSettings) => {
    const cutoff = now - dedupWindowMs;
    const results: StoreResult[] = [];
    const queuedByWorkspace = new Map<string, string[]>();
    for (const event of events) {
      const payload = event.payload !== undefined ? event.payload : JSON.parse(event.payloadText);
      const key = deliveryKey({ workspaceId: event.workspaceId, source: event.source, eventType: event.eventType, payload, deliveryId: event.deliveryId });
      const eventId = newId(now);
      if (claim.run(key, eventId, now, cutoff).changes === 0) {
        const existing = (first.get(key) as { event_id: string }).event_id;
        countDuplicate.run(existing);
        results.push({ status: 'duplicate', eventId: existing });
        continue;
      }
      const columns = eventColumns(eventId, key, event, payload);
      if (!event.queued) {
        insertEvent.run(...columns, 'processed', NOTHING_TRIGGERED, now, now);
        results.push({ status: 'stored', eventId, queued: false });
        continue;
      }
      insertEvent.run(...columns, 'received', null, now, null);
      const queued = queuedByWorkspace.get(event.workspaceId);
      if (queued) queued.push(eventId);
      else queuedByWorkspace.set(event.workspaceId, [eventId]);
      results.push({ status: 'stored', eventId, queued: true });
    }
    // One processing job per workspace and batch: a burst costs a few jobs, not one per event.
    for (const [workspaceId, eventIds] of queuedByWorkspace) {
      for (let start = 0; start < eventIds.length; start += PROCESS_BATCH) {
        insertJob.run(JOB_PROCESS_EVENT, workspaceId, JSON.stringify({ eventIds: eventIds.slice(start, start + PROCESS_BATCH) }), 1, maxAttempts, now, null, now, now);
      }
    }
    return results;
  });
  return (events, settings) => commit.immediate(events, settings);
}
