import type SQLite from 'better-sqlite3';
import { INSERT_JOB_SQL, jobRowFor } from '../jobs/statements.js';
import type { Database } from '../storage/database.js';
import { newId } from '../util/ids.js';
import { JOB_PROCESS_EVENT, NOTHING_TRIGGERED, PROCESS_BATCH, PROCESS_PRIORITY, eventColumns, pendingDeliveryKey } from './event-row.js';
import type { CommitSettings, PendingEvent, StoreResult } from './event-row.js';
import type { IngestCommit } from './ingest-commit.js';

/** Claims a delivery key: a new key, or one whose claim expired (older than the window), changes one row; a live claim none. */
const CLAIM_DELIVERY = `INSERT INTO webhook_dedup (delivery_key, event_id, first_seen_at) VALUES (?, ?, ?)
   ON CONFLICT (delivery_key) DO UPDATE SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
   WHERE webhook_dedup.first_seen_at < ?`;
const FIRST_DELIVERY = 'SELECT event_id FROM webhook_dedup WHERE delivery_key = ?';
const COUNT_DUPLICATE = 'UPDATE webhook_events SET duplicates = duplicates + 1 WHERE id = ?';
const INSERT_EVENT = `INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json,
     user_id, project_id, time_entry_id, client_id, tag_ids, status, duplicates, triggered_json, error, received_at, processed_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?)`;

/** The job row that processes these events of one workspace (as the jobs room lays it out). */
function processingJob(workspaceId: string, eventIds: string[], maxAttempts: number, now: number) {
  const payloadJson = JSON.stringify({ eventIds });
  const kind = JOB_PROCESS_EVENT;
  return jobRowFor({ kind, workspaceId, payloadJson, priority: PROCESS_PRIORITY, maxAttempts, runAt: now, dedupeKey: null, now });
}

type SqliteCommit = (events: readonly PendingEvent[], settings: CommitSettings) => StoreResult[];

/**
 * SQLite: the whole batch in one immediate transaction, synchronously on the connection itself
 * (under the query layer's lock), with statements prepared once: no per-statement promise or query
 * building on the webhook hot path.
 */
export function sqliteIngestCommit(database: Database): IngestCommit {
  let prepared: SqliteCommit | undefined;
  return {
    commit: (events, settings) =>
      database.sqlite!.exclusive((connection) => (prepared ??= prepareSqliteCommit(connection))(events, settings)),
  };
}

function prepareSqliteCommit(connection: SQLite.Database): SqliteCommit {
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
      const { key, payload } = pendingDeliveryKey(event);
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
        insertJob.run(...processingJob(workspaceId, eventIds.slice(start, start + PROCESS_BATCH), maxAttempts, now));
      }
    }
    return results;
  });
  return (events, settings) => commit.immediate(events, settings);
}
