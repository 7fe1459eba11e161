/**
 * Secrets never leak. Each edition runs a busy scenario — installs, REST webhook registration
 * (Clockify answering with fresh webhook tokens), explorer calls whose answers contain tokens, flows
 * whose actions read those answers and send them on, custom sources created, rotated and
 * delivered to, forwarding, forged-token attempts, a settings change and an uninstall — with the
 * job worker running. Then every place a secret could end up is searched for every installation,
 * webhook, lifecycle and user token, the encryption key, and every custom-source and forwarding
 * secret: the captured logs, every table of the database (API-call and run histories, action
 * results, kept webhook headers, job payloads …), every answer body, and the built UI bundle.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { Worker } from '../../src/jobs/worker.js';
import { readResourceJson } from '../../src/resources.js';
import { signHmacHex, signStandard } from '../../src/ingest/signatures.js';
import { eventually } from '../helpers/stack.js';
import { TEST_ENCRYPTION_KEY } from '../helpers/config.js';
import { addonClaims } from './support/forge.js';
import { createHarness, tableNames } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');

/** The parts of a secret worth searching for: the whole value, and a JWT's signature alone (what makes it usable). */
function needles(secret: string): string[] {
  const parts = [secret];
  const signature = secret.split('.')[2];
  if (signature && signature.length >= 40) parts.push(signature);
  if (secret.startsWith('whsec_')) parts.push(secret.slice(6));
  return parts.filter((part) => part.length >= 16);
}

function findSecrets(haystack: string, secrets: string[]): string[] {
  return secrets
    .filter((secret) => needles(secret).some((needle) => haystack.includes(needle)))
    .map((secret) => `${secret.slice(0, 8)}… (${secret.length} chars)`);
}

