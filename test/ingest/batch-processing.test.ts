/**
 * Issue 5, processing side: events committed together are processed by one job per workspace, in
 * the order they arrived, each exactly once; one failing event neither holds back nor re-runs the
 * others of its batch; jobs queued before batching (one event each) are still processed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEdition } from '../../src/edition.js';
import type { ProcessableEvent } from '../../src/events/consumers.js';
import { EventStore, JOB_PROCESS_EVENT, PROCESS_BATCH } from '../../src/ingest/event-store.js';
import { eventIdsOf } from '../../src/ingest/process-job.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { timeEntryPayload } from './support.js';

const ID = 'api-studio' as const;

describeEachDialect('batched webhook processing', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let edition: RunningEdition;
  let store: EventStore;
  /** Every call of the probe consumer, in order: event id and whether it threw. */
  const calls: { id: string; threw: boolean }[] = [];
  /** Event ids the probe fails on, and how many more times. */
  const failures = new Map<string, number>();

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], dialect });
    ({ workspaceId } = await stack.install(ID));
    edition = stack.edition(ID);
    // The install's own jobs (webhook registration, bootstrap) must not mix with what is measured here.
    await eventually(async () => {
      const counts = await edition.runtime.queue.countsByStatus();
      return !counts.pending && !counts.running;
    }, 30_000);
    // A second store on the same database and queue: events stored through it in one tick share one commit.
    store = new EventStore(edition.runtime.database, edition.runtime.queue, { dedupWindowMs: 3600_000, now: edition.runtime.now });
    edition.runtime.consumers.push({
      name: 'probe',
      async consume(event: ProcessableEvent) {
        const left = failures.get(event.id) ?? 0;
        calls.push({ id: event.id, threw: left > 0 });
        if (left > 0) {
          failures.set(event.id, left - 1);
          throw new Error('probe refuses this event once');
        }
        return { seen: true };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const storeTogether = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        store.store({ workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload: timeEntryPayload(workspaceId), headers: {} }),
      ),
    );

  const jobsCovering = async (eventIds: string[]) => {
    const jobs = await edition.runtime.database.db
      .selectFrom('jobs')
      .select(['id', 'payload_json', 'status', 'attempts'])
      .where('kind', '=', JOB_PROCESS_EVENT)
      .orderBy('id')
      .execute();
    return jobs
      .map((job) => ({ ...job, eventIds: eventIdsOf(JSON.parse(job.payload_json)) }))
      .filter((job) => job.eventIds.some((id) => eventIds.includes(id)));
  };

  const statusesOf = async (eventIds: string[]) => {
    const rows = await edition.runtime.database.db
      .selectFrom('webhook_events')
      .select(['id', 'status', 'triggered_json'])
      .where('id', 'in', eventIds)
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  };

  it('processes events stored together with one job per batch, in arrival order, each once', async () => {
    const count = PROCESS_BATCH + 10;
    const results = await storeTogether(count);
    const eventIds = results.map((result) => result.eventId);
    expect(results.every((result) => result.status === 'stored')).toBe(true);

    const jobs = await jobsCovering(eventIds);
    // One commit, one workspace: the events are split into jobs of at most PROCESS_BATCH, nothing more.
    expect(jobs.map((job) => job.eventIds.length)).toEqual([PROCESS_BATCH, 10]);
    expect(jobs.flatMap((job) => job.eventIds)).toEqual(eventIds);

    await eventually(async () => [...(await statusesOf(eventIds)).values()].every((row) => row.status === 'processed'));
    const seen = calls.filter((call) => eventIds.includes(call.id)).map((call) => call.id);
    expect([...seen].sort()).toEqual([...eventIds].sort());
    // Two jobs may run side by side; within each, the events are processed in the order they arrived.
    for (const job of jobs) expect(seen.filter((id) => job.eventIds.includes(id))).toEqual(job.eventIds);
    const row = (await statusesOf(eventIds)).get(eventIds[0]!)!;
    expect(JSON.parse(row.triggered_json!)).toMatchObject({ probe: { seen: true } });
    expect((await jobsCovering(eventIds)).map((job) => job.status)).toEqual(['done', 'done']);
  }, 30_000);

  it('stores one of several copies of a delivery that arrive in the same commit, and counts the rest', async () => {
    const payload = timeEntryPayload(workspaceId);
    const copy = () =>
      store.store({ workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload: structuredClone(payload), headers: {} });
    const other = () =>
      store.store({ workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload: timeEntryPayload(workspaceId), headers: {} });
    const results = await Promise.all([copy(), copy(), other(), copy()]);
    expect(results.map((result) => result.status)).toEqual(['stored', 'duplicate', 'stored', 'duplicate']);
    expect(results[1]!.eventId).toBe(results[0]!.eventId);
    expect(results[3]!.eventId).toBe(results[0]!.eventId);
    const row = await edition.runtime.database.db
      .selectFrom('webhook_events')
      .select('duplicates')
      .where('id', '=', results[0]!.eventId)
      .executeTakeFirstOrThrow();
    expect(Number(row.duplicates)).toBe(2);
    expect((await jobsCovering([results[0]!.eventId, results[2]!.eventId])).flatMap((job) => job.eventIds)).toEqual([
      results[0]!.eventId,
      results[2]!.eventId,
    ]);
  });

  it('retries only the event that failed; the rest of its batch is recorded once', async () => {
    const results = await storeTogether(5);
    const eventIds = results.map((result) => result.eventId);
    const failing = eventIds[2]!;
    failures.set(failing, 1);

    await eventually(async () => [...(await statusesOf(eventIds)).values()].every((row) => row.status === 'processed'), 20_000);
    const callsOf = (id: string) => calls.filter((call) => call.id === id);
    expect(callsOf(failing).map((call) => call.threw)).toEqual([true, false]);
    for (const id of eventIds.filter((candidate) => candidate !== failing)) expect(callsOf(id)).toHaveLength(1);
    const [job] = await jobsCovering(eventIds);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
  }, 30_000);

  it('processes a job queued before batching, which names one event', async () => {
    const [stored] = await Promise.all([
      store.store({ workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload: timeEntryPayload(workspaceId), headers: {} }),
    ]);
    const eventId = stored!.eventId;
    // Let the batch job run first, then reset the event and queue the old shape of job for it.
    await eventually(async () => (await statusesOf([eventId])).get(eventId)?.status === 'processed');
    await edition.runtime.database.db
      .updateTable('webhook_events')
      .set({ status: 'received', triggered_json: null, processed_at: null })
      .where('id', '=', eventId)
      .execute();
    await edition.runtime.queue.enqueue({ kind: JOB_PROCESS_EVENT, workspaceId, payload: { eventId }, priority: 1 });

    await eventually(async () => (await statusesOf([eventId])).get(eventId)?.status === 'processed');
    expect(calls.filter((call) => call.id === eventId)).toHaveLength(2);
  }, 30_000);
});
