/**
 * The ingest commit: a batch of webhooks stored with their dedup claims and processing jobs in one
 * transaction. One interface, one implementation per dialect, each formatting the same rows for its
 * database (test/ingest/dialect-parity.test.ts sends one batch through both and compares the rows).
 * The job rows come from the jobs room (src/jobs/statements.ts); nothing here names a job column.
 */
import type { Database } from '../storage/database.js';
import type { CommitSettings, PendingEvent, StoreResult } from './event-row.js';
import { postgresIngestCommit } from './postgres-commit.js';
import { sqliteIngestCommit } from './sqlite-commit.js';

export interface IngestCommit {
  /**
   * Claims each event's delivery key (a claim older than the dedup window is taken over), stores the
   * events whose claim succeeded, counts every other copy as a duplicate of the stored one, and
   * queues one processing job per workspace and PROCESS_BATCH queued events, in arrival order.
   * Results are in the events' order.
   */
  commit(events: readonly PendingEvent[], settings: CommitSettings): Promise<StoreResult[]>;
}

/** The commit for the database's dialect. */
export function ingestCommitFor(database: Database): IngestCommit {
  return database.dialect === 'postgres' ? postgresIngestCommit(database) : sqliteIngestCommit(database);
}
