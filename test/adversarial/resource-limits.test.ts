/**
 * Resource limits: a client that trickles its request is cut off, bodies over the limit are refused
 * before they are parsed, and one workspace's flood of webhooks does not starve another's.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { readResourceJson } from '../../src/resources.js';
import { API_BODY_LIMIT, WEBHOOK_BODY_LIMIT } from '../../src/server/app.js';
import { describeEachDialect } from '../helpers/databases.js';
import { createHarness, expectProblem } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');
/** Bound on how long the server may take to cut a stalled client in the test setup below. */
const CUT_OFF_DEADLINE_MS = 10_000;

interface RawOutcome {
  closed: boolean;
  received: string;
}

/** Opens a raw connection, runs `feed` on it, and resolves when the server closes it (or the deadline passes). */
function rawConnection(port: number, feed: (socket: Socket, closed: () => boolean) => Promise<void>): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    const deadline = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, received });
    }, CUT_OFF_DEADLINE_MS);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(deadline);
      resolve({ closed: true, received });
    });
    socket.on('connect', () => void feed(socket, () => closed).catch(() => undefined));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slow clients are cut off', () => {
  let h: Harness;
  let app: FastifyInstance;
  let port: number;
  let configured: { requestTimeout: number; headersTimeout: number };

  beforeAll(async () => {
    // The default is 30 s; an operator's setting of one second makes the test take a second.
    h = await createHarness('universal-webhook', { env: { HTTP_REQUEST_TIMEOUT_SECONDS: '1' } });
    app = h.app;
    configured = { requestTimeout: app.server.requestTimeout, headersTimeout: app.server.headersTimeout };
    // Node checks for timed-out requests every 30 s by default; look more often here.
    (app.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = 100;
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(() => h?.close());

  it('takes its request timeout from HTTP_REQUEST_TIMEOUT_SECONDS', () => {
    expect(configured.requestTimeout).toBe(1_000);
    expect(configured.headersTimeout).toBeLessThanOrEqual(1_000);
  });

  it('closes a connection whose headers arrive one byte at a time', async () => {
    const outcome = await rawConnection(port, async (socket, closed) => {
      socket.write('POST /webhooks/clockify HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
      while (!closed()) {
        socket.write('a');
        await pause(50);
      }
    });
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('closes a connection whose body never finishes', async () => {
    const outcome = await rawConnection(port, async (socket) => {
      socket.write(
        'POST /webhooks/clockify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":',
      );
    });
    expect(outcome.closed).toBe(true);
    expect(outcome.received).not.toMatch(/^HTTP\/1\.1 2/);
  });

  it('keeps serving everyone else meanwhile', async () => {
    const stalled = rawConnection(port, async (socket) => void socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect((await stalled).closed).toBe(true);
  });

  it('refuses an oversize chunked webhook body that announced no length', async () => {
    const outcome = await rawConnection(port, async (socket) => {
      socket.write(
        'POST /webhooks/clockify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      );
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 6 && !socket.destroyed; i++) {
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        socket.write('\r\n');
        await pause(5);
      }
      if (!socket.destroyed) socket.write('0\r\n\r\n');
    });
    expect(outcome.received).toMatch(/^HTTP\/1\.1 413/);
    expect(outcome.received).toContain('application/problem+json');
  });
});

describe('oversize bodies are refused with 413', () => {
  let h: Harness;
  let a: InstalledWorkspace;

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
  });
  afterAll(() => h?.close());

  /** A JSON document of exactly `bytes` bytes. */
  const jsonOfSize = (bytes: number) => `{"pad":"${'x'.repeat(bytes - 10)}"}`;

  it('refuses a UI API body one byte over 1 MB, and accepts one just under for parsing', async () => {
    const owner = await a.userToken('OWNER');
    const over = await h.attack(
      {
        method: 'POST',
        url: '/ui/flows',
        headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
        payload: jsonOfSize(API_BODY_LIMIT + 1),
      },
      { allow2xx: false },
    );
    expect(over.statusCode).toBe(413);
    expectProblem(over);
    const under = await h.attack(
      {
        method: 'POST',
        url: '/ui/flows',
        headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
        payload: jsonOfSize(API_BODY_LIMIT - 100),
      },
      { allow2xx: false },
    );
    expect(under.statusCode).toBe(400);
  });

  it('refuses a lifecycle body over 1 MB', async () => {
    const over = await h.attack(
      {
        method: 'POST',
        url: '/lifecycle/status-changed',
        headers: { 'x-addon-lifecycle-token': a.lifecycleToken, 'content-type': 'application/json' },
        payload: jsonOfSize(API_BODY_LIMIT + 1),
      },
      { allow2xx: false },
    );
    expect(over.statusCode).toBe(413);
  });

  it('refuses a Clockify webhook body one byte over 5 MB, and takes a signed one just under', async () => {
    const headers = {
      'content-type': 'application/json',
      'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
      'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY!,
    };
    const over = await h.attack(
      { method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers, payload: jsonOfSize(WEBHOOK_BODY_LIMIT + 1) },
      { allow2xx: false },
    );
    expect(over.statusCode).toBe(413);
    expectProblem(over);
    const body = JSON.stringify({
      ...samples.NEW_TIME_ENTRY,
      workspaceId: a.workspaceId,
      description: 'd'.repeat(WEBHOOK_BODY_LIMIT - 10_000),
    });
    const under = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers, payload: body });
    expect(under.statusCode).toBe(200);
  });

  it('refuses a custom-source webhook body over 5 MB', async () => {
    const over = await h.attack(
      {
        method: 'POST',
        url: '/webhooks/custom/any-source',
        headers: { 'content-type': 'application/json' },
        payload: jsonOfSize(WEBHOOK_BODY_LIMIT + 1),
      },
      { allow2xx: false },
    );
    expect(over.statusCode).toBe(413);
  });
});

describeEachDialect("fair queueing: one workspace's flood does not starve another", (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness('universal-webhook', { dialect });
  });
  afterAll(() => h?.close());

  it("claims B's single job among the first claims after thousands of A's", async () => {
    const { queue, database } = h.runtime;
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2000; i++) await queue.enqueue({ kind: 'flood.test', workspaceId: 'workspace-a', payload: { i } }, trx);
    });
    const bJob = await queue.enqueue({ kind: 'flood.test', workspaceId: 'workspace-b' });
    const firstClaim = await queue.claim('worker-1', 4);
    expect(firstClaim.map((job) => job.id)).toContain(bJob);
    expect(firstClaim.filter((job) => job.workspaceId === 'workspace-a').length).toBe(3);
  });

  it("processes B's webhook ahead of a flood of A's webhooks", async () => {
    const a = await h.install();
    const b = await h.install();
    await h.runtime.database.db.deleteFrom('jobs').execute();
    // Events nothing acts on are not queued: a consumer that acts on every event makes each one need processing.
    h.runtime.consumers.push({ name: 'acts-on-all', consume: async () => ({}) });
    const send = (workspace: InstalledWorkspace, n: number) =>
      h.send({
        method: 'POST',
        url: webhookPath('NEW_TIME_ENTRY'),
        headers: {
          'content-type': 'application/json',
          'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
          'clockify-signature': workspace.webhookTokens.NEW_TIME_ENTRY!,
        },
        payload: JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: workspace.workspaceId, id: `entry-${n}` }),
      });
    for (let i = 0; i < 300; i++) expect((await send(a, i)).statusCode).toBe(200);
    expect((await send(b, 0)).statusCode).toBe(200);
    const claimed = await h.runtime.queue.claim('worker-1', 2);
    expect(claimed.map((job) => job.workspaceId).sort()).toEqual([a.workspaceId, b.workspaceId].sort());
  });
});
