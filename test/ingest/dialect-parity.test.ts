/**
 * Issue 20: the ingest commit is written once per dialect (src/ingest/sqlite-commit.ts and
 * postgres-commit.ts, behind IngestCommit). The same batches (duplicates within and across batches,
 * an expired claim taken over, two workspaces, events some consumer acts on and events none does,
 * more queued events of one workspace than one job takes) go through both; the answers and every row
 * of webhook_events, webhook_dedup and jobs must be the same, with ids replaced by which event they
 * are. A path that drifts from the other (a column, a status, a count, a job's contents) fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_BATCH } from '../../src/ingest/event-row.js';
import type { PendingEvent, StoreResult } from '../../src/ingest/event-row.js';
import { ingestCommitFor } from '../../src/ingest/ingest-commit.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { createTestDatabaseUrl, dialects, pgAvailable, postgresAdminUrl } from '../helpers/databases.js';
import type { Dialect, TestDatabase } from '../helpers/databases.js';

const T0 = 1_900_000_000_000;
const WINDOW_MS = 3600_000;
const MAX_ATTEMPTS = 4;

interface EventSpec {
  workspaceId: string;
  source?: string;
  eventType: string;
  payload: Record<string, unknown>;
  /** The body as received, when it differs from JSON.stringify(payload) (keys in another order). */
  payloadText?: string;
  deliveryId?: string;
  signedIdentity?: string;
  /** Whether some consumer acts on it (a job is queued). */
  queued: boolean;
  /** Hand the commit only the text (it parses the payload itself). */
  textOnly?: boolean;
}

function pending(spec: EventSpec): PendingEvent {
  const payloadText = spec.payloadText ?? JSON.stringify(spec.payload);
  return {
    workspaceId: spec.workspaceId,
    source: spec.source ?? 'clockify',
    eventType: spec.eventType,
    payloadText,
    ...(spec.textOnly ? {} : { payload: JSON.parse(payloadText) }),
    headersJson: JSON.stringify({ 'clockify-webhook-event-type': spec.eventType }),
    ...(spec.deliveryId !== undefined ? { deliveryId: spec.deliveryId } : {}),
    ...(spec.signedIdentity !== undefined ? { signedIdentity: spec.signedIdentity } : {}),
    queued: spec.queued,
  };
}

const timeEntry = (index: number, extra: Partial<EventSpec> = {}): EventSpec => ({
  workspaceId: 'ws-a',
  eventType: 'NEW_TIME_ENTRY',
  payload: {
    id: `te-${index}`,
    workspaceId: 'ws-a',
    userId: `user-${index % 3}`,
    projectId: 'project-1',
    tagIds: index % 2 ? ['tag-1', 'tag-2'] : [],
  },
  deliveryId: `a-${index}`,
  // Every fifth event is one no consumer acts on: stored as processed, no job.
  queued: index % 5 !== 4,
  textOnly: index % 7 === 0,
  ...extra,
});

const client = (index: number, extra: Partial<EventSpec> = {}): EventSpec => ({
  workspaceId: 'ws-b',
  eventType: 'NEW_CLIENT',
  payload: { id: `client-${index}`, workspaceId: 'ws-b', name: `Client ${index}` },
  deliveryId: `b-${index}`,
  queued: index % 2 === 0,
  ...extra,
});

