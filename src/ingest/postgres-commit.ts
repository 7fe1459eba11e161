import { insertJobsSelectSql } from '../jobs/statements.js';
import type { Database } from '../storage/database.js';
import { RawStatement } from '../storage/raw.js';
import { newId } from '../util/ids.js';
import { JOB_PROCESS_EVENT, NOTHING_TRIGGERED, PROCESS_BATCH, PROCESS_PRIORITY, eventColumns, pendingDeliveryKey } from './event-row.js';
import type { StoreResult } from './event-row.js';
import type { IngestCommit } from './ingest-commit.js';

/**
 * The processing jobs of the events stored by STORE_BATCH: per workspace, chunks of PROCESS_BATCH ids
 * in arrival (id) order. Sorted, so a workspace's earlier chunk gets the lower job id and is claimed
 * first, as on SQLite (a hash aggregate would hand the groups over in any order).
 */
const QUEUE_PROCESSING = insertJobsSelectSql(
  {
    kind: '?',
    workspaceId: 'workspace_id',
    payloadJson: `json_build_object('eventIds', json_agg(id ORDER BY id))::text`,
    priority: String(PROCESS_PRIORITY),
    maxAttempts: '?',
    runAt: '?',
    dedupeKey: 'NULL',
    createdAt: '?',
    updatedAt: '?',
  },
  `FROM (SELECT id, workspace_id, (row_number() OVER (PARTITION BY workspace_id ORDER BY id) - 1) / ? AS chunk
       FROM inserted WHERE status = 'received') batched
     GROUP BY workspace_id, chunk
     ORDER BY workspace_id, chunk`,
);

/**
 * A whole batch in one statement, so one round trip: claim each delivery key, store the events whose
 * claim succeeded, and queue the processing of those that need it; the others are stored as
 * processed. A single statement is atomic: the events and their jobs commit together.
 */
const STORE_BATCH = new RawStatement(
  `WITH input AS (
     SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
       ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
       AS t(id, workspace_id, source, event_type, delivery_key, payload_json, headers_json,
         user_id, project_id, time_entry_id, client_id, tag_ids, queued)
   ),
   claimed AS (
     INSERT INTO webhook_dedup (delivery_key, event_id, first_seen_at) SELECT delivery_key, id, ? FROM input
     ON CONFLICT (delivery_key) DO UPDATE SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
     WHERE webhook_dedup.first_seen_at < ? RETURNING event_id
   ),
   inserted AS (
     INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json,
       user_id, project_id, time_entry_id, client_id, tag_ids, status, duplicates, triggered_json, error, received_at, processed_at)
     SELECT i.id, i.workspace_id, i.source, i.event_type, i.delivery_key, i.payload_json, i.headers_json,
       i.user_id, i.project_id, i.time_entry_id, i.client_id, i.tag_ids,
       CASE WHEN i.queued THEN 'received' ELSE 'processed' END, 0, CASE WHEN i.queued THEN NULL ELSE '${NOTHING_TRIGGERED}' END,
       NULL, ?, CASE WHEN i.queued THEN NULL ELSE ?::bigint END
     FROM input i JOIN claimed c ON c.event_id = i.id
     RETURNING id, workspace_id, status
   ),
   queued AS (
     ${QUEUE_PROCESSING}
     RETURNING id
   )
   SELECT id FROM inserted`,
);
const FIRST_DELIVERIES = new RawStatement('SELECT delivery_key, event_id FROM webhook_dedup WHERE delivery_key = ANY(?::text[])');
const COUNT_DUPLICATES = new RawStatement(
  `UPDATE webhook_events e SET duplicates = e.duplicates + c.times
   FROM (SELECT id, count(*) AS times FROM unnest(?::text[]) AS id GROUP BY id) c WHERE e.id = c.id`,
);

/** PostgreSQL: the batch as one statement (the events' columns as arrays), then the duplicates counted. */
export function postgresIngestCommit(database: Database): IngestCommit {
  const { db, dialect } = database;
  return {
    async commit(events, { now, dedupWindowMs, maxAttempts }) {
      const keys: string[] = [];
      const ids: string[] = [];
      // A key twice in one batch is a duplicate of its first occurrence (one statement cannot claim a key twice).
      const firstIndex = new Map<string, number>();
      const columns: (string | null)[][] = Array.from({ length: 12 }, () => []);
      const queued: boolean[] = [];
      events.forEach((event, index) => {
        const { key, payload } = pendingDeliveryKey(event);
        keys.push(key);
        ids.push(newId(now));
        if (firstIndex.has(key)) return;
        firstIndex.set(key, index);
        eventColumns(ids[index]!, key, event, payload).forEach((value, column) => columns[column]!.push(value));
        queued.push(event.queued);
      });
      const cutoff = now - dedupWindowMs;
      const parameters = [...columns, queued, now, cutoff, now, now, JOB_PROCESS_EVENT, maxAttempts, now, now, now, PROCESS_BATCH];
      const stored = new Set((await STORE_BATCH.run<{ id: string }>(db, dialect, parameters)).rows.map((row) => row.id));
      const duplicateKeys = keys.filter((key, index) => !stored.has(ids[index]!));
      if (duplicateKeys.length === 0) return ids.map((eventId, index) => ({ status: 'stored', eventId, queued: events[index]!.queued }));
      // A new statement, so a claim committed by another instance a moment ago is visible.
      const firsts = await FIRST_DELIVERIES.run<{ delivery_key: string; event_id: string }>(db, dialect, [[...new Set(duplicateKeys)]]);
      const firstOf = new Map(firsts.rows.map((row) => [row.delivery_key, row.event_id]));
      const results: StoreResult[] = keys.map((key, index) =>
        stored.has(ids[index]!)
          ? { status: 'stored', eventId: ids[index]!, queued: events[index]!.queued }
          : { status: 'duplicate', eventId: firstOf.get(key) ?? ids[firstIndex.get(key)!]! },
      );
      // Every copy counts, also several of one delivery in the same batch.
      await COUNT_DUPLICATES.run(db, dialect, [results.filter((result) => result.status === 'duplicate').map((result) => result.eventId)]);
      return results;
    },
  };
}
