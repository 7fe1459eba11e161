/**
 * Tenant isolation over real HTTP: the sandbox with two workspaces, every edition installed in
 * both. Workspace B is given events, flows with runs, custom sources, explorer history and (when
 * the bootstrap room is present) bootstrap data, then paused so its own background work stops.
 * Then every UI API route — enumerated from the server's own route table, so a new route is
 * covered the day it is added — is called with A's owner token, with each of B's ids in every path
 * parameter, and with bodies and queries naming B. The answers must never contain anything of B
 * (ids, names, secrets), must not tell B's ids apart from ids that do not exist, and B's rows in
 * every table must be exactly as they were.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITIONS } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import type { RunningEdition } from '../../src/edition.js';
import { signStandard } from '../../src/ingest/signatures.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { workspaceRows } from './support/harness.js';

const EDITION_IDS = EDITIONS.map((edition) => edition.id) as EditionId[];
const MARK = `zz-b-only-${randomInt(1e9)}`;
const REQUEST_DEADLINE_MS = 5_000;

interface Answer {
  status: number;
  text: string;
  headers: string;
}

/** One request with a deadline; a Server-Sent Events answer is read for a moment and then closed. */
async function call(baseUrl: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), REQUEST_DEADLINE_MS);
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      signal: controller.signal,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const headers = JSON.stringify([...response.headers.entries()]);
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const reader = response.body!.getReader();
      let text = '';
      const stop = setTimeout(() => controller.abort(), 300);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString('utf8');
        }
      } catch {
        // aborted after the read window: expected
      } finally {
        clearTimeout(stop);
      }
      return { status: response.status, text, headers };
    }
    return { status: response.status, text: await response.text(), headers };
  } finally {
    clearTimeout(deadline);
  }
}

/** Waits until no job is running or due (jobs scheduled later do not count). */
async function jobsSettled(edition: RunningEdition): Promise<void> {
  await eventually(async () => {
    const busy = await edition.runtime.database.db
      .selectFrom('jobs')
      .select(['id'])
      .where((eb) => eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', Date.now() + 500)])]))
      .execute();
    return busy.length === 0;
  }, 30_000);
}

/** An id of the same shape that does not exist: each character replaced by a random one of its class. */
function twinOf(id: string): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  return [...id]
    .map((ch) =>
      /[0-9]/.test(ch)
        ? pick('0123456789')
        : /[a-f]/.test(ch)
          ? pick('abcdef')
          : /[a-z]/.test(ch)
            ? pick('abcdefghijklmnopqrstuvwxyz')
            : /[A-Z]/.test(ch)
              ? pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ')
              : ch,
    )
    .join('');
}

