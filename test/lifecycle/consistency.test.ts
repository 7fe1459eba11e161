/**
 * Issue 4: lifecycle state stays consistent whatever order or number of times Clockify's calls
 * arrive — re-install replaces tokens, DELETED is idempotent, stale replays change nothing, two
 * concurrent installs end as one installation — and no token is ever stored in clear.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { getEdition } from '../../src/editions/index.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import {
  addonClaims,
  createForger,
  jobsSettled,
  metricValue,
  postWebhook,
  rawPost,
  sandboxKeyDir,
  snapshotDatabase,
  storedWebhookToken,
} from './support.js';
import type { Forger } from './support.js';

const ID = 'api-studio';

describeEachDialect('lifecycle consistency', (dialect) => {
  let stack: Stack;
  let forger: Forger;
  const tokensSeen = new Set<string>();

  beforeAll(async () => {
    const keyDir = sandboxKeyDir();
    stack = await startStack({ editions: [ID], dialect, sandbox: { dataDir: keyDir } });
    forger = await createForger(keyDir);
  }, 60_000);
  afterAll(() => stack?.close());

  const edition = () => stack.edition(ID);
  const addonKey = () => edition().runtime.editionConfig.key;
  const installationRow = (workspaceId: string) =>
    edition().runtime.database.db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  const lifecycleCall = (path: string, token: string, body: object) =>
    rawPost(
      `${edition().url}/lifecycle/${path}`,
      { 'content-type': 'application/json', 'x-addon-lifecycle-token': token },
      JSON.stringify(body),
    );
  const remember = (token: string) => {
    tokensSeen.add(token);
    return token;
  };

  it('re-install replaces every token: the old webhook token is refused, the new one accepted', async () => {
    const first = await stack.install(ID);
    const oldToken = remember(await storedWebhookToken(edition(), first.workspaceId, 'NEW_TIME_ENTRY'));
    remember(edition().runtime.box.open((await installationRow(first.workspaceId))!.token_ciphertext!));

    const second = await stack.install(ID);
    expect(second.addonId).not.toBe(first.addonId);
    const row = (await installationRow(second.workspaceId))!;
    expect(row.addon_id).toBe(second.addonId);
    const installationToken = remember(edition().runtime.box.open(row.token_ciphertext!));
    expect(decodeJwt(installationToken).addonId).toBe(second.addonId);
    const newToken = remember(await storedWebhookToken(edition(), second.workspaceId, 'NEW_TIME_ENTRY'));
    expect(newToken).not.toBe(oldToken);

    const body = { id: 'reinstall-1', workspaceId: second.workspaceId, userId: 'u1' };
    const refused = await postWebhook(edition(), { event: 'NEW_TIME_ENTRY', token: oldToken, body });
    expect([401, 403]).toContain(refused.status);
    expect(refused.contentType).toContain('application/problem+json');
    const accepted = await postWebhook(edition(), { event: 'NEW_TIME_ENTRY', token: newToken, body });
    expect(accepted.status).toBe(200);
    // Exactly one set of registrations, all for the new installation.
    const registrations = await edition()
      .runtime.database.db.selectFrom('webhook_registrations')
      .selectAll()
      .where('workspace_id', '=', second.workspaceId)
      .execute();
    expect(registrations.map((r) => r.event).sort()).toEqual([...getEdition(ID).events].sort());
    await eventually(async () => (await stack.ui(ID, '/ui/webhooks/registrations')).body.summary?.problems === 0, 20_000);
    for (const registration of await edition()
      .runtime.database.db.selectFrom('webhook_registrations')
      .selectAll()
      .where('workspace_id', '=', second.workspaceId)
      .execute()) {
      const token = remember(edition().runtime.box.open(registration.token_ciphertext!));
      expect(decodeJwt(token).addonId).toBe(second.addonId);
    }
  });

  it('ignores a replayed or out-of-order lifecycle event (older iat) without changing anything', async () => {
    const [workspace] = stack.sandbox.workspaces();
    const workspaceId = workspace!.id;
    const addonId = (await installationRow(workspaceId))!.addon_id;
    const claims = addonClaims({ addonKey: addonKey(), workspaceId, addonId });
    const now = Math.floor(Date.now() / 1000);

    const newer = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now }), {
      addonId,
      workspaceId,
      status: 'INACTIVE',
    });
    expect(newer.body).toMatchObject({ ok: true, outcome: 'applied' });
    // The install's bootstrap may still be writing: compare once the background work is done.
    await jobsSettled(edition(), 60_000);
    const before = await snapshotDatabase(edition());

    // A late retry of an earlier ACTIVE, a stale settings update, and a replayed INSTALLED carrying other tokens.
    const staleActive = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now - 60 }), {
      addonId,
      workspaceId,
      status: 'ACTIVE',
    });
    const staleSettings = await lifecycleCall('settings-updated', await forger.sign({ ...claims, iat: now - 30 }), {
      addonId,
      workspaceId,
      settings: [{ id: 'retention_days', value: 3 }],
    });
    const replayToken = remember(await forger.sign({ ...claims, jti: 'replayed-install' }));
    const replayedInstall = await lifecycleCall('installed', await forger.sign({ ...claims, iat: now - 120 }), {
      addonId,
      workspaceId,
      authToken: replayToken,
      webhooks: [],
    });
    for (const reply of [staleActive, staleSettings, replayedInstall]) {
      expect(reply.status).toBe(200);
      expect(reply.body.outcome).toBe('ignored-stale');
    }
    expect(await snapshotDatabase(edition())).toEqual(before);
    expect(await metricValue(edition(), 'lifecycle_events_total', { type: 'INSTALLED', outcome: 'ignored-stale' })).toBe(1);

    const resumed = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now + 1 }), {
      addonId,
      workspaceId,
      status: 'ACTIVE',
    });
    expect(resumed.body.outcome).toBe('applied');
    expect((await installationRow(workspaceId))!.status).toBe('ACTIVE');
  });

  it('applies DELETED once: a second DELETED is acknowledged as already deleted', async () => {
    const [workspace] = stack.sandbox.workspaces();
    const workspaceId = workspace!.id;
    const addonId = (await installationRow(workspaceId))!.addon_id;
    const first = await stack.sandbox.uninstall({ addonKey: addonKey(), workspaceId });
    expect(first.body).toMatchObject({ outcome: 'applied' });
    const afterFirst = (await installationRow(workspaceId))!;
    expect(afterFirst.status).toBe('DELETED');

    // Clockify retries, or the sandbox is gone: we send the second DELETED ourselves with a genuine-looking token.
    const token = await forger.sign(addonClaims({ addonKey: addonKey(), workspaceId, addonId }));
    const second = await lifecycleCall('deleted', token, { addonId, workspaceId });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ ok: true, outcome: 'ignored-already-deleted' });
    expect((await installationRow(workspaceId))!).toEqual(afterFirst);
    // Same through the alias path.
    const alias = await lifecycleCall('uninstalled', token, { addonId, workspaceId });
    expect(alias.body.outcome).toBe('ignored-already-deleted');
    expect(await metricValue(edition(), 'lifecycle_events_total', { type: 'DELETED', outcome: 'ignored-already-deleted' })).toBe(2);
  });

  it('ends with one consistent installation when the same workspace is installed twice at once', async () => {
    const definition = getEdition(ID);
    const base = edition().runtime.editionConfig.baseUrl;
    for (let round = 0; round < 4; round++) {
      const workspaceId = `c0ffee${round}`.padEnd(24, '0');
      const installs = await Promise.all(
        ['a', 'b'].map(async (letter) => {
          const addonId = `${letter}${round}`.padEnd(24, letter);
          const claims = addonClaims({ addonKey: addonKey(), workspaceId, addonId, backendUrl: stack.sandbox.backendUrl });
          const webhooks = await Promise.all(
            definition.manifestEvents.map(async (event) => ({
              path: `${base}${webhookPath(event)}`,
              webhookType: 'ADDON',
              authToken: remember(await forger.sign({ ...claims, jti: `${letter}-${event}` })),
            })),
          );
          const authToken = remember(await forger.sign({ ...claims, jti: `${letter}-installation` }));
          return {
            addonId,
            authToken,
            webhooks,
            body: { addonId, workspaceId, authToken, webhooks },
            lifecycleToken: await forger.sign(claims),
          };
        }),
      );
      const replies = await Promise.all(installs.map((install) => lifecycleCall('installed', install.lifecycleToken, install.body)));
      for (const reply of replies) expect(reply.body).toMatchObject({ ok: true, outcome: 'applied' });

      const db = edition().runtime.database.db;
      const rows = await db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).execute();
      expect(rows).toHaveLength(1);
      const winner = installs.find((install) => install.addonId === rows[0]!.addon_id)!;
      const loser = installs.find((install) => install !== winner)!;
      expect(winner).toBeDefined();
      expect(edition().runtime.box.open(rows[0]!.token_ciphertext!)).toBe(winner.authToken);
      // Every registration belongs to the winner: one per event, none left from the other install.
      const registrations = await db.selectFrom('webhook_registrations').selectAll().where('workspace_id', '=', workspaceId).execute();
      expect(registrations.map((r) => r.event).sort()).toEqual([...definition.events].sort());
      for (const registration of registrations.filter((r) => r.route === 'manifest')) {
        expect(decodeJwt(edition().runtime.box.open(registration.token_ciphertext!)).addonId).toBe(winner.addonId);
      }
      const registerJobs = await db
        .selectFrom('jobs')
        .select('status')
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'webhooks.register')
        .where('status', 'in', ['pending', 'running'])
        .execute();
      expect(registerJobs.length).toBeLessThanOrEqual(1);

      const body = { id: `concurrent-${round}`, workspaceId, userId: 'u1' };
      expect(
        (await postWebhook(edition(), { event: definition.manifestEvents[0]!, token: winner.webhooks[0]!.authToken, body })).status,
      ).toBe(200);
      expect([401, 403]).toContain(
        (await postWebhook(edition(), { event: definition.manifestEvents[0]!, token: loser.webhooks[0]!.authToken, body })).status,
      );
    }
  });

  it('holds no installation or webhook token in clear anywhere in the database', async () => {
    expect(tokensSeen.size).toBeGreaterThan(10);
    const dump = JSON.stringify(await snapshotDatabase(edition()));
    for (const token of tokensSeen) {
      expect(dump).not.toContain(token);
      // Nor its signature alone (a token stored in pieces).
      expect(dump).not.toContain(token.split('.')[2]!);
    }
    // Nothing JWT-shaped at all.
    expect(dump).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/);
    expect(stack.logs.text()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
