/**
 * Token attacks as a table: one row per attack, each sent to the route it targets, each asserting
 * the status and that nothing stored changed (a digest of every row of every table). Two installed
 * workspaces, A and B; the attacker holds whatever the row says.
 *
 * Where Clockify's token kinds cannot be told apart by signature (they share issuer, subject and
 * type), the row names the defence that applies instead: user tokens must expire and are the only
 * ones carrying `workspaceRole`; a webhook token must equal the one stored for that webhook; the
 * workspace always comes from the token, never from the request.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { webhookPath } from '../../src/clockify/manifest.js';
import { readResourceJson } from '../../src/resources.js';
import { describeEachDialect } from '../helpers/databases.js';
import { addonClaims, hs256WithPublicKey, tamperedPayload, unsignedToken, userClaims } from './support/forge.js';
import { BASE_URL, createHarness, randomWorkspaceId } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface World {
  h: Harness;
  a: InstalledWorkspace;
  b: InstalledWorkspace;
}

interface Attack {
  name: string;
  status: 401 | 403;
  request(world: World): Promise<InjectOptions>;
}

const FLOW = {
  name: 'attacker flow',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules: [] },
  actions: [{ id: 'a1', kind: 'clockify', operationId: 'getTags' }],
};

/** A write on the UI API: had the token passed, a flow would exist. */
const ui = (token: string | undefined): InjectOptions => ({
  method: 'POST',
  url: '/ui/flows',
  headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
  payload: JSON.stringify({ definition: FLOW }),
});

/** A lifecycle call that would pause workspace `target` had the token passed. */
const pause = (token: string, target: InstalledWorkspace): InjectOptions => ({
  method: 'POST',
  url: '/lifecycle/status-changed',
  headers: { 'content-type': 'application/json', 'x-addon-lifecycle-token': token },
  payload: JSON.stringify({ workspaceId: target.workspaceId, addonId: target.addonId, status: 'INACTIVE' }),
});

/** SETTINGS_UPDATED that would start forwarding every event of `target` to an attacker. */
const hijackSettings = (token: string, target: InstalledWorkspace): InjectOptions => ({
  method: 'POST',
  url: '/lifecycle/settings-updated',
  headers: { 'content-type': 'application/json', 'x-addon-lifecycle-token': token },
  payload: JSON.stringify({
    workspaceId: target.workspaceId,
    addonId: target.addonId,
    settings: [
      { id: 'enable_http_actions', value: true },
      { id: 'retention_days', value: 1 },
    ],
  }),
});

/** A NEW_TIME_ENTRY webhook with the given signature and payload workspace. */
const webhook = (signature: string, payloadWorkspace: string | undefined, event = 'NEW_TIME_ENTRY'): InjectOptions => ({
  method: 'POST',
  url: webhookPath(event),
  headers: { 'content-type': 'application/json', 'clockify-webhook-event-type': event, 'clockify-signature': signature },
  payload: JSON.stringify({
    ...samples[event],
    ...(payloadWorkspace ? { workspaceId: payloadWorkspace } : {}),
    description: `attack ${Math.random()}`,
  }),
});