/** The batches, each committed at its own time. */
function batches(): { now: number; events: EventSpec[] }[] {
  const first: EventSpec[] = [];
  for (let index = 0; index < 70; index += 1) {
    first.push(timeEntry(index));
    if (index % 10 === 0) first.push(client(index / 10));
  }
  first.push(
    // The same delivery twice more in the same batch: two duplicates of its first copy.
    timeEntry(3),
    timeEntry(3),
    client(0),
    // The same delivery id in the other workspace is another delivery.
    client(50, { deliveryId: 'a-5', eventType: 'NEW_TIME_ENTRY' }),
    // No delivery id: the body is the identity, whatever the order of its keys.
    {
      workspaceId: 'ws-b',
      source: 'custom:src-1',
      eventType: 'order.paid',
      payload: { total: 12, order: { id: 'o-1', lines: 2 } },
      queued: true,
    },
    {
      workspaceId: 'ws-b',
      source: 'custom:src-1',
      eventType: 'order.paid',
      payload: { order: { lines: 2, id: 'o-1' }, total: 12 },
      payloadText: '{"order":{"lines":2,"id":"o-1"},"total":12}',
      queued: true,
      textOnly: true,
    },
    // A signed source: what the signature covers is the identity, not the body.
    { workspaceId: 'ws-a', source: 'custom:src-2', eventType: 'ping', payload: { n: 1 }, signedIdentity: 'sig-1', queued: false },
    { workspaceId: 'ws-a', source: 'custom:src-2', eventType: 'ping', payload: { n: 2 }, signedIdentity: 'sig-1', queued: false },
  );
  return [
    { now: T0, events: first },
    // Within the window: copies of the first batch's deliveries are counted on their first copy.
    { now: T0 + 1000, events: [timeEntry(3), timeEntry(100), timeEntry(10), client(7), timeEntry(101, { queued: false })] },
    // At the window's very edge a claim still holds.
    { now: T0 + WINDOW_MS, events: [client(2)] },
    // After the window: a delivery seen before is new again (its expired claim is taken over).
    { now: T0 + WINDOW_MS + 1, events: [timeEntry(3), timeEntry(200, { queued: false }), client(1)] },
    // Only duplicates: nothing stored, nothing queued.
    { now: T0 + WINDOW_MS + 2, events: [timeEntry(3), client(1)] },
  ];
}

type Row = Record<string, unknown>;

interface Outcome {
  results: { status: string; event: string; queued?: boolean }[][];
  events: Row[];
  dedup: Row[];
  jobs: Row[];
}

/** Commits the batches through the dialect's IngestCommit and reads back every row, ids replaced by `batch:index` of the event. */
async function runThrough(database: Database): Promise<Outcome> {
  const commit = ingestCommitFor(database);
  const labels = new Map<string, string>();
  const label = (id: unknown) => labels.get(String(id)) ?? `unknown id ${String(id)}`;
  const raw: StoreResult[][] = [];
  for (const [batchIndex, batch] of batches().entries()) {
    const results = await commit.commit(batch.events.map(pending), { now: batch.now, dedupWindowMs: WINDOW_MS, maxAttempts: MAX_ATTEMPTS });
    results.forEach((result, index) => {
      if (result.status === 'stored') labels.set(result.eventId, `${batchIndex}:${index}`);
    });
    raw.push(results);
  }
  const results = raw.map((batch) =>
    batch.map((result) =>
      result.status === 'stored'
        ? { status: result.status, event: label(result.eventId), queued: result.queued }
        : { status: result.status, event: label(result.eventId) },
    ),
  );
  const numbers = (row: Row, columns: string[]) => {
    for (const column of columns) if (row[column] !== null) row[column] = Number(row[column]);
    return row;
  };
  const byKey = (key: (row: Row) => string) => (a: Row, b: Row) => key(a).localeCompare(key(b), 'en', { numeric: true });
  const events = (await database.db.selectFrom('webhook_events').selectAll().execute())
    .map((row) => numbers({ ...row, id: label(row.id) }, ['duplicates', 'received_at', 'processed_at']))
    .sort(byKey((row) => String(row.id)));
  const dedup = (await database.db.selectFrom('webhook_dedup').selectAll().execute())
    .map((row) => numbers({ ...row, event_id: label(row.event_id) }, ['first_seen_at']))
    .sort(byKey((row) => String(row.delivery_key)));
  const jobRows = await database.db.selectFrom('jobs').selectAll().execute();
  // Ids differ between databases; what must agree is each job's contents and, within a workspace, their order.
  const jobs = jobRows
    .map((row) => {
      const { id, ...rest } = row;
      const { eventIds } = JSON.parse(row.payload_json) as { eventIds: string[] };
      const turn = jobRows.filter((other) => other.workspace_id === row.workspace_id && Number(other.id) < Number(id)).length;
      return numbers({ ...rest, payload_json: { eventIds: eventIds.map(label) }, turn }, [
        'priority',
        'attempts',
        'max_attempts',
        'run_at',
        'created_at',
        'updated_at',
        'locked_until',
        'finished_at',
      ]);
    })
    .sort(byKey((row) => `${String(row.workspace_id)} ${String(row.turn)}`));
  return { results, events, dedup, jobs };
}

const postgresReachable = await pgAvailable();
// As describeEachDialect does: without PostgreSQL a laptop skips this, CI fails it.
const runnable = postgresReachable || process.env.CI === 'true';