describe("tenant isolation: A's token never reaches B", () => {
  let stack: Stack;
  let wsA: string;
  let wsB: string;

  beforeAll(async () => {
    stack = await startStack({ editions: EDITION_IDS, sandbox: { seed: { workspaces: 2, users: 3, projects: 4, timeEntries: 20 } } });
    const [first, second] = stack.sandbox.workspaces();
    wsA = first!.id;
    wsB = second!.id;
    for (const id of EDITION_IDS) {
      await stack.install(id, wsA);
      await stack.install(id, wsB);
    }
  }, 60_000);
  afterAll(() => stack?.close());

  describe.each(EDITION_IDS)('%s', (editionId) => {
    let edition: RunningEdition;
    let tokenA: string;
    let tokenB: string;
    let markers: string[] = [];
    let rowsBefore: Record<string, string[]>;
    const secretsB: string[] = [];
    const pathIds = new Set<string>();
    const eventIds: string[] = [];
    const sourceIds: string[] = [];

    const ui = (token: string, method: string, path: string, body?: unknown) => call(edition.url, method, path, token, body);

    beforeAll(async () => {
      edition = stack.edition(editionId);
      tokenA = await stack.userToken(editionId, 'OWNER', wsA);
      tokenB = await stack.userToken(editionId, 'OWNER', wsB);
      const capabilities = edition.runtime.edition.capabilities;

      // B's data, made the honest way.
      const flow = await ui(tokenB, 'POST', '/ui/flows', {
        definition: {
          name: `${MARK} flow`,
          enabled: true,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [] },
          actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
        },
      });
      expect(flow.status, flow.text).toBe(201);
      await stack.sandbox.trigger('NEW_TIME_ENTRY', {
        workspaceId: wsB,
        addonKey: edition.runtime.editionConfig.key,
        payload: { ...(await samplePayload(edition, tokenB)), workspaceId: wsB, description: `${MARK} entry` },
      });
      const explorer = await ui(tokenB, 'POST', '/ui/api-explorer/execute', { operationId: 'getTags', params: {} });
      expect(explorer.status, explorer.text).toBe(200);
      if (capabilities.customWebhooks) {
        const source = await ui(tokenB, 'POST', '/ui/sources', { name: `${MARK} source`, signatureMode: 'standard' });
        expect(source.status, source.text).toBe(201);
        const { source: created, secret } = JSON.parse(source.text) as { source: { id: string }; secret: string };
        secretsB.push(secret);
        const body = JSON.stringify({ type: `${MARK}.custom`, note: MARK });
        const timestamp = Math.floor(Date.now() / 1000);
        const delivered = await fetch(`${edition.url}/webhooks/custom/${created.id}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': `${MARK}-1`,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signStandard(secret, `${MARK}-1`, timestamp, body),
          },
          body,
        });
        expect(delivered.status).toBe(200);
      }
      if (capabilities.forwarding) {
        const secret = await ui(tokenB, 'GET', '/ui/settings/forwarding-secret');
        if (secret.status === 200) secretsB.push((JSON.parse(secret.text) as { secret: string }).secret);
      }
      await stack.sandbox.waitForDeliveries();
      // B's flow has run on B's event.
      await eventually(async () => {
        const runs = await edition.runtime.database.db.selectFrom('flow_runs').select('status').where('workspace_id', '=', wsB).execute();
        return runs.some((run) => run.status !== 'running');
      }, 20_000);
      await jobsSettled(edition);
      // Pause B: its own background work (retries, bootstrap, registration) stops, so any change to its rows from here on came from A.
      await stack.sandbox.setStatus({ addonKey: edition.runtime.editionConfig.key, workspaceId: wsB, status: 'INACTIVE' });
      await jobsSettled(edition);

      rowsBefore = await workspaceRows(edition.runtime.database, wsB);
      const rowsA = JSON.stringify(await workspaceRows(edition.runtime.database, wsA));
      // Every id, name and secret of B's rows that A's rows do not share; a few ids of each kind go into path parameters.
      for (const [table, lines] of Object.entries(rowsBefore)) {
        for (const [index, line] of lines.entries()) {
          for (const [column, value] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
            if (typeof value !== 'string' || value.length < 8 || rowsA.includes(value)) continue;
            if (column === 'id' || column.endsWith('_id') || column === 'name' || column === 'delivery_key') {
              markers.push(value);
              if (index === 0 && column !== 'workspace_id' && column !== 'name') pathIds.add(value);
              if (column === 'id' && table === 'webhook_events') eventIds.push(value);
              if (column === 'id' && table === 'custom_sources') sourceIds.push(value);
            }
          }
        }
      }
      markers = [...new Set([wsB, MARK, ...secretsB, ...markers])];
      expect(markers.length).toBeGreaterThan(5);
    }, 90_000);

    it("B's data exists and B can see it (positive control)", async () => {
      const events = await ui(tokenB, 'GET', '/ui/webhooks/events');
      expect(events.text).toContain(wsB);
      const flows = await ui(tokenB, 'GET', '/ui/flows');
      expect(flows.text).toContain(MARK);
    });

    it("every UI API route × method × B id answers A without any of B's data, and B's rows stay unchanged", async () => {
      const patterns = edition.app.routeIndex.patterns();
      // The routes behind the user-token check are the ones that refuse a request without a token as a user-token problem.
      const uiRoutes: { url: string; method: string }[] = [];
      for (const { url, methods } of patterns) {
        for (const method of methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
          const probePath = url.replace(/:[A-Za-z]+/g, 'probe').replace(/\*$/, 'probe');
          const probe = await call(edition.url, method, probePath, undefined, method === 'GET' || method === 'DELETE' ? undefined : {});
          if (probe.status === 401 && probe.text.includes('user token')) uiRoutes.push({ url, method });
        }
      }
      expect(uiRoutes.length, 'the route table lists the UI API').toBeGreaterThan(20);
      for (const known of ['/ui/me', '/ui/flows', '/ui/webhooks/events', '/ui/api-explorer/execute'])
        expect(uiRoutes.map((r) => r.url)).toContain(known);

      const bEventId = eventIds[0] ?? 'none';
      const bSourceId = sourceIds[0] ?? 'none';
      const bodies = [
        {},
        { eventId: bEventId, eventType: 'NEW_TIME_ENTRY' },
        { operationId: 'getTags', params: { workspaceId: wsB } },
        {
          definition: {
            name: 'x',
            enabled: true,
            trigger: { kind: 'custom', sourceId: bSourceId },
            conditions: { mode: 'all', rules: [] },
            actions: [{ id: 'a', kind: 'clockify', operationId: 'getTags' }],
          },
          eventId: bEventId,
        },
      ];
      const idCandidates = [...pathIds, wsB].filter((id) => /^[A-Za-z0-9_-]{8,64}$/.test(id));
      let requests = 0;

      const check = async (method: string, path: string, body: unknown) => {
        const answer = await ui(tokenA, method, path, body);
        requests += 1;
        const sent = `${path} ${JSON.stringify(body ?? '')}`;
        expect(answer.status, `${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
        for (const marker of markers) {
          if (sent.includes(marker)) continue;
          expect(
            `${answer.text} ${answer.headers}`.includes(marker),
            `${method} ${path} revealed ${marker.slice(0, 12)}… of workspace B`,
          ).toBe(false);
        }
        return answer;
      };

      for (const { url, method } of uiRoutes) {
        const params = url.match(/:[A-Za-z]+/g) ?? [];
        const withBody = method !== 'GET' && method !== 'DELETE';
        if (params.length === 0) {
          if (withBody) for (const body of bodies) await check(method, url, body);
          else
            await check(
              method,
              `${url}?workspaceId=${wsB}&workspace=${wsB}&source=custom:${bSourceId}&cursor=~&type=NEW_TIME_ENTRY`,
              undefined,
            );
          continue;
        }
        for (const id of idCandidates) {
          const path = url.replace(/:[A-Za-z]+/g, encodeURIComponent(id));
          const twin = url.replace(/:[A-Za-z]+/g, encodeURIComponent(twinOf(id)));
          const body = withBody ? {} : undefined;
          const answer = await check(method, path, body);
          // B's ids must be indistinguishable from ids that do not exist.
          const other = await ui(tokenA, method, twin, body);
          expect(answer.status, `${method} ${url} tells B's id apart from a made-up one`).toBe(other.status);
        }
      }
      expect(requests).toBeGreaterThan(100);
      if (process.env.ADVERSARIAL_STATS)
        console.log(
          `[adversarial] isolation ${editionId}: ${uiRoutes.length} UI routes, ${idCandidates.length} of B's ids, ${requests} requests`,
        );

      await jobsSettled(edition);
      expect(await workspaceRows(edition.runtime.database, wsB)).toEqual(rowsBefore);
    }, 120_000);

    it("A's live stream carries A's events and none of B's", async () => {
      await stack.sandbox.setStatus({ addonKey: edition.runtime.editionConfig.key, workspaceId: wsB, status: 'ACTIVE' });
      const controller = new AbortController();
      const response = await fetch(`${edition.url}/ui/webhooks/stream?auth_token=${encodeURIComponent(tokenA)}`, {
        signal: controller.signal,
      });
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
        await stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId: wsB, addonKey: edition.runtime.editionConfig.key });
        await stack.sandbox.trigger('NEW_PROJECT', { workspaceId: wsA, addonKey: edition.runtime.editionConfig.key });
        await stack.sandbox.waitForDeliveries();
        // A's own event arrives (the stream works), B's never does.
        await eventually(() => text.includes('NEW_PROJECT'));
        await jobsSettled(edition);
        expect(text).not.toContain(wsB);
        expect(text).not.toContain('NEW_TIME_ENTRY');
        expect(text).toContain(wsA);
      } finally {
        controller.abort();
        await reading;
      }
    });
  });
});

/** A NEW_TIME_ENTRY sample from the edition itself (bundled sample or the latest event). */
async function samplePayload(edition: RunningEdition, token: string): Promise<Record<string, unknown>> {
  const answer = await call(edition.url, 'GET', '/ui/webhooks/samples/NEW_TIME_ENTRY', token);
  return (JSON.parse(answer.text) as { payload: Record<string, unknown> }).payload;
}
