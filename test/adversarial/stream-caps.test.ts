/**
 * Live event streams (SSE) are capped per user, per workspace and per process, with a 429 problem
 * naming the cap, and each stream ends when the token that opened it expires or when its client
 * stops reading (its backlog would otherwise grow in the server's memory without end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStreamCount } from '../../src/ingest/stream-caps.js';
import { eventually } from '../helpers/stack.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

interface OpenStream {
  status: number;
  contentType: string;
  body: ReadableStreamDefaultReader<Uint8Array> | undefined;
  text: () => Promise<string>;
  close: () => Promise<void>;
}

describe('live event streams', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let b: InstalledWorkspace;
  let base: string;
  const open: OpenStream[] = [];

  beforeAll(async () => {
    h = await createHarness('universal-webhook', {
      env: { SSE_MAX_STREAMS_PER_USER: '2', SSE_MAX_STREAMS_PER_WORKSPACE: '3', SSE_MAX_STREAMS_PER_PROCESS: '4' },
    });
    a = await h.install();
    b = await h.install();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const stream of open) await stream.close();
    await h?.close();
  });

  const stream = async (token: string): Promise<OpenStream> => {
    const controller = new AbortController();
    const response = await fetch(`${base}/ui/webhooks/stream?auth_token=${encodeURIComponent(token)}`, { signal: controller.signal });
    const reader = response.status === 200 ? response.body!.getReader() : undefined;
    const result: OpenStream = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: reader,
      text: () => (reader ? Promise.resolve('') : response.text()),
      close: async () => {
        controller.abort();
        await reader?.cancel().catch(() => undefined);
      },
    };
    if (reader) {
      open.push(result);
      // The first event says the stream is live: the slot is taken once the server wrote it.
      await reader.read();
    }
    return result;
  };
  const tokenOf = (workspace: InstalledWorkspace, user: string, extra: Record<string, unknown> = {}) =>
    workspace.userToken('TEAM_MANAGER', { user, ...extra });
  // The server frees a slot when it sees the connection close: retried until it has.
  const openedOnceFree = (token: string) =>
    eventually(async () => {
      const opened = await stream(token);
      return opened.status === 200 ? opened : undefined;
    });
  const closeAll = async () => {
    for (const s of open.splice(0)) await s.close();
    await eventually(() => openStreamCount() === 0);
  };

  it("refuses a user's third stream, a workspace's fourth and the process's fifth, each with a 429 naming its cap", async () => {
    const u1 = await tokenOf(a, 'user-1');
    expect((await stream(u1)).status).toBe(200);
    expect((await stream(u1)).status).toBe(200);
    const userCap = await stream(u1);
    expect(userCap.status).toBe(429);
    expect(userCap.contentType).toContain('application/problem+json');
    expect(JSON.parse(await userCap.text())).toMatchObject({
      status: 429,
      type: expect.stringContaining('too-many-streams'),
      detail: expect.stringContaining('SSE_MAX_STREAMS_PER_USER'),
    });

    expect((await stream(await tokenOf(a, 'user-2'))).status).toBe(200);
    const workspaceCap = await stream(await tokenOf(a, 'user-3'));
    expect(workspaceCap.status).toBe(429);
    expect(JSON.parse(await workspaceCap.text()).detail).toContain('SSE_MAX_STREAMS_PER_WORKSPACE');

    expect((await stream(await tokenOf(b, 'user-4'))).status).toBe(200);
    const processCap = await stream(await tokenOf(b, 'user-5'));
    expect(processCap.status).toBe(429);
    expect(JSON.parse(await processCap.text()).detail).toContain('SSE_MAX_STREAMS_PER_PROCESS');

    // Everything else still answers meanwhile.
    const other = await fetch(`${base}/ui/flows`, { headers: { authorization: `Bearer ${await tokenOf(b, 'user-5')}` } });
    expect(other.status).toBe(200);
    await closeAll();
  });

  it('gives the slot back when a stream closes', async () => {
    const u1 = await tokenOf(a, 'user-1');
    const first = await openedOnceFree(u1);
    expect((await stream(u1)).status).toBe(200);
    expect((await stream(u1)).status).toBe(429);
    await first.close();
    expect((await openedOnceFree(u1)).status).toBe(200);
    await closeAll();
  });

  it('ends a stream when its token expires', async () => {
    const soon = await tokenOf(a, 'user-6', { exp: Math.floor(Date.now() / 1000) + 2 });
    const live = await stream(soon);
    expect(live.status).toBe(200);
    let received = '';
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await live.body!.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value);
    }
    expect(received).toContain('event: token-expired');
    // The slot it held is free again.
    expect((await openedOnceFree(await tokenOf(a, 'user-6'))).status).toBe(200);
    await closeAll();
  });

  it('ends a stream whose client stops reading, saying so, instead of keeping its backlog', async () => {
    const reader = await stream(await tokenOf(a, 'user-7'));
    expect(reader.status).toBe(200);
    // Not read meanwhile: about 20 MB of events for the workspace, more than any socket buffer holds.
    const padding = 'x'.repeat(10_000);
    for (let i = 0; i < 2_000; i++)
      h.runtime.bus.publish({
        kind: 'webhook',
        workspaceId: a.workspaceId,
        data: { id: `e${i}`, eventType: 'NEW_TAG', userId: 'user-7', padding },
      });
    let received = '';
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader.body!.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value, { stream: true });
    }
    expect(received.endsWith('event: overflow\ndata: {}\n\n')).toBe(true);
    expect(received.split('event: webhook').length - 1).toBeLessThan(2_000);
    expect((await openedOnceFree(await tokenOf(a, 'user-7'))).status).toBe(200);
    await closeAll();
  });

  it("delivers a member's own events, and only those, without reading them back from the database", async () => {
    const member = await a.userToken('REGULAR', { user: 'user-8' });
    const live = await stream(member);
    expect(live.status).toBe(200);
    h.runtime.bus.publish({
      kind: 'webhook',
      workspaceId: a.workspaceId,
      data: { id: 'not-stored-1', eventType: 'NEW_TAG', userId: 'someone-else' },
    });
    h.runtime.bus.publish({
      kind: 'webhook',
      workspaceId: a.workspaceId,
      data: { id: 'not-stored-2', eventType: 'NEW_TAG', userId: 'user-8' },
    });
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('not-stored-2')) received += decoder.decode((await live.body!.read()).value, { stream: true });
    expect(received).not.toContain('not-stored-1');
    await closeAll();
  });
});
