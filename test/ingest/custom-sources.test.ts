/**
 * Issue 5, Universal Webhook: custom sources managed through the UI API, Standard Webhooks
 * signatures (tolerance, several signatures, rotation), HMAC-SHA256 hex headers, explicit
 * unsigned sources, disabling, and workspace isolation.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { rawPost, rowCount } from '../lifecycle/support.js';
import type { RawReply } from '../lifecycle/support.js';

const ID = 'universal-webhook';

/** Standard Webhooks, written out from the spec (not the product's own helper). */
function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('custom webhook sources (Universal Webhook)', () => {
  let stack: Stack;
  let ws1: string;
  let ws2: string;
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], sandbox: { seed: { workspaces: 2, users: 3, projects: 6, timeEntries: 20 } } });
    const [first, second] = stack.sandbox.workspaces();
    ws1 = first!.id;
    ws2 = second!.id;
    await stack.install(ID, ws1);
    await stack.install(ID, ws2);
  }, 60_000);
  afterAll(() => stack?.close());

  const edition = () => stack.edition(ID);
  const createSource = async (body: Record<string, unknown>, role: 'OWNER' | 'REGULAR' = 'OWNER') =>
    stack.ui(ID, '/ui/sources', { method: 'POST', body, role });
  const sendStandard = (
    sourceId: string,
    options: { secret?: string; signature?: string; timestamp?: number; id?: string; body?: string } = {},
  ): Promise<RawReply> => {
    const body = options.body ?? JSON.stringify({ type: 'invoice.paid', n: ++counter });
    const id = options.id ?? `msg_${counter}_${Date.now()}`;
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = options.signature ?? standardSignature(options.secret!, id, timestamp, body);
    return rawPost(
      `${edition().url}/webhooks/custom/${sourceId}`,
      { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
      body,
    );
  };
  const expectRefused = (reply: RawReply, status: number, slug: string) => {
    expect(reply.status).toBe(status);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body.type).toMatch(new RegExp(`/${slug}$`));
    expect(reply.body.requestId).toEqual(expect.any(String));
  };

  it('creates a Standard Webhooks source for admins only, and shows its secret exactly once', async () => {
    const refused = await createSource({ name: 'Billing', signatureMode: 'standard' }, 'REGULAR');
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(/admin-required$/);

    const created = await createSource({ name: 'Billing', signatureMode: 'standard' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(created.body.source).toMatchObject({
      name: 'Billing',
      signatureMode: 'standard',
      enabled: true,
      url: `${edition().runtime.editionConfig.baseUrl}/webhooks/custom/${created.body.source.id}`,
    });
    const listed = await stack.ui(ID, '/ui/sources');
    expect(listed.body.sources.map((s: { id: string }) => s.id)).toContain(created.body.source.id);
    const secretBody = created.body.secret.replace(/^whsec_/, '');
    expect(JSON.stringify(listed.body)).not.toContain(secretBody);
    // Sealed at rest too.
    const stored = await edition()
      .runtime.database.db.selectFrom('custom_sources')
      .selectAll()
      .where('id', '=', created.body.source.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secretBody);
  });

  it('verifies Standard Webhooks signatures: valid, wrong secret, stale, several signatures, missing headers', async () => {
    const { body } = await createSource({ name: 'Shop', signatureMode: 'standard' });
    const sourceId: string = body.source.id;
    const secret: string = body.secret;
    const eventsBefore = await rowCount(edition(), 'webhook_events', ws1);

    const valid = await sendStandard(sourceId, { secret });
    expect(valid.status).toBe(200);
    expect(valid.body.status).toBe('accepted');
    const stored = await edition()
      .runtime.database.db.selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', valid.body.eventId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ workspace_id: ws1, source: `custom:${sourceId}`, event_type: 'invoice.paid' });
    expect(stored.headers_json).not.toContain('webhook-signature');

    expectRefused(
      await sendStandard(sourceId, { secret: 'whsec_' + Buffer.from('not the secret at all!!').toString('base64') }),
      401,
      'invalid-signature',
    );
    const stale = await sendStandard(sourceId, { secret, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expectRefused(stale, 401, 'invalid-signature');
    expect(stale.body.detail).toContain('stale timestamp');
    const future = await sendStandard(sourceId, { secret, timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expectRefused(future, 401, 'invalid-signature');
    const missing = await rawPost(`${edition().url}/webhooks/custom/${sourceId}`, { 'content-type': 'application/json' }, '{"type":"x"}');
    expectRefused(missing, 401, 'invalid-signature');
    expect(await rowCount(edition(), 'webhook_events', ws1)).toBe(eventsBefore + 1);

    // The header may carry several signatures (a sender mid-rotation): one matching is enough.
    const payload = JSON.stringify({ type: 'invoice.created', n: ++counter });
    const timestamp = Math.floor(Date.now() / 1000);
    const wrong = standardSignature('whsec_' + Buffer.from('an old secret, long gone').toString('base64'), 'msg_multi', timestamp, payload);
    const right = standardSignature(secret, 'msg_multi', timestamp, payload);
    const several = await sendStandard(sourceId, { id: 'msg_multi', timestamp, body: payload, signature: `${wrong} v1a,ignored ${right}` });
    expect(several.status).toBe(200);
    // webhook-id identifies the delivery: the sender's retry is a duplicate.
    const retried = await sendStandard(sourceId, { id: 'msg_multi', timestamp, body: payload, signature: right });
    expect(retried.body).toEqual({ status: 'duplicate', eventId: several.body.eventId });
  });

  it('rotates a secret: the previous one keeps working during the grace period, the new one works at once', async () => {
    const { body } = await createSource({ name: 'CRM', signatureMode: 'standard' });
    const sourceId: string = body.source.id;
    const oldSecret: string = body.secret;
    expect((await stack.ui(ID, `/ui/sources/${sourceId}/rotate`, { method: 'POST', role: 'REGULAR' })).status).toBe(403);
    const rotated = await stack.ui(ID, `/ui/sources/${sourceId}/rotate`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.body.source.rotating).toBe(true);
    expect((await sendStandard(sourceId, { secret: newSecret })).status).toBe(200);
    expect((await sendStandard(sourceId, { secret: oldSecret })).status).toBe(200);
    expectRefused(
      await sendStandard(sourceId, { secret: 'whsec_' + Buffer.from('neither of the two secrets').toString('base64') }),
      401,
      'invalid-signature',
    );
    const listed = await stack.ui(ID, '/ui/sources');
    expect(JSON.stringify(listed.body)).not.toContain(newSecret.replace(/^whsec_/, ''));
  });

  it('verifies an HMAC-SHA256 hex digest in the configured header, for simple senders', async () => {
    const { status, body } = await createSource({
      name: 'GitHub-ish',
      signatureMode: 'hmac-sha256',
      signatureHeader: 'X-Hub-Signature-256',
    });
    expect(status).toBe(201);
    const sourceId: string = body.source.id;
    const payload = JSON.stringify({ action: 'opened', n: ++counter });
    const digest = createHmac('sha256', body.secret).update(payload).digest('hex');
    const post = (headers: Record<string, string>) =>
      rawPost(`${edition().url}/webhooks/custom/${sourceId}`, { 'content-type': 'application/json', ...headers }, payload);
    const accepted = await post({ 'x-hub-signature-256': `sha256=${digest}`, 'x-github-event': 'pull_request' });
    expect(accepted.status).toBe(200);
    expect(
      (
        await edition()
          .runtime.database.db.selectFrom('webhook_events')
          .select('event_type')
          .where('id', '=', accepted.body.eventId)
          .executeTakeFirstOrThrow()
      ).event_type,
    ).toBe('pull_request');
    expectRefused(await post({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }), 401, 'invalid-signature');
    expectRefused(await post({ 'x-signature-256': digest }), 401, 'invalid-signature');
    expectRefused(await post({ 'x-hub-signature-256': 'not-hex' }), 401, 'invalid-signature');
  });

  it('accepts unsigned deliveries only from a source explicitly created to allow them', async () => {
    const refused = await createSource({ name: 'Open', signatureMode: 'none' });
    expect(refused.status).toBe(400);
    expect(refused.body.type).toMatch(/unsigned-not-allowed$/);
    const created = await createSource({ name: 'Open', signatureMode: 'none', allowUnsigned: true });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeNull();
    const reply = await rawPost(
      `${edition().url}/webhooks/custom/${created.body.source.id}`,
      { 'content-type': 'application/json' },
      JSON.stringify({ event: 'ping', n: ++counter }),
    );
    expect(reply.status).toBe(200);
    const malformed = await rawPost(
      `${edition().url}/webhooks/custom/${created.body.source.id}`,
      { 'content-type': 'application/json' },
      '{"event":',
    );
    expectRefused(malformed, 400, 'malformed-json');
  });

  it('refuses deliveries to a disabled source (403) and accepts them again once enabled', async () => {
    const { body } = await createSource({ name: 'Toggle', signatureMode: 'standard' });
    const sourceId: string = body.source.id;
    expect((await stack.ui(ID, `/ui/sources/${sourceId}/disable`, { method: 'POST', role: 'REGULAR' })).status).toBe(403);
    const disabled = await stack.ui(ID, `/ui/sources/${sourceId}/disable`, { method: 'POST' });
    expect(disabled.body.source.enabled).toBe(false);
    const eventsBefore = await rowCount(edition(), 'webhook_events', ws1);
    expectRefused(await sendStandard(sourceId, { secret: body.secret }), 403, 'source-disabled');
    expect(await rowCount(edition(), 'webhook_events', ws1)).toBe(eventsBefore);
    await stack.ui(ID, `/ui/sources/${sourceId}/enable`, { method: 'POST' });
    expect((await sendStandard(sourceId, { secret: body.secret })).status).toBe(200);
  });

  it("keeps sources to their workspace: another workspace's admin can neither see nor change them", async () => {
    const { body } = await createSource({ name: 'Private', signatureMode: 'standard' });
    const sourceId: string = body.source.id;
    const otherAdmin = await stack.userToken(ID, 'OWNER', ws2);
    const listed = await stack.ui(ID, '/ui/sources', { token: otherAdmin });
    expect(listed.body.sources.map((s: { id: string }) => s.id)).not.toContain(sourceId);
    for (const action of ['rotate', 'disable']) {
      const reply = await stack.ui(ID, `/ui/sources/${sourceId}/${action}`, { method: 'POST', token: otherAdmin });
      expect(reply.status).toBe(404);
    }
    expect((await stack.ui(ID, `/ui/sources/${sourceId}`, { method: 'DELETE', token: otherAdmin })).status).toBe(404);
    // The original secret still verifies: nothing was rotated.
    expect((await sendStandard(sourceId, { secret: body.secret })).status).toBe(200);
  });
});
