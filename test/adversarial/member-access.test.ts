/**
 * The role matrix of docs/security.md, walked route by route: every UI API route of every edition —
 * enumerated from the server's own route table, so a route added tomorrow is walked tomorrow — is
 * called with a regular member's token, in a workspace holding data about another user, an admin's
 * explorer calls, flow runs with installation-token answers and ADMINS-only settings.
 *
 * Asserted from the member's side, whatever the route: a write (anything but GET, except dry runs
 * and explorer calls, which store nothing) is a 403 that changes nothing; no answer holds another
 * user's ids or data, a rate or amount, an installation-token answer, an ADMINS-only setting or an
 * admin's explorer input; totals count only rows the member may list. Then the positive side: the
 * member does see their own event, run outcome and explorer call.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertEntities } from '../../src/bootstrap/cache.js';
import { EDITIONS } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { newId } from '../../src/util/ids.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually } from '../helpers/stack.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';
import { READING_POSTS, uiRoutesOf } from './support/ui-routes.js';

const EDITION_IDS = EDITIONS.map((edition) => edition.id) as EditionId[];
const tag = () => randomBytes(5).toString('hex');
const hexId = () => randomBytes(12).toString('hex');

interface Planted {
  memberId: string;
  otherId: string;
  memberEventId: string;
  otherEventId: string;
  memberRunId: string;
  otherRunId: string;
  flowId: string;
  adminCallId: string;
  memberCallId: string;
  /** Nothing of these may reach the member, in any answer. */
  forbidden: Record<string, string>;
}

