import type { Database, Db, Tx } from '../storage/database.js';
import { COMPLETE_JOB_SQL } from '../jobs/statements.js';
import type { Job, JobQueue } from '../jobs/queue.js';
import type { Selectable } from 'kysely';
import type { WebhookEventsTable } from './tables.js';
import { parseJsonOr } from '../util/json.js';
import { sharedLoads } from '../util/shared-loads.js';
import { RawStatement } from '../storage/raw.js';
import type { ConsumeContext, ConsumerTarget } from '../events/consumers.js';
import { JOB_PROCESS_EVENT, PROCESS_BATCH } from './event-row.js';
import type { PendingEvent, StoreResult } from './event-row.js';
import { ingestCommitFor } from './ingest-commit.js';
import type { IngestCommit } from './ingest-commit.js';

export { JOB_PROCESS_EVENT, PROCESS_BATCH };
export type { StoreResult };

export interface IncomingEvent {
  workspaceId: string;
  /** `clockify` or `custom:<sourceId>`. */
  source: string;
  eventType: string;
  payload: unknown;
  /** Request headers with secrets already removed. */
  headers: Record<string, string>;
  deliveryId?: string;
  /** What a signed source's signature covers (delivery-key.ts). */
  signedIdentity?: string;
  /** The body exactly as received, when it is the JSON of `payload`: stored as is instead of serialising the payload again. */
  payloadText?: string;
}

export type ProcessingRow = Selectable<WebhookEventsTable> & { installation_status: string | null };

export interface ProcessingOutcome {
  id: string;
  status: 'processed' | 'failed' | 'skipped';
  triggered: unknown;
  error: string | null;
}

/** Whether an event needs processing at all (some consumer would act on it); `once` shares lookups within one commit. */
export type NeedsProcessing = (target: ConsumerTarget, context: Pick<ConsumeContext, 'once'>) => Promise<boolean>;

export interface StoredEvent {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  status: WebhookEventsTable['status'];
  receivedAt: number;
  processedAt: number | null;
  duplicates: number;
  userId: string | null;
  projectId: string | null;
  timeEntryId: string | null;
  clientId: string | null;
  tagIds: string[];
  error: string | null;
  triggered: unknown;
}

const MARK_PROCESSED = new RawStatement(
  'UPDATE webhook_events SET status = ?, triggered_json = ?, error = ?, processed_at = ? WHERE id = ?',
);
/** PostgreSQL: a batch's outcomes (parameters: processed_at, then arrays of id, status, triggered_json, error). */
const MARK_OUTCOMES_POSTGRES_SQL = `UPDATE webhook_events e SET status = o.status, triggered_json = o.triggered_json, error = o.error, processed_at = ?
   FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS o(id, status, triggered_json, error) WHERE e.id = o.id`;