const ATTACKS: Attack[] = [
  // --- the sidebar's UI API (user tokens) ---
  { name: 'UI: no token', status: 401, request: async () => ui(undefined) },
  { name: 'UI: alg none', status: 401, request: async ({ a }) => ui(unsignedToken(userClaims(a.claims, 'OWNER'))) },
  {
    name: 'UI: HS256 keyed with the public key',
    status: 401,
    request: async ({ h, a }) => ui(await hs256WithPublicKey(userClaims(a.claims, 'OWNER'), h.forge.publicKeyPem)),
  },
  {
    name: 'UI: RS256 signed by a foreign key',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.signWithForeignKey(userClaims(a.claims, 'OWNER'))),
  },
  {
    name: "UI: A's signature over a payload naming B",
    status: 401,
    request: async ({ a, b }) => ui(tamperedPayload(await a.userToken('OWNER'), userClaims(b.claims, 'OWNER'))),
  },
  {
    name: 'UI: wrong issuer',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { iss: 'clockify-evil' }))),
  },
  {
    name: 'UI: wrong type',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { type: 'user' }))),
  },
  {
    name: "UI: wrong sub (another add-on's user token)",
    status: 403,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { sub: 'some-other-addon' }))),
  },
  {
    name: 'UI: expired user token',
    status: 401,
    request: async ({ h, a }) =>
      ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }))),
  },
  {
    name: 'UI: user token without exp',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { exp: undefined }))),
  },
  {
    name: 'UI: not yet valid (nbf in an hour)',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { nbf: nowSeconds() + 3600 }))),
  },
  {
    name: 'UI: workspace where the add-on is not installed',
    status: 403,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims({ ...a.claims, workspaceId: randomWorkspaceId() }, 'OWNER'))),
  },
  {
    name: 'UI: addonId of another installation',
    status: 403,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims({ ...a.claims, addonId: randomWorkspaceId() }, 'OWNER'))),
  },
  { name: 'UI: truncated token', status: 401, request: async ({ a }) => ui((await a.userToken('OWNER')).slice(0, -12)) },
  {
    name: 'UI: token cut at the signature dot',
    status: 401,
    request: async ({ a }) => ui((await a.userToken('OWNER')).split('.').slice(0, 2).join('.') + '.'),
  },
  {
    name: 'UI: oversized token (9 kB)',
    status: 401,
    request: async ({ h, a }) => ui(await h.forge.sign(userClaims(a.claims, 'OWNER', { padding: 'x'.repeat(9000) }))),
  },
  {
    name: 'UI: expired token in ?auth_token',
    status: 401,
    request: async ({ h, a }) => ({
      ...ui(undefined),
      url: `/ui/flows?auth_token=${await h.forge.sign(userClaims(a.claims, 'OWNER', { exp: nowSeconds() - 3600 }))}`,
    }),
  },
  { name: 'UI: lifecycle token (no exp) used as a user token', status: 401, request: async ({ a }) => ui(a.lifecycleToken) },
  { name: 'UI: installation token (no exp) used as a user token', status: 401, request: async ({ a }) => ui(a.installationToken) },
  { name: 'UI: webhook token (no exp) used as a user token', status: 401, request: async ({ a }) => ui(a.webhookTokens.NEW_TIME_ENTRY!) },
  { name: 'UI: regular member tries an admin write', status: 403, request: async ({ a }) => ui(await a.userToken('REGULAR')) },
  {
    name: "UI: A's user token naming workspace B in an explorer call",
    status: 403,
    request: async ({ a, b }) => ({
      method: 'POST',
      url: '/ui/api-explorer/execute',
      headers: { authorization: `Bearer ${await a.userToken('OWNER')}` },
      payload: { operationId: 'getTags', params: { workspaceId: b.workspaceId } },
    }),
  },

  // --- lifecycle calls (X-Addon-Lifecycle-Token) ---
  { name: 'lifecycle: alg none', status: 401, request: async ({ a }) => pause(unsignedToken(addonClaims(a.claims)), a) },
  {
    name: 'lifecycle: HS256 keyed with the public key',
    status: 401,
    request: async ({ h, a }) => pause(await hs256WithPublicKey(addonClaims(a.claims), h.forge.publicKeyPem), a),
  },
  {
    name: 'lifecycle: wrong issuer',
    status: 401,
    request: async ({ h, a }) => pause(await h.forge.sign(addonClaims(a.claims, { iss: 'elsewhere' })), a),
  },
  {
    name: 'lifecycle: wrong sub',
    status: 403,
    request: async ({ h, a }) => pause(await h.forge.sign(addonClaims(a.claims, { sub: 'some-other-addon' })), a),
  },
  {
    name: 'lifecycle: expired',
    status: 401,
    request: async ({ h, a }) => pause(await h.forge.sign(addonClaims(a.claims, { exp: nowSeconds() - 3600 })), a),
  },
  { name: "lifecycle: A's lifecycle token on B's workspace", status: 403, request: async ({ a, b }) => pause(a.lifecycleToken, b) },
  {
    name: "lifecycle: a member's user token (from the sidebar URL) pausing the add-on",
    status: 401,
    request: async ({ a }) => pause(await a.userToken('REGULAR'), a),
  },
  {
    name: "lifecycle: an owner's user token rewriting settings",
    status: 401,
    request: async ({ a }) => hijackSettings(await a.userToken('OWNER'), a),
  },
  { name: 'lifecycle: truncated', status: 401, request: async ({ a }) => pause(a.lifecycleToken.slice(0, -8), a) },
  {
    name: 'lifecycle: oversized',
    status: 401,
    request: async ({ h, a }) => pause(await h.forge.sign(addonClaims(a.claims, { padding: 'y'.repeat(9000) })), a),
  },
  {
    name: 'INSTALLED: a user token offered as the installation token',
    status: 401,
    request: async ({ a }) => ({
      method: 'POST',
      url: '/lifecycle/installed',
      headers: { 'x-addon-lifecycle-token': a.lifecycleToken },
      payload: { workspaceId: a.workspaceId, addonId: a.addonId, authToken: await a.userToken('OWNER'), webhooks: [] },
    }),
  },
  {
    name: "INSTALLED: B's installation token offered for A",
    status: 403,
    request: async ({ a, b }) => ({
      method: 'POST',
      url: '/lifecycle/installed',
      headers: { 'x-addon-lifecycle-token': a.lifecycleToken },
      payload: { workspaceId: a.workspaceId, addonId: a.addonId, authToken: b.installationToken, webhooks: [] },
    }),
  },
  {
    name: 'INSTALLED: a webhook token of another workspace',
    status: 403,
    request: async ({ a, b }) => ({
      method: 'POST',
      url: '/lifecycle/installed',
      headers: { 'x-addon-lifecycle-token': a.lifecycleToken },
      payload: {
        workspaceId: a.workspaceId,
        addonId: a.addonId,
        authToken: a.installationToken,
        webhooks: [{ path: `${BASE_URL}${webhookPath('NEW_TIME_ENTRY')}`, authToken: b.webhookTokens.NEW_TIME_ENTRY }],
      },
    }),
  },

  // --- Clockify webhooks (Clockify-Signature) ---
  { name: 'webhook: alg none', status: 401, request: async ({ a }) => webhook(unsignedToken(addonClaims(a.claims)), a.workspaceId) },
  {
    name: 'webhook: HS256 keyed with the public key',
    status: 401,
    request: async ({ h, a }) => webhook(await hs256WithPublicKey(addonClaims(a.claims), h.forge.publicKeyPem), a.workspaceId),
  },
  {
    name: "webhook: A's webhook token replayed with B's payload",
    status: 403,
    request: async ({ a, b }) => webhook(a.webhookTokens.NEW_TIME_ENTRY!, b.workspaceId),
  },
  {
    name: "webhook: B's webhook token replayed with A's payload",
    status: 403,
    request: async ({ a, b }) => webhook(b.webhookTokens.NEW_TIME_ENTRY!, a.workspaceId),
  },
  {
    name: 'webhook: validly signed but not the token stored for this webhook',
    status: 401,
    request: async ({ h, a }) => webhook(await h.forge.sign(addonClaims(a.claims)), a.workspaceId),
  },
  {
    name: 'webhook: token of another event of the same workspace',
    status: 401,
    request: async ({ a }) => webhook(a.webhookTokens.NEW_PROJECT!, a.workspaceId),
  },
  {
    name: 'webhook: the installation token as signature',
    status: 401,
    request: async ({ a }) => webhook(a.installationToken, a.workspaceId),
  },
  { name: 'webhook: the lifecycle token as signature', status: 401, request: async ({ a }) => webhook(a.lifecycleToken, a.workspaceId) },
  { name: 'webhook: a user token as signature', status: 401, request: async ({ a }) => webhook(await a.userToken('OWNER'), a.workspaceId) },
  {
    name: 'webhook: truncated',
    status: 401,
    request: async ({ a }) => webhook(a.webhookTokens.NEW_TIME_ENTRY!.slice(0, -10), a.workspaceId),
  },
  {
    name: 'webhook: oversized',
    status: 401,
    request: async ({ h, a }) => webhook(await h.forge.sign(addonClaims(a.claims, { padding: 'z'.repeat(9000) })), a.workspaceId),
  },
  {
    name: 'webhook: wrong sub',
    status: 403,
    request: async ({ h, a }) => webhook(await h.forge.sign(addonClaims(a.claims, { sub: 'some-other-addon' })), a.workspaceId),
  },
];

