/**
 * Issue 5, bad input: every refused webhook gets a 4xx problem document with a request id, is
 * counted, and leaves nothing behind (no event, no dedup claim, no job).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import {
  addonClaims,
  createForger,
  jobsSettled,
  metricValue,
  postWebhook,
  rawPost,
  rowCount,
  sandboxKeyDir,
  storedWebhookToken,
} from '../lifecycle/support.js';
import type { Forger, RawReply } from '../lifecycle/support.js';
import { objectId, timeEntryPayload } from './support.js';

interface Context {
  stack: Stack;
  forger: Forger;
  ws1: string;
  ws2: string;
  addonId1: string;
  /** NEW_TIME_ENTRY and TIME_ENTRY_UPDATED tokens of api-studio in workspace 1, NEW_TIME_ENTRY in workspace 2. */
  newEntry1: string;
  updated1: string;
  newEntry2: string;
}

interface RejectionCase {
  name: string;
  status: number;
  /** End of the problem `type`. */
  slug: string;
  /** Label of webhooks_rejected_total, when the rejection happens after the body was read. */
  metricReason?: string;
  send(c: Context): Promise<RawReply>;
}

const apiStudio = (c: Context) => c.stack.edition('api-studio');

const CASES: RejectionCase[] = [
  {
    name: 'missing signature',
    status: 401,
    slug: 'invalid-token',
    metricReason: 'invalid_signature',
    send: (c) => postWebhook(apiStudio(c), { event: 'NEW_TIME_ENTRY', body: timeEntryPayload(c.ws1) }),
  },
  {
    name: 'garbage signature',
    status: 401,
    slug: 'invalid-token',
    metricReason: 'invalid_signature',
    send: (c) => postWebhook(apiStudio(c), { event: 'NEW_TIME_ENTRY', token: 'nonsense', body: timeEntryPayload(c.ws1) }),
  },
  {
    name: "a correctly signed Clockify token that is not this webhook's token",
    status: 401,
    slug: 'invalid-token',
    metricReason: 'unknown_signature',
    send: async (c) =>
      postWebhook(apiStudio(c), {
        event: 'NEW_TIME_ENTRY',
        token: await c.forger.sign(addonClaims({ addonKey: 'clockify-api-studio', workspaceId: c.ws1, addonId: c.addonId1 })),
        body: timeEntryPayload(c.ws1),
      }),
  },
  {
    name: 'webhook token of another workspace',
    status: 403,
    slug: 'token-not-for-this-target',
    metricReason: 'workspace_mismatch',
    send: (c) => postWebhook(apiStudio(c), { event: 'NEW_TIME_ENTRY', token: c.newEntry2, body: timeEntryPayload(c.ws1) }),
  },
  {
    name: "NEW_TIME_ENTRY's token used for TIME_ENTRY_UPDATED",
    status: 401,
    slug: 'invalid-token',
    metricReason: 'event_mismatch',
    send: (c) => postWebhook(apiStudio(c), { event: 'TIME_ENTRY_UPDATED', token: c.newEntry1, body: timeEntryPayload(c.ws1) }),
  },
  {
    name: "TIME_ENTRY_UPDATED's token on the NEW_TIME_ENTRY path",
    status: 400,
    slug: 'event-mismatch',
    metricReason: 'event_mismatch',
    send: (c) =>
      postWebhook(apiStudio(c), {
        event: 'TIME_ENTRY_UPDATED',
        token: c.updated1,
        body: timeEntryPayload(c.ws1),
        path: '/webhooks/clockify/new-time-entry',
      }),
  },
  {
    name: 'unknown event type',
    status: 400,
    slug: 'unknown-event-type',
    metricReason: 'unknown_event_type',
    send: (c) => postWebhook(apiStudio(c), { event: 'TIME_TRAVELLED', token: c.newEntry1, body: timeEntryPayload(c.ws1) }),
  },
  {
    name: 'no event type header',
    status: 400,
    slug: 'missing-event-type',
    metricReason: 'missing_event_type',
    send: (c) =>
      rawPost(
        `${apiStudio(c).url}/webhooks/clockify`,
        { 'content-type': 'application/json', 'clockify-signature': c.newEntry1 },
        JSON.stringify(timeEntryPayload(c.ws1)),
      ),
  },
  {
    name: 'an event API Studio does not subscribe to (USER_UPDATED)',
    status: 400,
    slug: 'event-not-subscribed',
    metricReason: 'not_subscribed',
    send: (c) => postWebhook(apiStudio(c), { event: 'USER_UPDATED', token: c.newEntry1, body: { id: objectId(), workspaceId: c.ws1 } }),
  },
  {
    name: 'malformed JSON',
    status: 400,
    slug: 'malformed-json',
    send: (c) => postWebhook(apiStudio(c), { event: 'NEW_TIME_ENTRY', token: c.newEntry1, body: '{"id": "abc", ' }),
  },
  {
    name: 'not JSON at all (text/plain)',
    status: 400,
    slug: 'malformed-json',
    metricReason: 'malformed_body',
    send: (c) =>
      rawPost(
        `${apiStudio(c).url}/webhooks/clockify`,
        { 'content-type': 'text/plain', 'clockify-webhook-event-type': 'NEW_TIME_ENTRY', 'clockify-signature': c.newEntry1 },
        'hello',
      ),
  },
  {
    name: 'oversize body (> 5 MB)',
    status: 413,
    slug: 'payload-too-large',
    send: (c) =>
      postWebhook(apiStudio(c), {
        event: 'NEW_TIME_ENTRY',
        token: c.newEntry1,
        body: JSON.stringify(timeEntryPayload(c.ws1, { description: 'x'.repeat(5 * 1024 * 1024 + 10) })),
      }),
  },
  {
    name: 'a workspace where the add-on was never installed',
    status: 401,
    slug: 'not-installed',
    metricReason: 'not_installed',
    send: async (c) => {
      const stranger = 'f'.repeat(24);
      return postWebhook(apiStudio(c), {
        event: 'NEW_TIME_ENTRY',
        token: await c.forger.sign(addonClaims({ addonKey: 'clockify-api-studio', workspaceId: stranger, addonId: objectId() })),
        body: timeEntryPayload(stranger),
      });
    },
  },
  {
    name: 'an installation that is INACTIVE',
    status: 403,
    slug: 'installation-inactive',
    metricReason: 'inactive',
    send: async (c) => {
      await c.stack.sandbox.setStatus({ addonKey: 'clockify-api-studio', workspaceId: c.ws2, status: 'INACTIVE' });
      try {
        return await postWebhook(apiStudio(c), { event: 'NEW_TIME_ENTRY', token: c.newEntry2, body: timeEntryPayload(c.ws2) });
      } finally {
        await c.stack.sandbox.setStatus({ addonKey: 'clockify-api-studio', workspaceId: c.ws2, status: 'ACTIVE' });
      }
    },
  },
  {
    name: 'an unknown custom source (Universal Webhook)',
    status: 404,
    slug: 'unknown-source',
    metricReason: 'unknown_source',
    send: (c) =>
      rawPost(
        `${c.stack.edition('universal-webhook').url}/webhooks/custom/no-such-source`,
        { 'content-type': 'application/json' },
        JSON.stringify({ type: 'ping' }),
      ),
  },
];