const MARK_PROCESSED_POSTGRES = new RawStatement(MARK_OUTCOMES_POSTGRES_SQL);
/** PostgreSQL: the job's completion and its events' outcomes in one statement; nothing is written if the claim was lost. */
const COMPLETE_AND_MARK_POSTGRES = new RawStatement(
  `WITH completed AS (${COMPLETE_JOB_SQL} RETURNING id),
   marked AS (${MARK_OUTCOMES_POSTGRES_SQL} AND EXISTS (SELECT 1 FROM completed) RETURNING e.id)
   SELECT count(*)::int AS completed FROM completed`,
);
const LOAD_FOR_PROCESSING = {
  postgres: new RawStatement(
    `SELECT e.*, i.status AS installation_status FROM webhook_events e
     LEFT JOIN installations i ON i.workspace_id = e.workspace_id WHERE e.id = ANY(?::text[]) ORDER BY e.id`,
  ),
  sqlite: new RawStatement(
    `SELECT e.*, i.status AS installation_status FROM webhook_events e
     LEFT JOIN installations i ON i.workspace_id = e.workspace_id WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
  ),
};

/** Most events one commit takes; more wait for the next. */
const MAX_BATCH = 200;
/** Most payload characters one commit takes (a few large webhooks fill a batch; PostgreSQL gets them as one statement). */
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

/** How many of the waiting events the next commit takes: up to MAX_BATCH, and MAX_BATCH_CHARS of payload (at least one event). */
export function nextBatchSize(sizes: readonly number[]): number {
  let chars = 0;
  let count = 0;
  while (count < sizes.length && count < MAX_BATCH) {
    chars += sizes[count]!;
    if (count > 0 && chars > MAX_BATCH_CHARS) break;
    count += 1;
  }
  return count;
}

interface Waiting {
  event: IncomingEvent;
  resolve: (result: StoreResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Persists a webhook and enqueues its processing in one transaction: once `store` resolves the event
 * is durable and will be processed, so the sender may be answered 200. A delivery already seen
 * within the dedup window is only counted.
 *
 * Events arriving together share a commit (group commit): each commit is the expensive part of a
 * write, and a burst is exactly when it matters. A caller still waits for its own event's commit.
 */
export class EventStore {
  private waiting: Waiting[] = [];
  private flushing = false;
  private readonly ingestCommit: IngestCommit;

  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
    private readonly options: { dedupWindowMs: number; now: () => number; needsProcessing?: NeedsProcessing },
  ) {
    this.ingestCommit = ingestCommitFor(database);
  }

  /** For each event, whether it needs processing: asked once per workspace, source and type in a commit. */
  private async needingProcessing(events: readonly IncomingEvent[]): Promise<boolean[]> {
    const needsProcessing = this.options.needsProcessing;
    if (!needsProcessing) return events.map(() => true);
    const once = sharedLoads();
    const answers = new Map<string, Promise<boolean>>();
    return Promise.all(
      events.map((event) => {
        const key = `${event.workspaceId}\n${event.source}\n${event.eventType}`;
        let answer = answers.get(key);
        if (!answer) {
          answer = needsProcessing({ workspaceId: event.workspaceId, source: event.source, eventType: event.eventType }, { once }).catch(
            () => true,
          );
          answers.set(key, answer);
        }
        return answer;
      }),
    );
  }

  store(event: IncomingEvent): Promise<StoreResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests already read by this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(
        0,
        nextBatchSize(this.waiting.slice(0, MAX_BATCH).map((item) => item.event.payloadText?.length ?? 0)),
      );
      let queued = false;
      const answer = (item: Waiting, result: StoreResult) => {
        if (result.status === 'stored' && result.queued) queued = true;
        item.resolve(result);
      };
      try {
        const results = await this.commit(batch.map((item) => item.event));
        batch.forEach((item, index) => answer(item, results[index]!));
      } catch {
        // One bad event must not fail its neighbours: each gets its own transaction and its own answer.
        for (const item of batch) await this.commit([item.event]).then((results) => answer(item, results[0]!), item.reject);
      }
      // Wake the workers only for work: a batch nothing acts on queued no job.
      if (queued) this.queue.notify();
    }
    this.flushing = false;
  }

  private async commit(events: IncomingEvent[]): Promise<StoreResult[]> {
    const queued = await this.needingProcessing(events);
    const pending = events.map((event, index) => pendingEvent(event, queued[index]!));
    return this.ingestCommit.commit(pending, {
      now: this.options.now(),
      dedupWindowMs: this.options.dedupWindowMs,
      maxAttempts: this.queue.defaultMaxAttempts,
    });
  }

  /** `aboutUser`: only an event about this user (a member's view, see access-policy). */
  async get(
    workspaceId: string,
    id: string,
    aboutUser?: string,
  ): Promise<(StoredEvent & { payload: unknown; headers: Record<string, string> }) | undefined> {
    let query = this.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
    if (aboutUser !== undefined) query = query.where('user_id', '=', aboutUser);
    const row = await query.executeTakeFirst();
    return row
      ? { ...toStoredEvent(row), payload: parseJsonOr(row.payload_json, null), headers: parseJsonOr(row.headers_json, {}) }
      : undefined;
  }

  /** Newest first; `before` is the cursor (an event id) returned as `nextCursor`; `aboutUser` keeps only events about that user. */
  async list(
    workspaceId: string,
    filter: {
      aboutUser?: string;
      types?: string[];
      status?: string;
      source?: string;
      from?: number;
      to?: number;
      before?: string;
      limit: number;
    },
  ): Promise<{ events: StoredEvent[]; nextCursor: string | null }> {
    let query = this.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.aboutUser !== undefined) query = query.where('user_id', '=', filter.aboutUser);
    if (filter.types && filter.types.length > 0) query = query.where('event_type', 'in', filter.types);
    if (filter.status) query = query.where('status', '=', filter.status as WebhookEventsTable['status']);
    if (filter.source) query = query.where('source', '=', filter.source);
    if (filter.from !== undefined) query = query.where('received_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('received_at', '<=', filter.to);
    if (filter.before) query = query.where('id', '<', filter.before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const events = rows.slice(0, filter.limit).map(toStoredEvent);
    return { events, nextCursor: rows.length > filter.limit ? (events[events.length - 1]?.id ?? null) : null };
  }

  /**
   * Records the outcome of several events in one transaction, and completes the job that processed
   * them in the same one when given (false: its claim was lost, nothing was written).
   */
  async markProcessed(outcomes: readonly ProcessingOutcome[], job?: Job): Promise<boolean> {
    const { db, dialect } = this.database;
    const now = this.options.now();
    const columns = () => [
      now,
      outcomes.map((outcome) => outcome.id),
      outcomes.map((outcome) => outcome.status),
      outcomes.map((outcome) => JSON.stringify(outcome.triggered ?? null)),
      outcomes.map((outcome) => outcome.error),
    ];
    if (dialect === 'postgres') {
      // One statement, one round trip, for the whole batch (and the job's completion).
      if (job) {
        const { rows } = await COMPLETE_AND_MARK_POSTGRES.run<{ completed: number }>(db, dialect, [
          now,
          now,
          job.id,
          job.lockedBy,
          ...columns(),
        ]);
        return rows[0]!.completed > 0;
      }
      if (outcomes.length > 0) await MARK_PROCESSED_POSTGRES.run(db, dialect, columns());
      return true;
    }
    const write = async (executor: Db | Tx) => {
      for (const outcome of outcomes)
        await MARK_PROCESSED.run(executor, dialect, [
          outcome.status,
          JSON.stringify(outcome.triggered ?? null),
          outcome.error,
          now,
          outcome.id,
        ]);
    };
    if (!job) {
      if (outcomes.length <= 1) await write(db);
      else await db.transaction().execute(write);
      return true;
    }
    return db.transaction().execute(async (trx) => {
      // Complete first: if the claim was lost, another worker owns these events now and writes their outcome.
      if (!(await this.queue.complete(job, trx))) return false;
      await write(trx);
      return true;
    });
  }

  /** Events with their installation's state, in one read, oldest first: the worker runs this for every batch. */
  async loadForProcessing(ids: readonly string[]): Promise<ProcessingRow[]> {
    const { db, dialect } = this.database;
    return (await LOAD_FOR_PROCESSING[dialect].run<ProcessingRow>(db, dialect, [dialect === 'postgres' ? ids : JSON.stringify(ids)])).rows;
  }
}

/** The event as the commit takes it: payload and headers as text, and whether it needs processing. */
function pendingEvent(event: IncomingEvent, queued: boolean): PendingEvent {
  return {
    workspaceId: event.workspaceId,
    source: event.source,
    eventType: event.eventType,
    payloadText: event.payloadText ?? JSON.stringify(event.payload ?? null),
    payload: event.payload ?? null,
    headersJson: JSON.stringify(event.headers),
    deliveryId: event.deliveryId,
    signedIdentity: event.signedIdentity,
    queued,
  };
}

export function toStoredEvent(row: Selectable<WebhookEventsTable>): StoredEvent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    source: row.source,
    eventType: row.event_type,
    status: row.status,
    receivedAt: Number(row.received_at),
    processedAt: row.processed_at === null ? null : Number(row.processed_at),
    duplicates: Number(row.duplicates),
    userId: row.user_id,
    projectId: row.project_id,
    timeEntryId: row.time_entry_id,
    clientId: row.client_id,
    tagIds: parseJsonOr(row.tag_ids, []),
    error: row.error,
    triggered: parseJsonOr(row.triggered_json, null),
  };
}
