/**
 * Issue 5: an acknowledged webhook is stored with its processing job in one go, described by the
 * ids it mentions, kept without secrets, and processed exactly once however often it arrives —
 * also when two instances on one database receive the same delivery at the same moment.
 */
import { eventIdsOf } from '../../src/ingest/process-job.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEdition } from '../../src/edition.js';
import type { ProcessableEvent } from '../../src/events/consumers.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { metricValue, postWebhook, storedWebhookToken } from '../lifecycle/support.js';
import { startSecondInstance, timeEntryPayload } from './support.js';

const ID = 'api-studio';

/** Counts how often each stored event is processed, on every instance that got the probe. */
function processingProbe() {
  const processed = new Map<string, number>();
  return {
    processed,
    attach(edition: RunningEdition) {
      edition.runtime.consumers.push({
        name: 'probe',
        async consume(event: ProcessableEvent) {
          processed.set(event.id, (processed.get(event.id) ?? 0) + 1);
          return { seen: true };
        },
      });
    },
  };
}

/** Reverses key order at every level: the same document, written differently. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reordered(item)]),
    );
  return value;
}

describeEachDialect('webhook storage, deduplication and hand-off', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let token: string;
  const probe = processingProbe();
  const extraInstances: RunningEdition[] = [];

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], dialect });
    ({ workspaceId } = await stack.install(ID));
    token = await storedWebhookToken(stack.edition(ID), workspaceId, 'NEW_TIME_ENTRY');
    probe.attach(stack.edition(ID));
  }, 60_000);
  afterAll(async () => {
    for (const instance of extraInstances) await instance.stop();
    await stack?.close();
  });

  const db = () => stack.edition(ID).runtime.database.db;
  const processJobsOf = async (eventId: string) =>
    (await db().selectFrom('jobs').selectAll().where('kind', '=', 'webhook.process').execute()).filter((job) =>
      eventIdsOf(JSON.parse(job.payload_json)).includes(eventId),
    );

  it('stores the event and its processing job before answering 200, with derived ids and without the signature', async () => {
    const payload = timeEntryPayload(workspaceId);
    const reply = await postWebhook(stack.edition(ID), {
      event: 'NEW_TIME_ENTRY',
      token,
      body: payload,
      headers: { 'user-agent': 'Clockify-Webhook-Test', 'x-request-id': 'store-test-1' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('accepted');
    const eventId: string = reply.body.eventId;

    // Right after the 200, before anything else happens: both rows exist.
    const row = await db().selectFrom('webhook_events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
    expect(await processJobsOf(eventId)).toHaveLength(1);
    expect(row).toMatchObject({
      workspace_id: workspaceId,
      source: 'clockify',
      event_type: 'NEW_TIME_ENTRY',
      user_id: payload.userId,
      project_id: payload.projectId,
      time_entry_id: payload.id,
      client_id: payload.project.clientId,
    });
    expect(JSON.parse(row.tag_ids!)).toEqual(payload.tagIds);
    expect(JSON.parse(row.payload_json)).toEqual(payload);
    const headers = JSON.parse(row.headers_json) as Record<string, string>;
    expect(headers).toMatchObject({
      'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
      'user-agent': 'Clockify-Webhook-Test',
      'x-request-id': 'store-test-1',
    });
    expect(Object.keys(headers)).not.toContain('clockify-signature');
    expect(row.headers_json).not.toContain(token);

    // Processed from the queue, once.
    await eventually(
      async () =>
        (await db().selectFrom('webhook_events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()).status ===
        'processed',
    );
    expect(probe.processed.get(eventId)).toBe(1);
  });

  it('acknowledges the same delivery again as a duplicate, counts it, and never processes it twice', async () => {
    const edition = stack.edition(ID);
    const payload = timeEntryPayload(workspaceId);
    const duplicatesBefore = await metricValue(edition, 'webhooks_duplicates_total', { event_type: 'NEW_TIME_ENTRY', source: 'clockify' });
    const first = await postWebhook(edition, { event: 'NEW_TIME_ENTRY', token, body: payload });
    const again = await postWebhook(edition, { event: 'NEW_TIME_ENTRY', token, body: payload });
    // Clockify's retry may serialise the same JSON with its keys in another order: still the same delivery.
    const sameButReordered = await postWebhook(edition, { event: 'NEW_TIME_ENTRY', token, body: reordered(payload) });
    expect(first.body.status).toBe('accepted');
    for (const reply of [again, sameButReordered]) {
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ status: 'duplicate', eventId: first.body.eventId });
    }
    expect(await metricValue(edition, 'webhooks_duplicates_total', { event_type: 'NEW_TIME_ENTRY', source: 'clockify' })).toBe(
      duplicatesBefore + 2,
    );
    const rows = await db().selectFrom('webhook_events').selectAll().where('time_entry_id', '=', payload.id).execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.duplicates)).toBe(2);
    expect(await processJobsOf(first.body.eventId)).toHaveLength(1);
    await eventually(() => probe.processed.get(first.body.eventId) === 1);

    // A real change to the payload is a new delivery.
    const changed = await postWebhook(edition, { event: 'NEW_TIME_ENTRY', token, body: { ...payload, description: 'edited' } });
    expect(changed.body.status).toBe('accepted');
    expect(changed.body.eventId).not.toBe(first.body.eventId);
  });

  it('accepts the same delivery again once the dedup window has passed', async () => {
    // A replica configured with a window of about one second, on the same database.
    const shortWindow = await startSecondInstance(stack, ID, { WEBHOOK_DEDUP_WINDOW_HOURS: '0.0003', WORKER_CONCURRENCY: '0' });
    extraInstances.push(shortWindow);
    // Every instance runs the same consumers; the one that stores an event decides that it needs processing.
    probe.attach(shortWindow);
    const payload = timeEntryPayload(workspaceId);
    const first = await postWebhook(shortWindow, { event: 'NEW_TIME_ENTRY', token, body: payload });
    const within = await postWebhook(shortWindow, { event: 'NEW_TIME_ENTRY', token, body: payload });
    expect(first.body.status).toBe('accepted');
    expect(within.body.status).toBe('duplicate');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const after = await postWebhook(shortWindow, { event: 'NEW_TIME_ENTRY', token, body: payload });
    expect(after.body.status).toBe('accepted');
    expect(after.body.eventId).not.toBe(first.body.eventId);
    expect(await db().selectFrom('webhook_events').select('id').where('time_entry_id', '=', payload.id).execute()).toHaveLength(2);
    // The replica runs no worker (WORKER_CONCURRENCY=0): the first instance's worker processes what it stored.
    await eventually(() => probe.processed.get(first.body.eventId) === 1 && probe.processed.get(after.body.eventId) === 1);
  });

  it('stores and processes a delivery exactly once when two instances on one database receive it at the same moment', async () => {
    const second = await startSecondInstance(stack, ID);
    extraInstances.push(second);
    probe.attach(second);
    const first = stack.edition(ID);
    const rounds = 15;
    const eventIds: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const body = JSON.stringify(timeEntryPayload(workspaceId));
      const replies = await Promise.all([first, second].map((instance) => postWebhook(instance, { event: 'NEW_TIME_ENTRY', token, body })));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
      expect(replies.map((reply) => reply.body.status).sort()).toEqual(['accepted', 'duplicate']);
      expect(replies[0]!.body.eventId).toBe(replies[1]!.body.eventId);
      const timeEntryId = (JSON.parse(body) as { id: string }).id;
      expect(await db().selectFrom('webhook_events').select('id').where('time_entry_id', '=', timeEntryId).execute()).toHaveLength(1);
      eventIds.push(replies[0]!.body.eventId);
    }
    // Both workers take jobs from the one queue; each event is processed by exactly one of them, once.
    await eventually(async () => {
      const rows = await db().selectFrom('webhook_events').select('status').where('id', 'in', eventIds).execute();
      return rows.length === rounds && rows.every((row) => row.status === 'processed');
    }, 15_000);
    for (const eventId of eventIds) {
      expect(probe.processed.get(eventId)).toBe(1);
      expect(await processJobsOf(eventId)).toHaveLength(1);
    }
  });
});
