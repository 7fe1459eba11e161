/**
 * Fuzzing every route of the sidebar's UI API at once, taken from the server's own route table (so
 * a route added tomorrow is fuzzed tomorrow): hostile path parameters, query strings and bodies,
 * from an owner and from a regular member. Same invariants as every other boundary: no 5xx, no
 * hang, one error shape, nothing stored on rejection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, hostileBodyText, hostileJson, nastyString, pathSegment, prototypeKeys } from './support/arbitraries.js';
import { RUNS, fuzzSettings } from './support/budget.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

/** Routes that answer with an endless stream; fuzzed elsewhere (tenant-isolation reads it over a socket). */
const STREAMING = /\/stream$/;

describe('fuzz: every UI API route from the route table', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let owner: string;
  let regular: string;
  const routes: { url: string; method: string }[] = [];
  const prototypeBefore = prototypeKeys();

  beforeAll(async () => {
    h = await createHarness('universal-webhook', { env: { UW_ENABLE_HTTP_ACTIONS: 'true' } });
    a = await h.install();
    owner = await a.userToken('OWNER');
    regular = await a.userToken('REGULAR');
    for (const { url, methods } of h.app.routeIndex.patterns()) {
      if (STREAMING.test(url)) continue;
      for (const method of methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
        const probe = await h.send({ method: method as 'GET', url: url.replace(/:[A-Za-z]+/g, 'probe').replace(/\*$/, 'probe') });
        // Behind the user-token check: refused without a token as a user-token problem.
        if (probe.statusCode === 401 && probe.body.includes('user token')) routes.push({ url, method });
      }
    }
  });
  afterAll(() => h?.close());

  it('finds the UI API in the route table', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /ui/me', 'POST /ui/flows', 'POST /ui/api-explorer/execute']),
    );
  });

  it('answers hostile parameters, queries and bodies on every route without 5xx, storing nothing when it refuses', async () => {
    const query = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'from',
          'to',
          'type',
          'status',
          'source',
          'q',
          'tag',
          'method',
          'readOnly',
          'mode',
          'workspaceId',
          'auth_token',
          '__proto__',
        ),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(nastyString, fc.constantFrom('0', '-1', '201', '1e9', 'true', '2024-13-45T99:99:99Z', '', '%', '%ZZ')),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(nastyString, { minLength: 3, maxLength: 3 }),
        query,
        fc.oneof(
          fc.constant(undefined),
          hostileJson.map((value) => JSON.stringify(value) ?? 'null'),
          hostileBodyText,
        ),
        fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
        fc.boolean(),
        async (index, params, search, body, type, asOwner) => {
          const route = routes[index % routes.length]!;
          let n = 0;
          const path = route.url.replace(/:[A-Za-z]+/g, () => pathSegment(params[n++ % params.length]!, 150));
          const queryText = Object.entries(search)
            .map(([k, v]) => `${encodeURIComponent(pathSegment(k, 40))}=${pathSegment(String(v), 200)}`)
            .join('&');
          const headers: Record<string, string> = { authorization: `Bearer ${asOwner ? owner : regular}` };
          if (body !== undefined && route.method !== 'GET') headers['content-type'] = type;
          await h.attack({
            method: route.method as 'GET',
            url: queryText ? `${path}?${queryText}` : path,
            headers,
            ...(body !== undefined && route.method !== 'GET' ? { payload: body } : {}),
          });
        },
      ),
      fuzzSettings(RUNS.uiRoutes),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });
});
