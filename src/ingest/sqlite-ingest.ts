import type SQLite from 'better-sqlite3';
import { INSERT_JOB_SQL } from '../jobs/queue.js';
import { newId } from '../util/ids.js';
import { deliveryKey } from './delivery-key.js';
import { JOB_PROCESS_EVENT, NOTHING_TRIGGERED, PROCESS_BATCH, eventColumns } from './event-row.js';
import type { CommitSettings, PendingEvent, StoreResult } from './event-row.js';

/** Claims a delivery key: a new key, or one whose claim expired (older than the window), changes one row; a live claim none. */
const CLAIM_DELIVERY = `INSERT INTO webhook_dedup (delivery_key, event_id, first_seen_at) VALUES (?, ?, ?)
   ON CONFLICT (delivery_key) DO UPDATE SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
   WHERE webhook_dedup.first_seen_at < ?`;
const FIRST_DELIVERY = 'SELECT event_id FROM webhook_dedup WHERE delivery_key = ?';
const COUNT_DUPLICATE = 'UPDATE webhook_events SET duplicates = duplicates + 1 WHERE id = ?';
const INSERT_EVENT = `INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json, user_id, project_id, time_entry_id, client_id, tag_ids, status, duplicates, triggered_json, error, received_at, processed_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?)`;

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
      const key = deliveryKey({ workspaceId: event.workspaceId, source: event.source, eventType: event.eventType, payload, deliveryId: event.deliveryId, signedIdentity: event.signedIdentity });
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
