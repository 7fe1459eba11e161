/**
 * Issue 5, Clockify Add-on edition: each event is relayed from the queue to the workspace's
 * forwarding URL, signed with Standard Webhooks headers, retried with backoff, outcome logged;
 * loopback receivers need the operator's allowlist (the SSRF guard refuses them otherwise).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

const ID = 'clockify-addon';

interface Received {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver on 127.0.0.1 that answers the given statuses in turn (the last one from then on). */
async function startReceiver(statuses: number[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ at: Date.now(), headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hooks/clockify`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function verifyStandard(secret: string, headers: Received['headers'], body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('forwarding to a receiver on the allowlist', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workspaceId: string;
  beforeAll(async () => {
    receiver = await startReceiver([500, 500, 200]);
    stack = await startStack({ editions: [ID], env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    ({ workspaceId } = await stack.install(ID));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('relays the event signed with Standard Webhooks headers, retrying with backoff until the receiver takes it', async () => {
    const addonKey = stack.edition(ID).runtime.editionConfig.key;
    const settings = await stack.sandbox.updateSettings({ addonKey, workspaceId, values: { forwarding_url: receiver.url } });
    expect(settings.body).toMatchObject({ outcome: 'applied' });
    const secretReply = await stack.ui(ID, '/ui/settings/forwarding-secret');
    expect(secretReply.status).toBe(200);
    const secret: string = secretReply.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect((await stack.ui(ID, '/ui/settings/forwarding-secret', { role: 'REGULAR' })).status).toBe(403);

    await stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId });
    await eventually(() => receiver.received.length >= 3, 20_000);
    const [first, second, third] = receiver.received;
    const db = stack.edition(ID).runtime.database.db;
    const event = await db
      .selectFrom('webhook_events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('event_type', '=', 'NEW_TIME_ENTRY')
      .executeTakeFirstOrThrow();
    for (const delivery of [first!, second!, third!]) {
      // The same message each time: its id is the event's, so the receiver can deduplicate retries.
      expect(delivery.headers['webhook-id']).toBe(event.id);
      expect(delivery.headers['clockify-webhook-event-type']).toBe('NEW_TIME_ENTRY');
      expect(delivery.headers['content-type']).toContain('application/json');
      expect(verifyStandard(secret, delivery.headers, delivery.body)).toBe(true);
      expect(JSON.parse(delivery.body)).toEqual(JSON.parse(event.payload_json));
      expect(delivery.headers['clockify-signature']).toBeUndefined();
    }
    expect(verifyStandard('whsec_' + Buffer.from('some other secret').toString('base64'), third!.headers, third!.body)).toBe(false);
    // Retries wait (backoff) instead of hammering a failing receiver.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(400);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(400);

    const job = await eventually(async () => {
      const row = await db
        .selectFrom('jobs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'webhook.forward')
        .executeTakeFirst();
      return row?.status === 'done' ? row : undefined;
    });
    expect(job.attempts).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(3);

    const lines = stack.logs.lines().filter((line) => line.eventId === event.id);
    expect(lines.filter((line) => line.msg === 'forwarding refused by the receiver').map((line) => line.status)).toEqual([500, 500]);
    expect(lines.filter((line) => line.msg === 'event forwarded').map((line) => line.status)).toEqual([200]);
    expect(stack.logs.text()).not.toContain(secret.replace(/^whsec_/, ''));

    // The sidebar shows what the event triggered.
    const detail = await stack.ui(ID, `/ui/webhooks/events/${event.id}`);
    expect(detail.body.event.triggered).toMatchObject({ forwarding: { forwarded: 'queued' } });
  });
});

describe('forwarding to a loopback receiver without the allowlist', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver([200]);
    stack = await startStack({ editions: [ID] });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('delivers nothing and fails the job with a clear reason', async () => {
    const { workspaceId } = await stack.install(ID);
    await stack.sandbox.updateSettings({
      addonKey: stack.edition(ID).runtime.editionConfig.key,
      workspaceId,
      values: { forwarding_url: receiver.url },
    });
    await stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId });
    const db = stack.edition(ID).runtime.database.db;
    const job = await eventually(async () => {
      const row = await db
        .selectFrom('jobs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'webhook.forward')
        .executeTakeFirst();
      return row?.last_error ? row : undefined;
    }, 15_000);
    expect(job.last_error).toMatch(/127\.0\.0\.1 is blocked/);
    expect(job.status).not.toBe('done');
    expect(receiver.received).toHaveLength(0);
    expect(stack.logs.lines().some((line) => line.msg === 'forwarding failed' && /blocked/.test(String(line.error)))).toBe(true);
  });
});