describeEachDialect('token attacks', (dialect) => {
  let world: World;

  beforeAll(async () => {
    const h = await createHarness('universal-webhook', { dialect, label: `token attacks ${dialect}` });
    world = { h, a: await h.install(), b: await h.install() };
  });
  afterAll(() => world?.h.close());

  it.each(ATTACKS)('$name → $status, nothing changed', async (attack) => {
    const response = await world.h.attack(await attack.request(world), { allow2xx: false });
    expect(response.statusCode, response.body).toBe(attack.status);
  });

  it('still serves the honest tokens afterwards (the rows above failed for their own reason)', async () => {
    const { h, a } = world;
    expect((await h.send(ui(await a.userToken('OWNER')))).statusCode).toBe(201);
    expect((await h.send(webhook(a.webhookTokens.NEW_TIME_ENTRY!, a.workspaceId))).statusCode).toBe(200);
    expect((await h.send(pause(a.lifecycleToken, a))).statusCode).toBe(200);
  });

  it('refuses every stored token of a workspace once it is uninstalled', async () => {
    const { h } = world;
    const c = await h.install();
    const owner = await c.userToken('OWNER');
    const deleted = await h.send({
      method: 'POST',
      url: '/lifecycle/deleted',
      headers: { 'x-addon-lifecycle-token': c.lifecycleToken },
      payload: { workspaceId: c.workspaceId, addonId: c.addonId },
    });
    expect(deleted.statusCode).toBe(200);
    expect((await h.attack(webhook(c.webhookTokens.NEW_TIME_ENTRY!, c.workspaceId), { allow2xx: false })).statusCode).toBe(401);
    expect((await h.attack(ui(owner), { allow2xx: false })).statusCode).toBe(403);
  });
});
