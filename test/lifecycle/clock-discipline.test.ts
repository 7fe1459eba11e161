/**
 * Issue 19: a lifecycle token dated in the future is refused with a clear reason, and no token
 * (refused, or accepted within the clock skew) can make the genuine events after it look stale.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { addonClaims, createForger, rawPost, sandboxKeyDir } from './support.js';
import type { Forger } from './support.js';

const ID = 'api-studio';

describeEachDialect('lifecycle clock discipline', (dialect) => {
  let stack: Stack;
  let forger: Forger;

  beforeAll(async () => {
    const keyDir = sandboxKeyDir();
    stack = await startStack({ editions: [ID], dialect, sandbox: { dataDir: keyDir } });
    forger = await createForger(keyDir);
  }, 60_000);
  afterAll(() => stack?.close());

  const edition = () => stack.edition(ID);
  const installationRow = (workspaceId: string) =>
    edition().runtime.database.db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
  const lifecycleCall = (path: string, token: string, body: object) =>
    rawPost(
      `${edition().url}/lifecycle/${path}`,
      { 'content-type': 'application/json', 'x-addon-lifecycle-token': token },
      JSON.stringify(body),
    );
  const claimsOf = async (workspaceId: string) => {
    const addonId = (await installationRow(workspaceId)).addon_id;
    return { addonId, claims: addonClaims({ addonKey: edition().runtime.editionConfig.key, workspaceId, addonId }) };
  };

  it('refuses a lifecycle token issued an hour ahead with 401 and its reason; the real uninstall afterwards applies', async () => {
    const { workspaceId } = await stack.install(ID);
    const { addonId, claims } = await claimsOf(workspaceId);
    const before = await installationRow(workspaceId);
    const future = Math.floor(Date.now() / 1000) + 3600;

    const refused = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: future }), {
      addonId,
      workspaceId,
      status: 'INACTIVE',
    });
    expect(refused.status).toBe(401);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.detail).toBe('The lifecycle token was rejected: issued in the future.');
    expect(await installationRow(workspaceId)).toEqual(before);

    const uninstalled = await stack.sandbox.uninstall({ addonKey: edition().runtime.editionConfig.key, workspaceId });
    expect(uninstalled.body).toMatchObject({ outcome: 'applied' });
    expect((await installationRow(workspaceId)).status).toBe('DELETED');
  });

  it('a token within the skew but ahead of our clock does not make the next genuine events stale', async () => {
    const { workspaceId } = await stack.install(ID);
    const { addonId, claims } = await claimsOf(workspaceId);
    const now = Math.floor(Date.now() / 1000);

    const ahead = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now + 50 }), {
      addonId,
      workspaceId,
      status: 'INACTIVE',
    });
    expect(ahead.body).toMatchObject({ ok: true, outcome: 'applied' });
    // Clockify's next event, issued by a correct clock a moment later, still counts.
    const resumed = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now + 5 }), {
      addonId,
      workspaceId,
      status: 'ACTIVE',
    });
    expect(resumed.body).toMatchObject({ ok: true, outcome: 'applied' });
    expect((await installationRow(workspaceId)).status).toBe('ACTIVE');
    // An event older than what was applied is still ignored.
    const stale = await lifecycleCall('status-changed', await forger.sign({ ...claims, iat: now - 60 }), {
      addonId,
      workspaceId,
      status: 'INACTIVE',
    });
    expect(stale.body.outcome).toBe('ignored-stale');
    expect((await installationRow(workspaceId)).status).toBe('ACTIVE');
  });

  it('an installation whose stored mark lies in the future (from before the fix) still takes the real uninstall', async () => {
    const { workspaceId } = await stack.install(ID);
    await edition()
      .runtime.database.db.updateTable('installations')
      .set({ last_lifecycle_at: Date.now() + 365 * 24 * 3600_000 })
      .where('workspace_id', '=', workspaceId)
      .execute();
    const uninstalled = await stack.sandbox.uninstall({ addonKey: edition().runtime.editionConfig.key, workspaceId });
    expect(uninstalled.body).toMatchObject({ outcome: 'applied' });
    expect((await installationRow(workspaceId)).status).toBe('DELETED');
  });
});
