/**
 * Issue 5: a webhook for an inactive or uninstalled installation is refused from the very next
 * delivery, even right after the same token was accepted (SQLite keeps the lookup of a token while
 * nothing that authorises webhooks changes), and also when the change was made by another instance
 * on the same database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEdition } from '../../src/edition.js';
import { describeEachDialect } from '../helpers/databases.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { postWebhook, storedWebhookToken } from '../lifecycle/support.js';
import { startSecondInstance, timeEntryPayload } from './support.js';

const ID = 'api-studio' as const;
const ADDON_KEY = 'clockify-api-studio';

describeEachDialect('webhook authorisation is never served stale', (dialect) => {
  let stack: Stack;
  let edition: RunningEdition;
  const extraInstances: RunningEdition[] = [];

  beforeAll(async () => {
    stack = await startStack({ editions: [ID], dialect });
    edition = stack.edition(ID);
  }, 60_000);
  afterAll(async () => {
    for (const instance of extraInstances) await instance.stop();
    await stack?.close();
  });

  const send = async (target: RunningEdition, workspaceId: string, token: string) => {
    const reply = await postWebhook(target, { event: 'NEW_TIME_ENTRY', token, body: timeEntryPayload(workspaceId) });
    return { status: reply.status, type: String(reply.body.type ?? reply.body.status) };
  };

  it('refuses the next webhook after a deactivation and an uninstall, and accepts again after reactivation', async () => {
    const { workspaceId } = await stack.install(ID);
    const token = await storedWebhookToken(edition, workspaceId, 'NEW_TIME_ENTRY');
    expect(await send(edition, workspaceId, token)).toEqual({ status: 200, type: 'accepted' });
    expect(await send(edition, workspaceId, token)).toEqual({ status: 200, type: 'accepted' });

    await stack.sandbox.setStatus({ addonKey: ADDON_KEY, workspaceId, status: 'INACTIVE' });
    expect(await send(edition, workspaceId, token)).toMatchObject({ status: 403, type: expect.stringMatching(/installation-inactive$/) });

    await stack.sandbox.setStatus({ addonKey: ADDON_KEY, workspaceId, status: 'ACTIVE' });
    expect(await send(edition, workspaceId, token)).toEqual({ status: 200, type: 'accepted' });

    await stack.sandbox.uninstall({ addonKey: ADDON_KEY, workspaceId });
    expect(await send(edition, workspaceId, token)).toMatchObject({ status: 401 });
  });

  it('refuses the next webhook when another instance on the same database applied the deactivation', async () => {
    const { workspaceId } = await stack.install(ID);
    const token = await storedWebhookToken(edition, workspaceId, 'NEW_TIME_ENTRY');
    expect(await send(edition, workspaceId, token)).toEqual({ status: 200, type: 'accepted' });

    // The replica's own connection writes the change; the first instance learns of it from the database alone.
    const replica = await startSecondInstance(stack, ID, { WORKER_CONCURRENCY: '0' });
    extraInstances.push(replica);
    await replica.runtime.database.db.transaction().execute(async (trx) => {
      await trx.updateTable('installations').set({ status: 'INACTIVE' }).where('workspace_id', '=', workspaceId).execute();
    });
    expect(await send(edition, workspaceId, token)).toMatchObject({ status: 403, type: expect.stringMatching(/installation-inactive$/) });
  });
});
