/**
 * Issue 5: an event that no consumer would act on (no enabled flow is triggered by it, no forwarding
 * is set) is stored as processed in the same commit, with nothing triggered and no job queued. An
 * event that a flow does watch is queued and processed as before, also when the flow's conditions
 * then reject it. A consumer that cannot tell gets the event queued.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEdition } from '../../src/edition.js';
import type { LiveEvent } from '../../src/events-bus.js';
import { EventStore, JOB_PROCESS_EVENT } from '../../src/ingest/event-store.js';
import { eventIdsOf } from '../../src/ingest/process-job.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { postWebhook, storedWebhookToken } from '../lifecycle/support.js';
import { createFlow } from '../flows-e2e/flow-helpers.js';
import { timeEntryPayload } from './support.js';

const ID = 'api-studio' as const;

describeEachDialect('events nothing acts on', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let edition: RunningEdition;
  let token: string;
  const live: LiveEvent[] = [];

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], dialect });
    ({ workspaceId } = await stack.install(ID));
    edition = stack.edition(ID);
    token = await storedWebhookToken(edition, workspaceId, 'NEW_TIME_ENTRY');
    edition.runtime.bus.subscribe(workspaceId, (event) => live.push(event));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const send = async () => {
    const reply = await postWebhook(edition, { event: 'NEW_TIME_ENTRY', token, body: timeEntryPayload(workspaceId) });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('accepted');
    return reply.body.eventId as string;
  };
  const eventRow = (id: string) =>
    edition.runtime.database.db
      .selectFrom('webhook_events')
      .select(['status', 'triggered_json', 'processed_at', 'received_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const jobsFor = async (id: string) => {
    const jobs = await edition.runtime.database.db
      .selectFrom('jobs')
      .select('payload_json')
      .where('kind', '=', JOB_PROCESS_EVENT)
      .execute();
    return jobs.filter((job) => eventIdsOf(JSON.parse(job.payload_json)).includes(id));
  };
  const liveStatuses = (id: string) =>
    live
      .filter((event) => event.kind === 'webhook' && (event.data as { id?: string }).id === id)
      .map((event) => (event.data as { status: string }).status);

  it('stores an event no flow watches as processed, with nothing triggered and no job', async () => {
    const id = await send();
    // Answered 200 means committed: the row is already final.
    const row = await eventRow(id);
    expect(row.status).toBe('processed');
    expect(JSON.parse(row.triggered_json!)).toEqual({});
    expect(Number(row.processed_at)).toBe(Number(row.received_at));
    expect(await jobsFor(id)).toEqual([]);
    await eventually(() => liveStatuses(id).length > 0);
    expect(liveStatuses(id)).toEqual(['processed']);
  });

  it('queues an event once an enabled flow is triggered by its type, and processes it through the flow', async () => {
    // Disabled, or triggered by another event: still nothing to do for a time entry.
    await createFlow(stack, ID, {
      name: 'disabled',
      enabled: false,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [] },
      actions: [{ id: 'a', kind: 'clockify', operationId: 'getTags' }],
    });
    await createFlow(stack, ID, {
      name: 'clients',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [] },
      actions: [{ id: 'a', kind: 'clockify', operationId: 'getTags' }],
    });
    const untouched = await send();
    expect((await eventRow(untouched)).status).toBe('processed');
    expect(await jobsFor(untouched)).toEqual([]);

    // A flow on time entries whose condition this entry does not meet: the event is queued, and the flow decides.
    const flow = await createFlow(stack, ID, {
      name: 'never matches',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [{ path: '$.description', op: 'equals', value: 'no entry says this' }] },
      actions: [{ id: 'a', kind: 'clockify', operationId: 'getTags' }],
    });
    const watched = await send();
    expect(await jobsFor(watched)).toHaveLength(1);
    await eventually(async () => (await eventRow(watched)).status === 'processed');
    const triggered = JSON.parse((await eventRow(watched)).triggered_json!);
    expect(triggered.flows.runs).toHaveLength(1);
    expect(triggered.flows.runs[0]).toMatchObject({ flowId: flow.id, status: 'skipped' });
    await eventually(() => liveStatuses(watched).includes('processed'));
    expect(liveStatuses(watched)).toEqual(['received', 'processed']);
  });

  it('queues the event when a consumer cannot tell whether it acts', async () => {
    const store = new EventStore(edition.runtime.database, edition.runtime.queue, {
      dedupWindowMs: 3600_000,
      now: edition.runtime.now,
      needsProcessing: async () => {
        throw new Error('settings unavailable');
      },
    });
    const result = await store.store({
      workspaceId,
      source: 'clockify',
      eventType: 'NEW_TAG',
      payload: { id: 'tag-1', name: 'x', workspaceId },
      headers: {},
    });
    expect(result).toMatchObject({ status: 'stored', queued: true });
    expect(await jobsFor(result.eventId)).toHaveLength(1);
  });
});
