/**
 * Issue 4: every forged or unfit token is refused with its own reason, in the one error shape,
 * counted in /metrics, logged by reason only (never the token), and changes nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { addonClaims, createForger, jobsSettled, metricValue, rawPost, sandboxKeyDir, snapshotDatabase } from './support.js';
import type { Forger } from './support.js';

type Lifecycle = 'installed' | 'deleted' | 'status-changed' | 'settings-updated';
type Claims = JWTPayload & Record<string, unknown>;

interface ForgedCase {
  name: string;
  /** Where the token is presented: a lifecycle call (X-Addon-Lifecycle-Token) or the sidebar's UI API (Bearer). */
  target: { lifecycle: Lifecycle } | { ui: true };
  reason: string;
  status: 401 | 403;
  token(context: Context): Promise<string> | string;
  /** Body overrides for the lifecycle call. */
  body?(context: Context): Record<string, unknown>;
}

interface Context {
  forger: Forger;
  claims: Claims;
  userClaims: Claims;
  workspaceId: string;
  addonId: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

const CASES: ForgedCase[] = [
  { name: 'no token at all', target: { lifecycle: 'status-changed' }, reason: 'missing', status: 401, token: () => '' },
  { name: 'alg: none', target: { lifecycle: 'installed' }, reason: 'unsigned', status: 401, token: (c) => c.forger.unsigned(c.claims) },
  {
    name: 'HS256 signed with the public key as secret',
    target: { lifecycle: 'status-changed' },
    reason: 'algorithm',
    status: 401,
    token: (c) => c.forger.signHs256WithPublicKey(c.claims),
  },
  {
    name: 'RS256 signed with a key Clockify does not have',
    target: { lifecycle: 'deleted' },
    reason: 'signature',
    status: 401,
    token: (c) => c.forger.signWithStrangerKey(c.claims),
  },
  {
    name: 'wrong issuer',
    target: { lifecycle: 'status-changed' },
    reason: 'issuer',
    status: 401,
    token: (c) => c.forger.sign({ ...c.claims, iss: 'not-clockify' }),
  },
  {
    name: 'wrong type',
    target: { lifecycle: 'settings-updated' },
    reason: 'type',
    status: 401,
    token: (c) => c.forger.sign({ ...c.claims, type: 'user' }),
  },
  {
    name: 'token of another add-on (sub)',
    target: { lifecycle: 'deleted' },
    reason: 'subject',
    status: 403,
    token: (c) => c.forger.sign({ ...c.claims, sub: 'clockify-universal-webhook' }),
  },
  {
    name: 'token for another workspace than the body',
    target: { lifecycle: 'installed' },
    reason: 'workspace_mismatch',
    status: 403,
    token: (c) => c.forger.sign({ ...c.claims, workspaceId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }),
  },
  {
    name: 'addonId of another installation',
    target: { lifecycle: 'status-changed' },
    reason: 'addon_mismatch',
    status: 403,
    token: (c) => c.forger.sign({ ...c.claims, addonId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }),
  },
  {
    name: 'expired (exp an hour ago)',
    target: { lifecycle: 'deleted' },
    reason: 'expired',
    status: 401,
    token: (c) => c.forger.sign({ ...c.claims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
  },
  {
    name: 'not yet valid (nbf in an hour)',
    target: { lifecycle: 'status-changed' },
    reason: 'not_yet_valid',
    status: 401,
    token: (c) => c.forger.sign({ ...c.claims, nbf: nowSeconds() + 3600 }),
  },
  { name: 'garbage', target: { lifecycle: 'installed' }, reason: 'malformed', status: 401, token: () => 'this-is-not-a-jwt' },
  {
    name: 'truncated (signature cut short)',
    target: { lifecycle: 'status-changed' },
    reason: 'signature',
    status: 401,
    token: async (c) => {
      const token = await c.forger.sign(c.claims);
      return token.slice(0, token.length - 24);
    },
  },
  {
    name: 'oversized (9 kB)',
    target: { lifecycle: 'deleted' },
    reason: 'oversized',
    status: 401,
    token: (c) => c.forger.sign({ ...c.claims, padding: 'x'.repeat(9000) }),
  },
  // The sidebar's user token: same checks, plus it must expire.
  { name: 'user token without exp', target: { ui: true }, reason: 'missing_exp', status: 401, token: (c) => c.forger.sign(c.userClaims) },
  {
    name: 'user token, alg: none',
    target: { ui: true },
    reason: 'unsigned',
    status: 401,
    token: (c) => c.forger.unsigned({ ...c.userClaims, exp: nowSeconds() + 600 }),
  },
  {
    name: 'user token, expired',
    target: { ui: true },
    reason: 'expired',
    status: 401,
    token: (c) => c.forger.sign({ ...c.userClaims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
  },
  {
    name: 'user token of another add-on',
    target: { ui: true },
    reason: 'subject',
    status: 403,
    token: (c) => c.forger.sign({ ...c.userClaims, sub: 'clockify-universal-webhook', exp: nowSeconds() + 600 }),
  },
];

describe('forged and unfit tokens', () => {
  let stack: Stack;
  let context: Context;
  const reasonsSeen = new Map<string, string>();

  beforeAll(async () => {
    const keyDir = sandboxKeyDir();
    stack = await startStack({ editions: ['api-studio'], sandbox: { dataDir: keyDir } });
    const { workspaceId, addonId } = await stack.install('api-studio');
    const edition = stack.edition('api-studio');
    // Registration of the REST webhooks runs in the background: let it finish so the database is still.
    await eventually(async () => (await stack.ui('api-studio', '/ui/webhooks/registrations')).body.summary?.problems === 0, 20_000);
    await jobsSettled(edition);
    const claims = addonClaims({ addonKey: edition.runtime.editionConfig.key, workspaceId, addonId, backendUrl: stack.sandbox.backendUrl });
    context = {
      forger: await createForger(keyDir),
      claims,
      userClaims: { ...claims, workspaceRole: 'OWNER', iat: nowSeconds() },
      workspaceId,
      addonId,
    };
  }, 60_000);
  afterAll(() => stack?.close());

  const bodyFor = async (lifecycle: Lifecycle, c: Context): Promise<Record<string, unknown>> => {
    const ids = { addonId: c.addonId, workspaceId: c.workspaceId };
    switch (lifecycle) {
      case 'installed':
        // A well-signed replacement installation token: had the lifecycle token passed, it would have replaced the real one.
        return { ...ids, authToken: await c.forger.sign({ ...c.claims, jti: 'replacement' }), webhooks: [] };
      case 'deleted':
        return ids;
      case 'status-changed':
        return { ...ids, status: 'INACTIVE' };
      case 'settings-updated':
        return { ...ids, settings: [{ id: 'retention_days', value: 2 }] };
    }
  };

  it.each(CASES)('$name → $status ($reason)', async (testCase) => {
    const edition = stack.edition('api-studio');
    const token = await testCase.token(context);
    const metricContext = 'ui' in testCase.target ? 'user' : 'lifecycle';
    const countBefore = await metricValue(edition, 'token_rejections_total', { reason: testCase.reason, context: metricContext });
    const before = await snapshotDatabase(edition);
    const logLinesBefore = stack.logs.lines().length;

    let reply;
    if ('ui' in testCase.target) {
      const response = await fetch(`${edition.url}/ui/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const text = await response.text();
      reply = { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body: JSON.parse(text) };
    } else {
      const body = await bodyFor(testCase.target.lifecycle, context);
      reply = await rawPost(
        `${edition.url}/lifecycle/${testCase.target.lifecycle}`,
        { 'content-type': 'application/json', ...(token ? { 'x-addon-lifecycle-token': token } : {}) },
        JSON.stringify(body),
      );
    }

    // One error shape, a reason a human can read, nothing secret.
    expect(reply.status).toBe(testCase.status);
    expect(reply.contentType).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: testCase.status, requestId: expect.any(String), title: expect.any(String) });
    expect(reply.body.type).toMatch(testCase.status === 401 ? /\/invalid-token$/ : /\/token-not-for-this-target$/);
    expect(reply.body.detail).toContain(testCase.reason.replaceAll('_', ' '));
    if (token) expect(reply.text).not.toContain(token);

    // Counted by reason, logged by reason, and the token itself is nowhere in the logs.
    expect(await metricValue(edition, 'token_rejections_total', { reason: testCase.reason, context: metricContext })).toBe(countBefore + 1);
    const newLines = stack.logs.lines().slice(logLinesBefore);
    expect(newLines.some((line) => line.msg === 'token rejected' && line.reason === testCase.reason)).toBe(true);
    if (token) {
      const logText = stack.logs.text();
      expect(logText).not.toContain(token);
      const signature = token.split('.')[2];
      if (signature && signature.length > 16) expect(logText).not.toContain(signature);
    }

    // Nothing changed: every row of every table is as it was.
    expect(await snapshotDatabase(edition)).toEqual(before);
    reasonsSeen.set(testCase.name, testCase.reason);
  });

  it('gives each attack the issue names its own reason', () => {
    const named = [
      'alg: none',
      'HS256 signed with the public key as secret',
      'token of another add-on (sub)',
      'token for another workspace than the body',
      'garbage',
    ];
    const reasons = named.map((name) => reasonsSeen.get(name));
    expect(reasons.every(Boolean)).toBe(true);
    expect(new Set(reasons).size).toBe(named.length);
  });

  it('still accepts the genuine lifecycle token after all of that', async () => {
    const edition = stack.edition('api-studio');
    const installation = await edition.runtime.database.db
      .selectFrom('installations')
      .selectAll()
      .where('workspace_id', '=', context.workspaceId)
      .executeTakeFirstOrThrow();
    expect(installation.status).toBe('ACTIVE');
    const result = await stack.sandbox.setStatus({
      addonKey: edition.runtime.editionConfig.key,
      workspaceId: context.workspaceId,
      status: 'INACTIVE',
    });
    expect(result.status).toBe(200);
    await stack.sandbox.setStatus({ addonKey: edition.runtime.editionConfig.key, workspaceId: context.workspaceId, status: 'ACTIVE' });
  });
});