describe.skipIf(!runnable)(`one ingest batch through SQLite and PostgreSQL (${postgresAdminUrl})`, () => {
  const targets: TestDatabase[] = [];
  const databases: Database[] = [];
  const outcomes = {} as Record<Dialect, Outcome>;

  beforeAll(async () => {
    for (const dialect of dialects) {
      const target = await createTestDatabaseUrl(dialect);
      targets.push(target);
      const database = await openDatabase(target.url);
      databases.push(database);
      outcomes[dialect] = await runThrough(database);
    }
  });
  afterAll(async () => {
    for (const database of databases) await database.close();
    for (const target of targets) await target.drop();
  });

  it('answers every event the same', () => {
    expect(outcomes.postgres.results).toEqual(outcomes.sqlite.results);
  });

  it('stores the same events, dedup claims and jobs, column for column', () => {
    expect(outcomes.postgres.events).toEqual(outcomes.sqlite.events);
    expect(outcomes.postgres.dedup).toEqual(outcomes.sqlite.dedup);
    expect(outcomes.postgres.jobs).toEqual(outcomes.sqlite.jobs);
  });

  // What both agree on is also what is meant (so two paths wrong the same way do not pass).
  it('counts duplicates, takes over expired claims, and queues one job per workspace and batch of queued events', () => {
    const { results, events, dedup, jobs } = outcomes.sqlite;
    const first = results[0]!;
    const eventOf = (id: string) => events.find((row) => row.id === id)!;
    // a-3: stored at index 3 of the first batch; two copies in its batch and one in the next count on it.
    expect(first[4]).toMatchObject({ status: 'stored', event: '0:4', queued: true });
    expect(eventOf('0:4')).toMatchObject({
      delivery_key: expect.any(String),
      duplicates: 3,
      status: 'received',
      workspace_id: 'ws-a',
      tag_ids: '["tag-1","tag-2"]',
    });
    // After the window the same delivery is stored again, and the claim now names the new copy.
    expect(results[2]).toEqual([{ status: 'duplicate', event: '0:23' }]);
    expect(results[3]![0]).toEqual({ status: 'stored', event: '3:0', queued: true });
    expect(eventOf('3:0')).toMatchObject({ duplicates: 1, received_at: T0 + WINDOW_MS + 1 });
    expect(dedup.find((row) => row.delivery_key === eventOf('0:4').delivery_key)).toMatchObject({
      event_id: '3:0',
      first_seen_at: T0 + WINDOW_MS + 1,
    });
    // The same delivery id in another workspace is not a duplicate; the reordered body and the re-signed ping are.
    const tail = first.slice(-5);
    expect(tail.map((result) => result.status)).toEqual(['stored', 'stored', 'duplicate', 'stored', 'duplicate']);
    expect(results[4]!.every((result) => result.status === 'duplicate')).toBe(true);
    // Events no consumer acts on are stored processed, with nothing triggered, and queue no job.
    expect(eventOf('0:5')).toMatchObject({ status: 'processed', triggered_json: '{}', processed_at: T0 });
    const queuedA = first.filter(
      (result, index) =>
        result.status === 'stored' && result.queued && events.find((row) => row.id === `0:${index}`)!.workspace_id === 'ws-a',
    );
    expect(queuedA.length).toBeGreaterThan(PROCESS_BATCH);
    const firstBatchJobsA = jobs.filter((job) => job.workspace_id === 'ws-a' && job.created_at === T0);
    expect(firstBatchJobsA.map((job) => (job.payload_json as { eventIds: string[] }).eventIds.length)).toEqual([
      PROCESS_BATCH,
      queuedA.length - PROCESS_BATCH,
    ]);
    expect(firstBatchJobsA.flatMap((job) => (job.payload_json as { eventIds: string[] }).eventIds)).toEqual(
      queuedA.map((result) => result.event),
    );
    expect(
      jobs.every(
        (job) => job.kind === 'webhook.process' && job.status === 'pending' && job.priority === 1 && job.max_attempts === MAX_ATTEMPTS,
      ),
    ).toBe(true);
    // Nothing was queued by the batch of duplicates.
    expect(jobs.filter((job) => job.created_at === T0 + WINDOW_MS + 2)).toEqual([]);
  });
});
