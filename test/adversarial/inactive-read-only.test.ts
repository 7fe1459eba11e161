/**
 * INACTIVE means read-only: while Clockify says the add-on is deactivated in a workspace, every write
 * of the sidebar's API — every route from the server's own route table that is not a read — answers
 * an owner 409 problem+json saying why, and changes nothing; reads keep working. Activated again, the
 * same writes work. On both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { addonClaims } from './support/forge.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';
import { READING_POSTS, uiRoutesOf } from './support/ui-routes.js';

describeEachDialect('an inactive installation is read-only from the sidebar', (dialect) => {
  let h: Harness;
  let a: InstalledWorkspace;
  let owner: string;
  let member: string;
  let flowId: string;

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const setStatus = async (status: 'ACTIVE' | 'INACTIVE') => {
    const token = await h.forge.sign(addonClaims(a.claims, { iat: Math.floor(Date.now() / 1000) }));
    const response = await h.send({
      method: 'POST',
      url: '/lifecycle/status-changed',
      headers: { 'x-addon-lifecycle-token': token, 'content-type': 'application/json' },
      payload: JSON.stringify({ workspaceId: a.workspaceId, addonId: a.addonId, status }),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(JSON.parse(response.body).outcome).toBe('applied');
  };

  beforeAll(async () => {
    // No bootstrap at install: the trigger at the end must find none running.
    h = await createHarness('universal-webhook', { dialect, env: { UW_ENABLE_HTTP_ACTIONS: 'true', UW_RUN_ON_INSTALL: 'false' } });
    a = await h.install();
    owner = await a.userToken('OWNER');
    member = await a.userToken('REGULAR');
    const flow = await h.send({
      method: 'POST',
      url: '/ui/flows',
      headers: auth(owner),
      payload: JSON.stringify({
        definition: {
          name: 'tags',
          enabled: true,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [] },
          actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
        },
      }),
    });
    expect(flow.statusCode, flow.body).toBe(201);
    flowId = JSON.parse(flow.body).flow.id;
    await setStatus('INACTIVE');
  }, 60_000);
  afterAll(() => h?.close());

  it('every write answers the owner 409 with the reason, and nothing changes', async () => {
    const writes = (await uiRoutesOf(h)).filter((route) => route.method !== 'GET' && !READING_POSTS.has(route.url));
    expect(writes.map((route) => `${route.method} ${route.url}`)).toEqual(
      expect.arrayContaining(['POST /ui/bootstrap/trigger', 'POST /ui/flows', 'DELETE /ui/flows/:flowId', 'POST /ui/sources']),
    );
    for (const { url, method } of writes) {
      const path = url.replace(/:flowId/g, flowId).replace(/:[A-Za-z]+/g, 'probe');
      const response = await h.attack(
        { method: method as 'POST', url: path, headers: auth(owner), payload: JSON.stringify({ mode: 'full' }) },
        { allow2xx: false },
      );
      const where = `${method} ${url}: ${response.body.slice(0, 200)}`;
      expect(response.statusCode, where).toBe(409);
      const problem = JSON.parse(response.body);
      expect(problem.type, where).toMatch(/\/addon-inactive$/);
      expect(problem.detail, where).toMatch(/^The add-on is deactivated in this workspace; /);
    }
  });

  it('an explorer call that writes to Clockify is refused too; one that reads still runs', async () => {
    const before = h.stub.requests.length;
    const write = await h.attack(
      {
        method: 'POST',
        url: '/ui/api-explorer/execute',
        headers: auth(owner),
        payload: JSON.stringify({ operationId: 'createNewTag', body: { name: 'while inactive' } }),
      },
      { allow2xx: false },
    );
    expect(write.statusCode).toBe(409);
    expect(h.stub.requests.slice(before).filter((request) => request.method !== 'GET')).toEqual([]);
    const read = await h.attack({
      method: 'POST',
      url: '/ui/api-explorer/execute',
      headers: auth(owner),
      payload: JSON.stringify({ operationId: 'getTags' }),
    });
    expect(read.statusCode).toBe(200);
  });

  it('reads keep working, and say the add-on is inactive', async () => {
    const me = await h.attack({ method: 'GET', url: '/ui/me', headers: auth(owner) });
    expect(JSON.parse(me.body).installation.status).toBe('INACTIVE');
    for (const url of ['/ui/webhooks/events', '/ui/flows', `/ui/flows/${flowId}`, '/ui/bootstrap/status', '/ui/settings']) {
      expect((await h.attack({ method: 'GET', url, headers: auth(owner) })).statusCode, url).toBe(200);
    }
  });

  it('a member is told the role rule first (403), whatever the state', async () => {
    const response = await h.attack(
      { method: 'POST', url: '/ui/bootstrap/trigger', headers: auth(member), payload: '{}' },
      { allow2xx: false },
    );
    expect(response.statusCode).toBe(403);
  });

  it('activated again, the same writes work', async () => {
    await setStatus('ACTIVE');
    const trigger = await h.attack({ method: 'POST', url: '/ui/bootstrap/trigger', headers: auth(owner), payload: '{}' });
    expect(trigger.statusCode, trigger.body).toBe(202);
    const disable = await h.attack({ method: 'POST', url: `/ui/flows/${flowId}/disable`, headers: auth(owner), payload: '{}' });
    expect(disable.statusCode, disable.body).toBe(200);
  });
});
