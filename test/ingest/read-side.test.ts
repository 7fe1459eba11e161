/**
 * Issue 5, read side: the sidebar lists events with filters and cursor pagination, shows one event
 * with its payload and what it triggered, and streams new events live — each workspace only its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessableEvent } from '../../src/events/consumers.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { postWebhook, storedWebhookToken } from '../lifecycle/support.js';
import { timeEntryPayload } from './support.js';

const ID = 'universal-webhook';

interface SseMessage {
  event: string;
  data: any;
}

/** Opens the SSE stream and collects its messages until `close()`. */
async function openStream(url: string): Promise<{ status: number; messages: SseMessage[]; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  const messages: SseMessage[] = [];
  if (response.ok && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) messages.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return { status: response.status, messages, close: () => controller.abort() };
}

describe('webhook log for the sidebar', () => {
  let stack: Stack;
  let ws1: string;
  let ws2: string;
  let token1: Record<string, string>;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const posted: { id: string; type: string; batch: 'a' | 'b'; held: boolean }[] = [];
  let boundary: Date;

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], sandbox: { seed: { workspaces: 2, users: 3, projects: 6, timeEntries: 20 } } });
    const [first, second] = stack.sandbox.workspaces();
    ws1 = first!.id;
    ws2 = second!.id;
    await stack.install(ID, ws1);
    await stack.install(ID, ws2);
    const edition = stack.edition(ID);
    // Events marked "hold" stay in processing until the test lets them go: a "received" status to filter on.
    edition.runtime.consumers.push({
      name: 'probe',
      async consume(event: ProcessableEvent) {
        if ((event.payload as { description?: string }).description === 'hold') await held;
        return { probed: event.eventType };
      },
    });
    token1 = {};
    for (const event of ['NEW_TIME_ENTRY', 'NEW_PROJECT', 'TIME_ENTRY_UPDATED'])
      token1[event] = await storedWebhookToken(edition, ws1, event);

    const send = async (type: string, batch: 'a' | 'b', hold = false) => {
      const reply = await postWebhook(edition, {
        event: type,
        token: token1[type]!,
        body: timeEntryPayload(ws1, hold ? { description: 'hold' } : {}),
      });
      expect(reply.status).toBe(200);
      posted.push({ id: reply.body.eventId, type, batch, held: hold });
    };
    for (const type of ['NEW_TIME_ENTRY', 'NEW_PROJECT', 'NEW_TIME_ENTRY', 'TIME_ENTRY_UPDATED']) await send(type, 'a');
    await new Promise((resolve) => setTimeout(resolve, 30));
    boundary = new Date();
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (const type of ['NEW_PROJECT', 'NEW_TIME_ENTRY', 'NEW_TIME_ENTRY']) await send(type, 'b');
    await send('NEW_TIME_ENTRY', 'b', true);
    // Another workspace's event, never to be seen from workspace 1.
    const other = await postWebhook(edition, {
      event: 'NEW_TIME_ENTRY',
      token: await storedWebhookToken(edition, ws2, 'NEW_TIME_ENTRY'),
      body: timeEntryPayload(ws2),
    });
    expect(other.status).toBe(200);
    await eventually(async () => {
      const rows = await edition.runtime.database.db
        .selectFrom('webhook_events')
        .select('status')
        .where('workspace_id', '=', ws1)
        .where('status', '=', 'processed')
        .execute();
      return rows.length === posted.filter((p) => !p.held).length;
    }, 15_000);
  }, 60_000);
  afterAll(async () => {
    release();
    await stack?.close();
  });

  const list = async (query: string, token?: string) => {
    const response = await stack.ui(ID, `/ui/webhooks/events${query}`, token ? { token } : {});
    expect(response.status).toBe(200);
    return response.body as { events: { id: string; eventType: string; status: string; workspaceId: string }[]; nextCursor: string | null };
  };
  const idsOf = (filter: (p: (typeof posted)[number]) => boolean) =>
    posted
      .filter(filter)
      .map((p) => p.id)
      .reverse();

  it("lists the workspace's events newest first, filtered by type, status and date range", async () => {
    const all = await list('');
    expect(all.events.map((e) => e.id)).toEqual(idsOf(() => true));
    expect(all.events.every((e) => e.workspaceId === ws1)).toBe(true);

    expect((await list('?type=NEW_PROJECT')).events.map((e) => e.id)).toEqual(idsOf((p) => p.type === 'NEW_PROJECT'));
    expect((await list('?type=NEW_PROJECT,TIME_ENTRY_UPDATED')).events.map((e) => e.id)).toEqual(idsOf((p) => p.type !== 'NEW_TIME_ENTRY'));
    expect((await list('?status=received')).events.map((e) => e.id)).toEqual(idsOf((p) => p.held));
    expect((await list('?status=processed')).events.map((e) => e.id)).toEqual(idsOf((p) => !p.held));
    const iso = encodeURIComponent(boundary.toISOString());
    expect((await list(`?from=${iso}`)).events.map((e) => e.id)).toEqual(idsOf((p) => p.batch === 'b'));
    expect((await list(`?to=${iso}`)).events.map((e) => e.id)).toEqual(idsOf((p) => p.batch === 'a'));
    expect((await list(`?from=${iso}&type=NEW_TIME_ENTRY&status=processed`)).events.map((e) => e.id)).toEqual(
      idsOf((p) => p.batch === 'b' && p.type === 'NEW_TIME_ENTRY' && !p.held),
    );

    const backwards = await stack.ui(
      ID,
      `/ui/webhooks/events?from=${iso}&to=${encodeURIComponent(new Date(boundary.getTime() - 60_000).toISOString())}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.type).toMatch(/bad-range$/);
    expect((await stack.ui(ID, '/ui/webhooks/events?status=bogus')).status).toBe(400);
  });

  it('pages through every event with the cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(idsOf(() => true));
  });

  it('shows one event with its payload, kept headers and what it triggered; not to another workspace', async () => {
    const target = posted.find((p) => p.type === 'NEW_PROJECT' && p.batch === 'a')!;
    const detail = await stack.ui(ID, `/ui/webhooks/events/${target.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.event).toMatchObject({ id: target.id, eventType: 'NEW_PROJECT', status: 'processed', workspaceId: ws1 });
    expect(detail.body.event.payload).toMatchObject({ workspaceId: ws1, description: expect.any(String) });
    expect(detail.body.event.headers['clockify-webhook-event-type']).toBe('NEW_PROJECT');
    expect(detail.body.event.headers['clockify-signature']).toBeUndefined();
    expect(detail.body.event.triggered).toMatchObject({ probe: { probed: 'NEW_PROJECT' } });
    expect(Array.isArray(detail.body.flowRuns)).toBe(true);
    expect(JSON.stringify(detail.body)).not.toContain(token1.NEW_PROJECT!);

    const otherToken = await stack.userToken(ID, 'OWNER', ws2);
    const foreign = await stack.ui(ID, `/ui/webhooks/events/${target.id}`, { token: otherToken });
    expect(foreign.status).toBe(404);
    const otherList = await list('', otherToken);
    expect(otherList.events).toHaveLength(1);
    expect(otherList.events[0]!.workspaceId).toBe(ws2);
  });

  it('streams new events live over SSE to their workspace only', async () => {
    const edition = stack.edition(ID);
    const userToken1 = await stack.userToken(ID, 'REGULAR', ws1);
    const userToken2 = await stack.userToken(ID, 'OWNER', ws2);
    const refused = await fetch(`${edition.url}/ui/webhooks/stream?auth_token=garbage`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    const mine = await openStream(`${edition.url}/ui/webhooks/stream?auth_token=${userToken1}`);
    const theirs = await openStream(`${edition.url}/ui/webhooks/stream?auth_token=${userToken2}`);
    try {
      expect(mine.status).toBe(200);
      await eventually(() => mine.messages.some((m) => m.event === 'ready') && theirs.messages.some((m) => m.event === 'ready'));
      expect(mine.messages.find((m) => m.event === 'ready')!.data).toEqual({ workspaceId: ws1 });

      await stack.sandbox.trigger('NEW_TIMER_STARTED', { workspaceId: ws1 });
      const received = await eventually(() =>
        mine.messages.find((m) => m.event === 'webhook' && m.data.eventType === 'NEW_TIMER_STARTED' && m.data.status === 'received'),
      );
      await eventually(() =>
        mine.messages.find((m) => m.event === 'webhook' && m.data.id === received.data.id && m.data.status === 'processed'),
      );
      const stored = await edition.runtime.database.db
        .selectFrom('webhook_events')
        .select('workspace_id')
        .where('id', '=', received.data.id)
        .executeTakeFirstOrThrow();
      expect(stored.workspace_id).toBe(ws1);
      // Workspace 2's stream saw its hello (and perhaps its own bootstrap progress), nothing of workspace 1's webhooks.
      expect(theirs.messages.filter((m) => m.event === 'webhook')).toEqual([]);
      expect(JSON.stringify(theirs.messages)).not.toContain(received.data.id);
      expect(JSON.stringify(theirs.messages)).not.toContain(ws1);
    } finally {
      mine.close();
      theirs.close();
    }
    // The token travelled in the query string: it must not have reached the logs.
    expect(stack.logs.text()).not.toContain(userToken1);
    expect(stack.logs.text()).not.toContain(userToken2);
  });
});