async function plant(h: Harness, a: InstalledWorkspace, owner: string, member: string, memberId: string): Promise<Planted> {
  const db = h.runtime.database.db;
  const otherId = hexId();
  const forbidden: Record<string, string> = {
    'other user id': otherId,
    'other user data': `zz-other-entry-${tag()}`,
    'other user e-mail': `zz-other-${tag()}@example.com`,
    'member rate': String(900_000_000 + randomInt(99_999_999)),
    'member cost': String(800_000_000 + randomInt(99_999_999)),
    'other rate': String(700_000_000 + randomInt(99_999_999)),
    'installation-token answer': `zz-billing-street-${tag()}`,
    'admin explorer input': `zz-admin-query-${tag()}`,
    'run trace value': `zz-trace-${tag()}`,
  };
  const webhook = async (payload: Record<string, unknown>) => {
    const response = await h.send({
      method: 'POST',
      url: '/webhooks/clockify',
      headers: {
        'content-type': 'application/json',
        'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
        'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY!,
      },
      payload: JSON.stringify(payload),
    });
    expect(response.statusCode, response.body).toBe(200);
    return (JSON.parse(response.body) as { eventId: string }).eventId;
  };
  const entry = (userId: string, extra: Record<string, unknown>) => ({
    id: hexId(),
    workspaceId: a.workspaceId,
    userId,
    projectId: hexId(),
    billable: true,
    timeInterval: { start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z', duration: 'PT1H' },
    ...extra,
  });
  const memberEventId = await webhook(
    entry(memberId, {
      description: 'my own entry',
      hourlyRate: { amount: Number(forbidden['member rate']), currency: 'USD' },
      costRate: { amount: Number(forbidden['member cost']), currency: 'USD' },
      user: { id: memberId, name: 'Member' },
    }),
  );
  const otherEventId = await webhook(
    entry(otherId, {
      description: forbidden['other user data'],
      hourlyRate: { amount: Number(forbidden['other rate']), currency: 'USD' },
      user: { id: otherId, name: 'Other', email: forbidden['other user e-mail'] },
    }),
  );

  // Processing failed on the member's own event, quoting what Clockify answered the installation token.
  await db
    .updateTable('webhook_events')
    .set({
      status: 'failed',
      error: `flow tags: Clockify answered 500 ${forbidden['installation-token answer']}`,
      triggered_json: JSON.stringify({ flows: { error: `Clockify answered 500 ${forbidden['installation-token answer']}` } }),
    })
    .where('id', '=', memberEventId)
    .execute();

  const flow = await h.send({
    method: 'POST',
    url: '/ui/flows',
    headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      definition: {
        name: 'tags on entries',
        enabled: true,
        trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
        conditions: { mode: 'all', rules: [] },
        actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
      },
    }),
  });
  expect(flow.statusCode, flow.body).toBe(201);
  const flowId = (JSON.parse(flow.body) as { flow: { id: string } }).flow.id;

  // Runs as the executor records them: the trace holds payload values, the action result what Clockify answered the installation token.
  const now = Date.now();
  const run = async (eventId: string, status: 'succeeded' | 'dead') => {
    const id = newId(now);
    await db
      .insertInto('flow_runs')
      .values({
        id,
        workspace_id: a.workspaceId,
        flow_id: flowId,
        flow_version: 1,
        event_id: eventId,
        status,
        matched: 1,
        condition_trace_json: JSON.stringify([{ path: '$.description', actual: forbidden['run trace value'] }]),
        error: status === 'dead' ? `tags: Clockify answered 500 ${forbidden['installation-token answer']}` : null,
        dry_run: 0,
        replay_of: null,
        started_at: now,
        finished_at: now,
      })
      .execute();
    await db
      .insertInto('flow_action_results')
      .values({
        idempotency_key: `${eventId}:${flowId}:v1:tags`,
        run_id: id,
        workspace_id: a.workspaceId,
        action_id: 'tags',
        position: 0,
        status: status === 'dead' ? 'failed' : 'succeeded',
        request_json: JSON.stringify({ operationId: 'getTags' }),
        response_json: JSON.stringify({
          status: 200,
          body: [{ id: hexId(), name: 'client', address: forbidden['installation-token answer'] }],
        }),
        // A step's input holds earlier steps' answers too.
        input_json: JSON.stringify({ steps: { earlier: { body: { note: forbidden['installation-token answer'] } } } }),
        attempts: 1,
        duration_ms: 3,
        created_at: now,
      })
      .execute();
    return id;
  };
  const memberRunId = await run(memberEventId, 'dead');
  const otherRunId = await run(otherEventId, 'succeeded');

  const execute = async (token: string, name: string) => {
    const response = await h.send({
      method: 'POST',
      url: '/ui/api-explorer/execute',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ operationId: 'getTags', params: { name } }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const row = await db
      .selectFrom('api_calls')
      .select('id')
      .where('workspace_id', '=', a.workspaceId)
      .where('source', '=', 'explorer')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const adminCallId = await execute(owner, forbidden['admin explorer input']!);
  const memberCallId = await execute(member, 'my-own-query');

  // The bootstrap snapshot (what Clockify answered the installation token): users, a client's billing address, another user's time entries.
  const times = { now, ttlDays: 7 };
  await upsertEntities(
    db,
    a.workspaceId,
    'users',
    [
      { id: memberId, data: { id: memberId, name: 'Member', hourlyRate: { amount: Number(forbidden['member rate']) } } },
      { id: otherId, data: { id: otherId, name: forbidden['other user data'], email: forbidden['other user e-mail'] } },
    ],
    times,
  );
  await upsertEntities(
    db,
    a.workspaceId,
    'clients',
    [{ id: hexId(), data: { name: 'A client', address: forbidden['installation-token answer'], currencyCode: 'USD' } }],
    times,
  );
  await upsertEntities(
    db,
    a.workspaceId,
    'time-entries',
    [{ id: hexId(), data: { userId: otherId, description: forbidden['other user data'] } }],
    times,
  );

  return { memberId, otherId, memberEventId, otherEventId, memberRunId, otherRunId, flowId, adminCallId, memberCallId, forbidden };
}

// Every edition on SQLite; on PostgreSQL the edition with every route (the row filters are SQL, so both dialects run them).
describeEachDialect('role matrix, walked with a member token', (dialect) => {
  describe.each(dialect === 'sqlite' ? EDITION_IDS : (['universal-webhook'] as EditionId[]))('%s', (editionId) => {
    let h: Harness;
    let a: InstalledWorkspace;
    let owner: string;
    let member: string;
    let p: Planted;
    let routes: { url: string; method: string }[];
    const forwardingMark = `zz-forward-${tag()}`;

    const get = async (url: string, token = member) => {
      const response = await h.attack({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      return { status: response.statusCode, text: response.body, body: response.body ? (JSON.parse(response.body) as any) : null };
    };
    const expectNothingForbidden = (text: string, sent: string, where: string) => {
      for (const [what, value] of Object.entries(p.forbidden)) {
        if (sent.includes(value)) continue;
        expect(text.includes(value), `${where} showed the member ${what}`).toBe(false);
      }
    };

    beforeAll(async () => {
      h = await createHarness(editionId, {
        dialect,
        env: { CLOCKIFY_ADDON_FORWARDING_URL: `https://forward.example/hook?token=${forwardingMark}`, UW_ENABLE_HTTP_ACTIONS: 'true' },
      });
      a = await h.install();
      owner = await a.userToken('OWNER');
      const memberId = hexId();
      member = await a.userToken('REGULAR', { user: memberId });
      p = await plant(h, a, owner, member, memberId);
      if (editionId === 'clockify-addon') p.forbidden['ADMINS-only setting'] = forwardingMark;
      routes = await uiRoutesOf(h);
    }, 60_000);
    afterAll(() => h?.close());

    it('finds the UI API in the route table', () => {
      expect(routes.length).toBeGreaterThan(25);
      expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining(['GET /ui/me', 'GET /ui/webhooks/events', 'POST /ui/flows', 'GET /ui/flows/runs/:runId']),
      );
    });

    it('the owner sees everything planted (positive control)', async () => {
      expect((await get(`/ui/webhooks/events/${p.otherEventId}`, owner)).text).toContain(p.forbidden['other rate']);
      expect((await get(`/ui/flows/runs/${p.otherRunId}`, owner)).text).toContain(p.forbidden['installation-token answer']);
      expect((await get('/ui/api-explorer/history', owner)).text).toContain(p.forbidden['admin explorer input']);
      expect((await get('/ui/bootstrap/entities?type=users', owner)).text).toContain(p.otherId);
    });

    it('every write route answers the member 403 and changes nothing', async () => {
      const writes = routes.filter((route) => route.method !== 'GET' && !READING_POSTS.has(route.url));
      expect(writes.length).toBeGreaterThan(8);
      for (const { url, method } of writes) {
        const path = url
          .replace(/:flowId/g, p.flowId)
          .replace(/:runId/g, p.memberRunId)
          .replace(/:[A-Za-z]+/g, 'probe');
        const response = await h.attack(
          {
            method: method as 'POST',
            url: path,
            headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' },
            payload: '{}',
          },
          { allow2xx: false },
        );
        expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 200)}`).toBe(403);
        expect(JSON.parse(response.body).detail).toMatch(/owners and admins/);
      }
    });

    it('every read route shows the member nothing of other users, no amounts, no installation-token answers, no admin settings or inputs', async () => {
      const ids = [
        p.otherEventId,
        p.memberEventId,
        p.otherRunId,
        p.memberRunId,
        p.adminCallId,
        p.memberCallId,
        p.flowId,
        p.otherId,
        p.memberId,
        'NEW_TIME_ENTRY',
        'getTags',
      ];
      const queries = ['', '?type=users', '?type=clients', '?type=time-entries', '?type=NEW_TIME_ENTRY', '?status=dead', '?limit=200'];
      let requests = 0;
      for (const { url, method } of routes) {
        const params = url.match(/:[A-Za-z]+/g) ?? [];
        if (method === 'GET') {
          const paths =
            params.length === 0 ? queries.map((query) => url + query) : ids.map((id) => url.replace(/:[A-Za-z]+/g, encodeURIComponent(id)));
          for (const path of paths) {
            const answer = await get(path);
            requests += 1;
            expectNothingForbidden(answer.text, path, `GET ${path}`);
          }
        } else if (READING_POSTS.has(url)) {
          const bodies = [
            { eventId: p.otherEventId },
            { eventId: p.memberEventId },
            { operationId: 'getTags', params: {} },
            {
              definition: {
                name: 'x',
                enabled: true,
                trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
                conditions: { mode: 'all', rules: [] },
                actions: [
                  {
                    id: 'a',
                    kind: 'clockify',
                    operationId: 'getTags',
                    params: { name: '{{ event.hourlyRate.amount }}-{{ event.description }}' },
                  },
                ],
              },
              eventId: p.otherEventId,
            },
          ];
          // One step with a past run's outputs pinned (the step preview): those are installation-token answers.
          for (const runId of [p.otherRunId, p.memberRunId]) bodies.push({ ...bodies[3]!, stepId: 'a', runId } as never);
          for (const id of params.length === 0 ? [''] : [p.flowId, p.adminCallId, p.memberCallId]) {
            const path = url.replace(/:[A-Za-z]+/g, id);
            for (const body of bodies) {
              const response = await h.attack({
                method: 'POST',
                url: path,
                headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' },
                payload: JSON.stringify(body),
              });
              requests += 1;
              expectNothingForbidden(response.body, `${path} ${JSON.stringify(body)}`, `POST ${path} ${JSON.stringify(body).slice(0, 80)}`);
            }
          }
        }
      }
      expect(requests).toBeGreaterThan(80);
    });

    it("lists hold only the member's own rows, and totals count only those", async () => {
      const events = (await get('/ui/webhooks/events?limit=200')).body.events as { id: string; userId: string }[];
      expect(events.map((event) => event.id)).toEqual([p.memberEventId]);
      expect((await get(`/ui/webhooks/events/${p.otherEventId}`)).status).toBe(404);
      const own = (await get(`/ui/webhooks/events/${p.memberEventId}`)).body;
      expect(own.event.payload).toMatchObject({ description: 'my own entry', userId: p.memberId });
      expect(own.event.payload.hourlyRate).toBeUndefined();
      expect(own.flowRuns.map((run: { id: string }) => run.id)).toEqual([p.memberRunId]);

      for (const path of ['/ui/flows/runs', `/ui/flows/${p.flowId}/executions`, '/ui/flows/dead-letter']) {
        const runs = (await get(path)).body.runs as { id: string; trace: unknown }[];
        expect(
          runs.map((run) => run.id),
          path,
        ).toEqual([p.memberRunId]);
        expect(runs[0]!.trace).toBeNull();
      }
      const run = (await get(`/ui/flows/runs/${p.memberRunId}`)).body;
      expect(run.run).toMatchObject({ id: p.memberRunId, status: 'dead', error: expect.stringMatching(/admin/) });
      expect(run.actions).toEqual([expect.objectContaining({ actionId: 'tags', status: 'failed', request: null, response: null })]);
      expect((await get(`/ui/flows/runs/${p.otherRunId}`)).status).toBe(404);

      // The member's own calls (the walk above made more of them), never the admin's.
      const history = (await get('/ui/api-explorer/history?limit=200')).body.entries as { id: string; userId: string }[];
      expect(history.map((entry) => entry.id)).toContain(p.memberCallId);
      expect(history.map((entry) => entry.id)).not.toContain(p.adminCallId);
      expect(new Set(history.map((entry) => entry.userId))).toEqual(new Set([p.memberId]));
      expect(
        (
          await h.attack({
            method: 'POST',
            url: `/ui/api-explorer/history/${p.adminCallId}/rerun`,
            headers: { authorization: `Bearer ${member}` },
          })
        ).statusCode,
      ).toBe(404);

      const sample = (await get('/ui/webhooks/samples/NEW_TIME_ENTRY')).body;
      expect(sample).toMatchObject({ source: 'latest-event', payload: { userId: p.memberId } });

      const status = (await get('/ui/bootstrap/status')).body.entityCounts as { type: string; count: number }[];
      for (const { type, count } of status) {
        const listed = (await get(`/ui/bootstrap/entities?type=${encodeURIComponent(type)}&limit=500`)).body.items as unknown[];
        expect(listed.length, `the ${type} total counts rows the member cannot list`).toBe(count);
      }
      expect(status.map((entry) => entry.type)).not.toContain('time-entries');
      expect(status.find((entry) => entry.type === 'users')?.count).toBe(1);
      expect((await get('/ui/bootstrap/entities?type=time-entries')).status).toBe(403);
    });

    it('settings the manifest declares ADMINS-only stay with admins', async () => {
      const adminOnly = new Set(
        h.edition.settings.filter((setting) => (setting.accessLevel ?? 'ADMINS') === 'ADMINS').map((setting) => setting.id),
      );
      const memberView = (await get('/ui/settings')).body.settings as { id: string }[];
      expect(memberView.filter((setting) => adminOnly.has(setting.id))).toEqual([]);
      const ownerView = (await get('/ui/settings', owner)).body.settings as { id: string }[];
      expect(ownerView.length).toBe(h.edition.settings.length);
      expect((await get('/ui/settings/forwarding-secret')).status).toBe(403);
    });

    it("the live stream carries the member's own events only", async () => {
      const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const controller = new AbortController();
      const response = await fetch(`${base}/ui/webhooks/stream?auth_token=${encodeURIComponent(member)}`, { signal: controller.signal });
      expect(response.status).toBe(200);
      let text = '';
      const reading = (async () => {
        const reader = response.body!.getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            text += Buffer.from(value).toString('utf8');
          }
        } catch {
          // closed by the test
        }
      })();
      try {
        await eventually(() => text.includes('event: ready'));
        const send = async (userId: string, description: string) => {
          const sent = await h.send({
            method: 'POST',
            url: '/webhooks/clockify',
            headers: {
              'content-type': 'application/json',
              'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
              'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY!,
            },
            payload: JSON.stringify({ id: hexId(), workspaceId: a.workspaceId, userId, description }),
          });
          return (JSON.parse(sent.body) as { eventId: string }).eventId;
        };
        const theirs = await send(p.otherId, p.forbidden['other user data']!);
        const mine = await send(p.memberId, 'mine, live');
        await eventually(() => text.includes(mine));
        expect(text).not.toContain(theirs);
        expectNothingForbidden(text, '', 'the live stream');
      } finally {
        controller.abort();
        await reading;
      }
    });
  });
});