describe('webhook rejections', () => {
  let context: Context;
  beforeAll(async () => {
    const keyDir = sandboxKeyDir();
    const stack = await startStack({
      editions: ['api-studio', 'universal-webhook'],
      sandbox: { dataDir: keyDir, seed: { workspaces: 2, users: 3, projects: 6, timeEntries: 60 } },
    });
    const [first, second] = stack.sandbox.workspaces();
    const install1 = await stack.install('api-studio', first!.id);
    await stack.install('api-studio', second!.id);
    await stack.install('universal-webhook', first!.id);
    const edition = stack.edition('api-studio');
    context = {
      stack,
      forger: await createForger(keyDir),
      ws1: first!.id,
      ws2: second!.id,
      addonId1: install1.addonId,
      newEntry1: await storedWebhookToken(edition, first!.id, 'NEW_TIME_ENTRY'),
      updated1: await storedWebhookToken(edition, first!.id, 'TIME_ENTRY_UPDATED'),
      newEntry2: await storedWebhookToken(edition, second!.id, 'NEW_TIME_ENTRY'),
    };
    await eventually(async () => (await stack.ui('api-studio', '/ui/webhooks/registrations')).body.summary?.problems === 0, 20_000);
    await jobsSettled(edition);
    await jobsSettled(stack.edition('universal-webhook'), 30_000);
  }, 90_000);
  afterAll(() => context?.stack.close());

  const counts = async (c: Context) => {
    const result: Record<string, number> = {};
    for (const id of ['api-studio', 'universal-webhook'] as const) {
      for (const table of ['webhook_events', 'webhook_dedup']) result[`${id}.${table}`] = await rowCount(c.stack.edition(id), table);
      result[`${id}.process-jobs`] = Number(
        (
          await c.stack
            .edition(id)
            .runtime.database.db.selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('kind', '=', 'webhook.process')
            .executeTakeFirstOrThrow()
        ).n,
      );
    }
    return result;
  };

  it('accepts a genuine delivery (the control case)', async () => {
    const reply = await postWebhook(apiStudio(context), {
      event: 'NEW_TIME_ENTRY',
      token: context.newEntry1,
      body: timeEntryPayload(context.ws1),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'accepted', eventId: expect.any(String) });
  });

  it.each(CASES)('$name → $status $slug, nothing stored', async (testCase) => {
    const source = testCase.slug === 'unknown-source' ? 'custom' : 'clockify';
    const edition = source === 'custom' ? context.stack.edition('universal-webhook') : apiStudio(context);
    const rejectedBefore = testCase.metricReason
      ? await metricValue(edition, 'webhooks_rejected_total', { reason: testCase.metricReason, source })
      : 0;
    const before = await counts(context);

    const reply = await testCase.send(context);

    expect(reply.status).toBe(testCase.status);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: testCase.status, requestId: expect.any(String), detail: expect.any(String) });
    expect(reply.body.type).toMatch(new RegExp(`/${testCase.slug}$`));
    for (const token of [context.newEntry1, context.newEntry2, context.updated1]) expect(reply.text).not.toContain(token);
    expect(await counts(context)).toEqual(before);
    if (testCase.metricReason)
      expect(await metricValue(edition, 'webhooks_rejected_total', { reason: testCase.metricReason, source })).toBe(rejectedBefore + 1);
  });

  it('never logs a webhook token', () => {
    const text = context.stack.logs.text();
    for (const token of [context.newEntry1, context.newEntry2, context.updated1]) expect(text).not.toContain(token);
  });
});
