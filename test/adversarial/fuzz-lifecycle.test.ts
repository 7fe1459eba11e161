/**
 * Fuzzing Clockify's lifecycle calls: any body, any content type, any token header, on every
 * lifecycle path. Honest-looking values (the workspace's own ids and tokens) are mixed in so the
 * fuzzer reaches past the token check into body validation and the lifecycle service.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_PATHS } from '../../src/clockify/manifest.js';
import { contentType, garbageJwt, headerValue, hostileBodyText, hostileJson, nastyString, prototypeKeys } from './support/arbitraries.js';
import { RUNS, fuzzSettings } from './support/budget.js';
import { BASE_URL, createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

describe('fuzz: lifecycle bodies and headers', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let b: InstalledWorkspace;
  const prototypeBefore = prototypeKeys();

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
    b = await h.install();
  });
  afterAll(() => h?.close());

  const paths = [...Object.values(LIFECYCLE_PATHS), '/lifecycle/uninstalled'];

  it('answers any body under any token without 5xx, in one error shape, storing nothing when it refuses', async () => {
    const id = (own: () => string, other: () => string) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant(null).map(own) }, fc.constant(null).map(other), nastyString);
    const plausibleBody = fc
      .record(
        {
          addonId: id(
            () => a.addonId,
            () => b.addonId,
          ),
          workspaceId: id(
            () => a.workspaceId,
            () => b.workspaceId,
          ),
          authToken: fc.oneof(
            { weight: 3, arbitrary: fc.constant(null).map(() => a.installationToken) },
            fc.constant(null).map(() => b.installationToken),
            garbageJwt,
            nastyString,
          ),
          asUser: nastyString,
          apiUrl: fc.oneof(
            fc.constant(null).map(() => h.stub.backendUrl),
            nastyString,
          ),
          status: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('ACTIVE', 'INACTIVE', 'DELETED', 'active') }, nastyString),
          settings: fc.oneof(
            fc.array(
              fc.record({
                id: fc.oneof(fc.constantFrom('max_rps', 'retention_days', 'enable_http_actions', 'forwarding_url'), nastyString),
                value: hostileJson,
              }),
              { maxLength: 4 },
            ),
            hostileJson,
          ),
          webhooks: fc.oneof(
            fc.array(
              fc.record({
                path: fc.oneof(
                  fc.constantFrom(
                    `${BASE_URL}/webhooks/clockify/new-time-entry`,
                    '/webhooks/clockify/no-such-event',
                    `${BASE_URL}/webhooks/clockify/../../etc`,
                  ),
                  nastyString,
                ),
                authToken: fc.oneof(garbageJwt, nastyString),
                webhookType: nastyString,
              }),
              { maxLength: 3 },
            ),
            hostileJson,
          ),
        },
        { requiredKeys: [] },
      )
      .map((body) => JSON.stringify(body));
    const jsonMostly = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType, fc.constant(undefined));
    const token = fc.oneof(
      fc.constant(undefined),
      { weight: 4, arbitrary: fc.constant(null).map(() => a.lifecycleToken) },
      fc.constant(null).map(() => b.lifecycleToken),
      fc.constant(null).map(() => a.installationToken),
      garbageJwt,
      headerValue,
    );

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        token,
        fc.oneof({ weight: 2, arbitrary: plausibleBody }, hostileBodyText),
        jsonMostly,
        async (path, lifecycleToken, body, type) => {
          const headers: Record<string, string> = {};
          if (lifecycleToken !== undefined) headers['x-addon-lifecycle-token'] = lifecycleToken;
          if (type !== undefined) headers['content-type'] = type;
          await h.attack({ method: 'POST', url: path, headers, payload: body });
        },
      ),
      fuzzSettings(RUNS.lifecycle),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
    expect(h.stats.rejected).toBeGreaterThan(RUNS.lifecycle / 2);
  });

  it('answers hostile header shapes (duplicates, odd casing, huge values) without 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(
          fc.constantFrom(
            'X-Addon-Lifecycle-Token',
            'x-addon-lifecycle-token',
            'content-type',
            'content-length',
            'transfer-encoding',
            'x-request-id',
            'authorization',
            'clockify-signature',
          ),
          headerValue,
          { maxKeys: 4 },
        ),
        fc.oneof(fc.constant(undefined), hostileBodyText),
        async (path, headers, payload) => {
          // content-length / transfer-encoding that contradict the body are the client library's to refuse; keep them honest here.
          const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = headers;
          await h.attack({
            method: 'POST',
            url: path,
            headers: {
              ...rest,
              'x-addon-lifecycle-token':
                headers['X-Addon-Lifecycle-Token'] ?? rest['x-addon-lifecycle-token'] ?? a.lifecycleToken.slice(0, 40),
            },
            payload,
          });
        },
      ),
      fuzzSettings(RUNS.lifecycleHeaders),
    );
  });
});