async function dumpDatabase(h: Harness): Promise<Record<string, string>> {
  const dump: Record<string, string> = {};
  for (const table of await tableNames(h.runtime.database)) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(h.runtime.database.db);
    dump[table] = JSON.stringify(rows.rows);
  }
  return dump;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.each(['universal-webhook', 'clockify-addon'] as const)('secrets stay secret: %s', (editionId) => {
  let h: Harness;
  let worker: Worker;
  let a: InstalledWorkspace;
  let b: InstalledWorkspace;
  /** Answers that hand a secret to its owner by design (source created/rotated, forwarding secret): only searched for the other secrets. */
  const disclosures: { body: string; allowed: string }[] = [];

  beforeAll(async () => {
    h = await createHarness(editionId, {
      env: { UW_ENABLE_HTTP_ACTIONS: 'true', OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1', JOB_LEASE_SECONDS: '5' },
      label: `secrets ${editionId}`,
    });
    const { stub } = h;
    // Clockify's webhook endpoints answer with tokens, exactly as the real API does.
    stub.answer((request) => {
      const path = request.url.split('?')[0]!;
      if (request.method === 'POST' && /\/webhooks$/.test(path)) {
        const body = JSON.parse(request.body || '{}') as { url?: string; webhookEvent?: string };
        const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'registered', n: Math.random() })).toString('base64url')}.${'S'.repeat(43)}${Math.random().toString(36).slice(2, 10)}`;
        h.addSecret(token);
        return {
          status: 201,
          body: {
            id: `wh${Math.random().toString(16).slice(2, 24)}`.padEnd(24, '0'),
            url: body.url,
            webhookEvent: body.webhookEvent,
            enabled: true,
            authToken: token,
          },
        };
      }
      if (request.method === 'GET' && /\/webhooks$/.test(path)) {
        // The add-on's own webhooks, with their tokens (an admin listing them through the explorer sees this).
        return {
          status: 200,
          body: Object.entries(a?.webhookTokens ?? {}).map(([event, authToken], i) => ({
            id: `w${i}`.padEnd(24, '0'),
            webhookEvent: event,
            authToken,
            url: 'x',
          })),
        };
      }
      if (request.method === 'GET' && /\/tags$/.test(path))
        return { status: 200, body: [{ id: 't1'.padEnd(24, '0'), name: 'tag', note: `Bearer ${a?.installationToken}` }] };
      return { status: 200, body: request.method === 'GET' ? [] : { id: 'x'.padEnd(24, '0'), echo: request.body.slice(0, 100) } };
    });
    worker = new Worker(h.runtime.queue, h.runtime.jobHandlers, {
      concurrency: 4,
      leaseMs: 5_000,
      pollIntervalMs: 50,
      logger: h.runtime.logger,
    });
    worker.start();
    a = await h.install();
    b = await h.install();
  });
  afterAll(async () => {
    await worker?.stop(2_000);
    await h?.close();
  });

  const owner = async (workspace: InstalledWorkspace = a) => ({
    authorization: `Bearer ${await workspace.userToken('OWNER')}`,
    'content-type': 'application/json',
  });

  it('runs the scenario', async () => {
    const headers = await owner();
    const capabilities = h.runtime.edition.capabilities;

    // REST registration of the events the manifest cannot carry: Clockify hands out a token per webhook.
    await eventually(
      async () =>
        (
          await h.runtime.database.db
            .selectFrom('webhook_registrations')
            .select('status')
            .where('workspace_id', '=', a.workspaceId)
            .where('route', '=', 'rest')
            .execute()
        ).every((r) => r.status === 'active'),
      20_000,
    );

    // Explorer: answers that contain tokens.
    for (const [operationId, params] of [
      ['getTags', {}],
      ['getAddonWebhooks', { addonId: a.addonId }],
      ['getWebhooks', {}],
    ] as const) {
      const answer = await h.send({
        method: 'POST',
        url: '/ui/api-explorer/execute',
        headers,
        payload: JSON.stringify({ operationId, params }),
      });
      expect(answer.statusCode, answer.body).toBe(200);
    }
    expect((await h.send({ method: 'GET', url: '/ui/api-explorer/history', headers })).statusCode).toBe(200);

    // A flow that reads a token-bearing answer and sends it on.
    const actions: unknown[] = [
      { id: 'tags', kind: 'clockify', operationId: 'getTags' },
      { id: 'hooks', kind: 'clockify', operationId: 'getWebhooks' },
    ];
    if (capabilities.httpActions)
      actions.push({
        id: 'relay',
        kind: 'http',
        method: 'POST',
        url: `${h.stub.backendUrl}/relay`,
        headers: { 'x-note': '{{ steps.tags.body[0].note }}' },
        body: { tags: '{{ steps.tags.body | json }}', hooks: '{{ steps.hooks.body | json }}' },
      });
    const flow = await h.send({
      method: 'POST',
      url: '/ui/flows',
      headers,
      payload: JSON.stringify({
        definition: {
          name: 'relay',
          enabled: true,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [] },
          actions,
        },
      }),
    });
    expect(flow.statusCode, flow.body).toBe(201);

    // Webhooks: honest ones (the flow runs), a replay, and forged ones.
    const hook = (signature: string, extra: Record<string, string> = {}) => ({
      method: 'POST' as const,
      url: webhookPath('NEW_TIME_ENTRY'),
      headers: {
        'content-type': 'application/json',
        'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
        'clockify-signature': signature,
        authorization: `Bearer ${a.installationToken}`,
        'x-addon-token': a.installationToken,
        ...extra,
      },
      payload: JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id: `e${Math.random()}` }),
    });
    for (let i = 0; i < 3; i++) expect((await h.send(hook(a.webhookTokens.NEW_TIME_ENTRY!))).statusCode).toBe(200);
    await h.send(hook(b.webhookTokens.NEW_TIME_ENTRY!));
    await h.send(hook(await h.forge.sign(addonClaims(a.claims))));
    await h.send(hook(a.installationToken));

    // Custom sources: created, delivered to, rotated, listed.
    if (capabilities.customWebhooks) {
      for (const mode of ['standard', 'hmac-sha256'] as const) {
        const created = await h.send({
          method: 'POST',
          url: '/ui/sources',
          headers,
          payload: JSON.stringify({ name: mode, signatureMode: mode }),
        });
        expect(created.statusCode).toBe(201);
        const { source, secret } = created.json() as { source: { id: string }; secret: string };
        h.addSecret(secret);
        disclosures.push({ body: created.body, allowed: secret });
        const body = JSON.stringify({ type: 'ping', n: 1 });
        const now = Math.floor(Date.now() / 1000);
        const signed =
          mode === 'standard'
            ? { 'webhook-id': 'm1', 'webhook-timestamp': String(now), 'webhook-signature': signStandard(secret, 'm1', now, body) }
            : { 'x-signature-256': `sha256=${signHmacHex(secret, body)}` };
        expect(
          (
            await h.send({
              method: 'POST',
              url: `/webhooks/custom/${source.id}`,
              headers: { 'content-type': 'application/json', ...signed },
              payload: body,
            })
          ).statusCode,
        ).toBe(200);
        await h.send({
          method: 'POST',
          url: `/webhooks/custom/${source.id}`,
          headers: {
            'content-type': 'application/json',
            'x-signature-256': `sha256=${'0'.repeat(64)}`,
            'webhook-signature': `v1,${secret}`,
          },
          payload: body,
        });
        const rotated = await h.send({ method: 'POST', url: `/ui/sources/${source.id}/rotate`, headers });
        const newSecret = (rotated.json() as { secret: string }).secret;
        h.addSecret(newSecret);
        disclosures.push({ body: rotated.body, allowed: newSecret });
      }
      expect((await h.send({ method: 'GET', url: '/ui/sources', headers })).statusCode).toBe(200);
    }

    // Forwarding: the secret is shown to admins, and signs what is relayed.
    if (capabilities.forwarding) {
      const secret = await h.send({ method: 'GET', url: '/ui/settings/forwarding-secret', headers });
      const value = (secret.json() as { secret: string }).secret;
      h.addSecret(value);
      disclosures.push({ body: secret.body, allowed: value });
      const update = await h.send({
        method: 'POST',
        url: '/lifecycle/settings-updated',
        headers: { 'x-addon-lifecycle-token': a.lifecycleToken },
        payload: {
          workspaceId: a.workspaceId,
          addonId: a.addonId,
          settings: [{ id: 'forwarding_url', value: `${h.stub.backendUrl}/forward` }],
        },
      });
      expect(update.statusCode).toBe(200);
      h.runtime.invalidateSettings(a.workspaceId);
      await h.send(hook(a.webhookTokens.NEW_TIME_ENTRY!));
    }

    // Forged and misplaced tokens on every door.
    await h.send({ method: 'GET', url: '/ui/me', headers: { authorization: `Bearer ${a.installationToken}` } });
    await h.send({ method: 'GET', url: `/ui/me?auth_token=${a.lifecycleToken}` });
    await h.send({
      method: 'POST',
      url: '/lifecycle/status-changed',
      headers: { 'x-addon-lifecycle-token': b.lifecycleToken },
      payload: { workspaceId: a.workspaceId, addonId: a.addonId, status: 'INACTIVE' },
    });
    await h.send({
      method: 'POST',
      url: '/lifecycle/installed',
      headers: { 'x-addon-lifecycle-token': a.lifecycleToken },
      payload: { workspaceId: a.workspaceId, addonId: a.addonId, authToken: `${a.installationToken}x` },
    });

    // Let the worker run everything (flows, forwarding, registration), then uninstall B.
    await eventually(async () => {
      const open = await h.runtime.database.db.selectFrom('webhook_events').select('id').where('status', '=', 'received').execute();
      return open.length === 0;
    }, 20_000);
    expect(
      (
        await h.send({
          method: 'POST',
          url: '/lifecycle/deleted',
          headers: { 'x-addon-lifecycle-token': b.lifecycleToken },
          payload: { workspaceId: b.workspaceId, addonId: b.addonId },
        })
      ).statusCode,
    ).toBe(200);
    await eventually(
      async () =>
        (
          await h.runtime.database.db
            .selectFrom('jobs')
            .select('id')
            .where('status', 'in', ['pending', 'running'])
            .where('run_at', '<=', Date.now())
            .execute()
        ).length === 0,
      20_000,
    );

    // The scenario reached the places the search below covers.
    const runs = await h.runtime.database.db.selectFrom('flow_action_results').select('status').execute();
    expect(runs.length).toBeGreaterThan(0);
    expect((await h.runtime.database.db.selectFrom('api_calls').select('id').execute()).length).toBeGreaterThan(3);
  }, 60_000);

  it('finds no secret in the logs', () => {
    const text = h.t.logs.text();
    expect(text.length).toBeGreaterThan(1000);
    expect(findSecrets(text, h.secrets())).toEqual([]);
  });

  it('finds no secret in any table (API calls, runs, action results, kept headers, jobs, …)', async () => {
    const dump = await dumpDatabase(h);
    expect(Object.keys(dump)).toEqual(expect.arrayContaining(['api_calls', 'flow_runs', 'flow_action_results', 'webhook_events', 'jobs']));
    const found = Object.fromEntries(
      Object.entries(dump)
        .map(([table, text]) => [table, findSecrets(text, h.secrets())] as const)
        .filter(([, hits]) => hits.length > 0),
    );
    expect(found).toEqual({});
  });

  it('finds no secret in any answer, except the one secret a create/rotate/reveal answer hands its owner', () => {
    const allowedBodies = new Map(disclosures.map((d) => [d.body, d.allowed]));
    const hits = h.bodies().flatMap((body) =>
      findSecrets(
        body,
        h.secrets().filter((secret) => secret !== allowedBodies.get(body)),
      ),
    );
    expect(h.bodies().length).toBeGreaterThan(20);
    expect(hits).toEqual([]);
  });

  it('sent nothing secret onwards except the token Clockify needs', () => {
    // Flow HTTP actions and forwarding reach the stub too: they must carry no token of ours.
    const relayed = h.stub.requests.filter((request) => request.url.startsWith('/api/relay') || request.url.startsWith('/api/forward'));
    expect(relayed.length).toBeGreaterThan(0);
    const text = relayed.map((request) => `${JSON.stringify(request.headers)} ${request.body}`).join('\n');
    const tokensOfOurs = h.secrets().filter((secret) => !disclosures.some((d) => d.allowed === secret));
    expect(findSecrets(text, tokensOfOurs)).toEqual([]);
  });
});

describe('the built UI bundle', () => {
  const dist = join(process.cwd(), 'dist', 'web');
  it.skipIf(!existsSync(dist))('contains no token, key or secret', () => {
    const files = filesUnder(dist);
    expect(files.length).toBeGreaterThan(0);
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      if (/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/.test(text)) offenders.push(`${file}: a JWT`);
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) offenders.push(`${file}: a private key`);
      if (/whsec_[A-Za-z0-9+/=]{20,}/.test(text)) offenders.push(`${file}: a webhook secret`);
      if (text.includes(TEST_ENCRYPTION_KEY)) offenders.push(`${file}: the test encryption key`);
      const envKey = process.env.ADDON_ENCRYPTION_KEY;
      if (envKey && envKey.length >= 16 && text.includes(envKey)) offenders.push(`${file}: ADDON_ENCRYPTION_KEY`);
      if (/ADDON_ENCRYPTION_KEY\s*[=:]\s*["']?[0-9a-fA-F]{64}/.test(text)) offenders.push(`${file}: an encryption key assignment`);
    }
    expect(offenders).toEqual([]);
  });
});
