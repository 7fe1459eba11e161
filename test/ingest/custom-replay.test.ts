/**
 * Issue 19: a captured custom-source delivery replayed with a fresh id (or another event-type
 * header) is not stored again; HMAC sources may sign a timestamp along with the body, and stale or
 * future timestamps are refused. Both databases.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { rawPost, rowCount } from '../lifecycle/support.js';

const ID = 'universal-webhook';

/** Written out from the description (Stripe's scheme), not the product's helper. */
const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
const standardSignature = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

describeEachDialect('custom sources against replays', (dialect) => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], dialect });
    workspaceId = (await stack.install(ID)).workspaceId;
  }, 60_000);
  afterAll(() => stack?.close());

  const edition = () => stack.edition(ID);
  const post = (sourceId: string, headers: Record<string, string>, body: string) =>
    rawPost(`${edition().url}/webhooks/custom/${sourceId}`, { 'content-type': 'application/json', ...headers }, body);
  const events = () => rowCount(edition(), 'webhook_events', workspaceId);
  const now = () => Math.floor(Date.now() / 1000);

  it('HMAC over the body: the same body again, with a fresh delivery id or another event type, is a duplicate', async () => {
    const created = await stack.ui(ID, '/ui/sources', { method: 'POST', body: { name: 'Plain HMAC', signatureMode: 'hmac-sha256' } });
    expect(created.status).toBe(201);
    const { id } = created.body.source;
    const body = JSON.stringify({ order: 'A-1', amount: 100 });
    const signature = hmacHex(created.body.secret, body);
    const before = await events();
    const first = await post(id, { 'x-signature-256': signature, 'x-delivery-id': 'd-1', 'x-event-type': 'order.paid' }, body);
    expect(first.body.status).toBe('accepted');
    for (const headers of [
      { 'x-delivery-id': 'd-2' },
      { 'x-github-delivery': 'fresh' },
      { 'x-event-type': 'order.refunded' },
      {},
    ] as Record<string, string>[]) {
      const replay = await post(id, { 'x-signature-256': signature, ...headers }, body);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ status: 'duplicate', eventId: first.body.eventId });
    }
    expect(await events()).toBe(before + 1);
    // Another body is another delivery.
    const other = JSON.stringify({ order: 'A-2', amount: 100 });
    expect((await post(id, { 'x-signature-256': hmacHex(created.body.secret, other) }, other)).body.status).toBe('accepted');
  });

  it('HMAC with a timestamp header: signed timestamp + body inside the window is accepted once; stale, future, unsigned or altered timestamps are refused', async () => {
    const created = await stack.ui(ID, '/ui/sources', {
      method: 'POST',
      body: {
        name: 'Stamped',
        signatureMode: 'hmac-sha256',
        signatureHeader: 'X-Sig',
        timestampHeader: 'X-Sig-Timestamp',
        toleranceSeconds: 120,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.source).toMatchObject({ timestampHeader: 'x-sig-timestamp', toleranceSeconds: 120 });
    const { id } = created.body.source;
    const secret: string = created.body.secret;
    const body = JSON.stringify({ ticket: 7, state: 'closed' });
    const send = (timestamp: number | string, signedTimestamp: number | string = timestamp, headers: Record<string, string> = {}) =>
      post(id, { 'x-sig': hmacHex(secret, `${signedTimestamp}.${body}`), 'x-sig-timestamp': String(timestamp), ...headers }, body);
    const before = await events();

    const accepted = await send(now());
    expect(accepted.body.status).toBe('accepted');
    // The sender's retry a moment later (re-signed with a new timestamp, a new id) is the same delivery.
    const retried = await send(now() + 1, now() + 1, { 'x-delivery-id': 'retry-1' });
    expect(retried.body).toEqual({ status: 'duplicate', eventId: accepted.body.eventId });

    for (const [label, reply, reason] of [
      ['stale', await send(now() - 150), 'stale timestamp'],
      ['future', await send(now() + 150), 'stale timestamp'],
      ['timestamp not the signed one', await send(now(), now() - 5), 'no matching signature'],
      [
        'body alone signed',
        await post(id, { 'x-sig': hmacHex(secret, body), 'x-sig-timestamp': String(now()) }, body),
        'no matching signature',
      ],
      ['no timestamp', await post(id, { 'x-sig': hmacHex(secret, `${now()}.${body}`) }, body), 'missing headers'],
      ['not a number', await send('yesterday'), 'bad timestamp'],
    ] as const) {
      expect({ label, status: reply.status, detail: reply.body.detail }).toEqual({
        label,
        status: 401,
        detail: `The webhook signature was rejected: ${reason}.`,
      });
    }
    expect(await events()).toBe(before + 1);
  });

  it('Standard Webhooks: a replay inside the window with the same id and another event-type header is a duplicate; a fresh id breaks the signature', async () => {
    const created = await stack.ui(ID, '/ui/sources', { method: 'POST', body: { name: 'Standard', signatureMode: 'standard' } });
    const { id } = created.body.source;
    const body = JSON.stringify({ invoice: 'I-9' });
    const timestamp = now();
    const signature = standardSignature(created.body.secret, 'msg_1', timestamp, body);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    const first = await post(id, { ...headers, 'x-event-type': 'invoice.paid' }, body);
    expect(first.body.status).toBe('accepted');
    expect((await post(id, { ...headers, 'x-event-type': 'invoice.voided' }, body)).body).toEqual({
      status: 'duplicate',
      eventId: first.body.eventId,
    });
    expect((await post(id, { ...headers, 'webhook-id': 'msg_2' }, body)).status).toBe(401);
  });

  it('refuses timestamp options where they do not apply', async () => {
    const standard = await stack.ui(ID, '/ui/sources', {
      method: 'POST',
      body: { name: 'S', signatureMode: 'standard', timestampHeader: 'x-ts' },
    });
    expect(standard.status).toBe(400);
    expect(standard.body.type).toMatch(/timestamp-not-applicable$/);
    const lonelyTolerance = await stack.ui(ID, '/ui/sources', {
      method: 'POST',
      body: { name: 'H', signatureMode: 'hmac-sha256', toleranceSeconds: 60 },
    });
    expect(lonelyTolerance.status).toBe(400);
  });
});
