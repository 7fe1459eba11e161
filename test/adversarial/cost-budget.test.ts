/**
 * The cost budget: a member's expensive requests (dry runs, explorer calls, searches, streams) are
 * counted in a token bucket per member and answered 429 `too-many-requests` with Retry-After past
 * it, while the member's other requests and other members go on; after the wait it works again.
 * Refused tokens are counted per IP address the same way, and so are webhook bodies refused before
 * any check (too deep, not JSON): Clockify never sends those, so its deliveries are never held up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { readResourceJson } from '../../src/resources.js';
import { createHarness, expectProblem } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const flow = {
  name: 'budget',
  enabled: false,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules: [{ path: '$.description', op: 'contains', value: 'x' }] },
  actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
};
const dryRun = JSON.stringify({ definition: flow, sample: { description: 'x' } });
const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');

describe('cost budget', () => {
  let h: Harness;
  let a: InstalledWorkspace;

  beforeAll(async () => {
    // Three at once, then one a second; refusals answered at once so the test does not wait for them.
    h = await createHarness('universal-webhook', {
      env: {
        COST_BUDGET_BURST: '3',
        COST_BUDGET_PER_MINUTE: '60',
        COST_BUDGET_IP_BURST: '2',
        COST_BUDGET_IP_PER_MINUTE: '60',
        COST_BUDGET_REFUSAL_DELAY_MS: '0',
      },
    });
    a = await h.install();
  });
  afterAll(async () => {
    await h?.close();
  });

  const headers = async (user: string) => ({
    authorization: `Bearer ${await a.userToken('TEAM_MANAGER', { user })}`,
    'content-type': 'application/json',
  });
  const test = async (user: string, remoteAddress = '127.0.0.1') =>
    h.send({ method: 'POST', url: '/ui/flows/test', headers: await headers(user), payload: dryRun, remoteAddress });

  it('answers 429 with Retry-After once a member has spent the burst, and works again after the wait', async () => {
    for (let i = 0; i < 3; i++) expect((await test('member-a')).statusCode).toBe(200);
    const refused = await test('member-a');
    expect(refused.statusCode).toBe(429);
    expectProblem(refused);
    expect(refused.json()).toMatchObject({
      type: expect.stringContaining('too-many-requests'),
      detail: expect.stringContaining('COST_BUDGET_BURST 3'),
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    // Only the expensive routes are counted, and only this member's.
    expect((await h.send({ method: 'GET', url: '/ui/flows', headers: await headers('member-a') })).statusCode).toBe(200);
    expect((await test('member-b')).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    const again = await test('member-a');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().matched).toBe(true);
  });

  it('counts explorer calls, searches and streams in the same bucket', async () => {
    const user = 'member-c';
    for (let i = 0; i < 3; i++)
      expect((await h.send({ method: 'GET', url: '/ui/inspector/events?q=x', headers: await headers(user) })).statusCode).toBe(200);
    expect(
      (
        await h.send({
          method: 'POST',
          url: '/ui/api-explorer/execute',
          headers: await headers(user),
          payload: JSON.stringify({ operationId: 'getTags' }),
        })
      ).statusCode,
    ).toBe(429);
    expect((await h.send({ method: 'GET', url: '/ui/webhooks/stream', headers: await headers(user) })).statusCode).toBe(429);
  });

  it('answers 429 to an address whose tokens keep being refused, before looking at the next token', async () => {
    const remoteAddress = '10.9.8.7';
    for (let i = 0; i < 2; i++) {
      const refused = await h.send({ method: 'GET', url: '/ui/flows', headers: { authorization: 'Bearer not-a-token' }, remoteAddress });
      expect(refused.statusCode).toBe(401);
    }
    const blocked = await h.send({ method: 'GET', url: '/ui/flows', headers: await headers('member-d'), remoteAddress });
    expect(blocked.statusCode).toBe(429);
    expectProblem(blocked);
    expect(blocked.json().detail).toContain('COST_BUDGET_IP_BURST 2');
    // Another address is not concerned.
    expect(
      (await h.send({ method: 'GET', url: '/ui/flows', headers: await headers('member-d'), remoteAddress: '10.9.8.6' })).statusCode,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Number(blocked.headers['retry-after']) * 1000 + 50));
    expect((await h.send({ method: 'GET', url: '/ui/flows', headers: await headers('member-d'), remoteAddress })).statusCode).toBe(200);
  });

  it('answers 429 to an address whose webhook bodies keep being refused, and never counts refused signatures', async () => {
    const url = webhookPath('NEW_TIME_ENTRY');
    const signed = {
      'content-type': 'application/json',
      'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
      'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY!,
    };
    const delivery = (id: string) => JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id });
    const deep = `{"workspaceId":"${a.workspaceId}","x":${'['.repeat(500)}${']'.repeat(500)}}`;
    const attacker = '10.9.8.20';
    expect((await h.send({ method: 'POST', url, headers: signed, payload: deep, remoteAddress: attacker })).statusCode).toBe(400);
    expect((await h.send({ method: 'POST', url, headers: signed, payload: '{"not json', remoteAddress: attacker })).statusCode).toBe(400);
    const blocked = await h.send({ method: 'POST', url, headers: signed, payload: delivery('after-refusals'), remoteAddress: attacker });
    expect(blocked.statusCode).toBe(429);
    expectProblem(blocked);
    expect(blocked.json().detail).toContain('webhook bodies refused');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Clockify's own address: deliveries with a stale signature are refused one by one, never budgeted.
    const clockify = '10.9.8.21';
    for (let i = 0; i < 3; i++) {
      const stale = await h.send({
        method: 'POST',
        url,
        headers: { ...signed, 'clockify-signature': 'stale' },
        payload: delivery(`stale-${i}`),
        remoteAddress: clockify,
      });
      expect(stale.statusCode).toBe(401);
    }
    expect(
      (await h.send({ method: 'POST', url, headers: signed, payload: delivery('from-clockify'), remoteAddress: clockify })).statusCode,
    ).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Number(blocked.headers['retry-after']) * 1000 + 50));
    expect(
      (await h.send({ method: 'POST', url, headers: signed, payload: delivery('after-the-wait'), remoteAddress: attacker })).statusCode,
    ).toBe(200);
  });
});
