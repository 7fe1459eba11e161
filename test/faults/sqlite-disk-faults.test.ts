/**
 * SQLite that cannot be written: a full disk (simulated with max_page_count, which fails page
 * allocation with the same SQLITE_FULL a full file system gives) and a read-only file (query_only,
 * which fails writes with SQLITE_READONLY as a read-only mount does). Webhooks get 503 with
 * Retry-After, /ready fails naming the database, nothing acknowledged is lost, and both recover by
 * themselves once the disk has room or the file is writable again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describe } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { webhookToken } from '../production/support/instances.js';
import { deliver, lostAcknowledged, project, storedProjectIds } from './support/burst.js';

describe('SQLite disk faults', () => {
  let stack: Stack;
  let database: Database;
  let url: string;
  let workspaceId: string;
  let token: string;

  beforeEach(async () => {
    stack = await startStack({ editions: ['clockify-addon'], dialect: 'sqlite', env: { CLOCKIFY_ADDON_RUN_ON_INSTALL: 'false' } });
    ({ workspaceId } = await stack.install('clockify-addon'));
    const edition = stack.edition('clockify-addon');
    database = edition.runtime.database;
    url = edition.url;
    token = await webhookToken(database, workspaceId, 'NEW_PROJECT');
  });
  afterEach(async () => stack?.close());

  const ready = async () => {
    const response = await fetch(`${url}/ready`);
    return { status: response.status, body: (await response.json()) as { detail?: string } };
  };
  const pragma = (text: string) => database.sqlite!.exclusive((connection) => connection.pragma(text, { simple: true }));
  /** A project with 64 KB of description: each needs pages of its own. */
  const bigProject = (id: string) => ({ ...project(workspaceId, id), note: 'x'.repeat(64 * 1024) });

  it('a full disk: 503 with Retry-After on webhooks, /ready fails, and it recovers once there is room', async () => {
    const answers = new Map<string, number>();
    const send = async (id: string) => {
      const answer = await deliver(url, 'NEW_PROJECT', token, bigProject(id));
      answers.set(id, answer.status);
      return answer;
    };
    expect((await send('before')).status).toBe(200);

    const pages = Number(await pragma('page_count'));
    await pragma(`max_page_count = ${pages}`);
    const refused = await send('while-full-1');
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBeDefined();
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/storage-unavailable$/), status: 503 });
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.detail).toMatch(/database.*SQLITE_FULL/);
    expect((await send('while-full-2')).status).toBe(503);

    // Room again (an operator freed disk space): ready without a restart, deliveries accepted.
    await pragma(`max_page_count = ${pages * 1000}`);
    await eventually(async () => (await ready()).status === 200, 10_000, 100);
    expect((await send('after')).status).toBe(200);
    // Clockify retries what was refused.
    expect((await send('while-full-1')).status).toBe(200);
    expect(lostAcknowledged(answers, await storedProjectIds(database, workspaceId))).toEqual([]);
  });

  it('a read-only file: 503 on writes and a failing /ready, even before any webhook failed; back when writable', async () => {
    await pragma('query_only = ON');
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.detail).toMatch(/database.*readonly/i);
    const refused = await deliver(url, 'NEW_PROJECT', token, project(workspaceId, 'ro-1'));
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBeDefined();

    await pragma('query_only = OFF');
    await eventually(async () => (await ready()).status === 200, 10_000, 100);
    expect((await deliver(url, 'NEW_PROJECT', token, project(workspaceId, 'ro-1'))).status).toBe(200);
    expect((await storedProjectIds(database, workspaceId)).has('ro-1')).toBe(true);
  });
});
