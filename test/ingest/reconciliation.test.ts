/**
 * Nothing Clockify sent is lost, even while we were down: the edition is stopped, events happen in
 * the sandbox (every delivery fails and is logged there, as Clockify logs it), the edition starts
 * again and reads the failed deliveries back from `getLogsForWebhook`: every event arrives, once.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEdition } from '../../src/edition.js';
import type { RunningEdition } from '../../src/edition.js';
import { JOB_RECONCILE } from '../../src/reconcile/index.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { project, storedProjectIds } from '../faults/support/burst.js';

describeEachDialect('recovery of deliveries from Clockify webhook logs', (dialect) => {
  let stack: Stack;
  let restarted: RunningEdition | undefined;
  let workspaceId: string;

  beforeEach(async () => {
    stack = await startStack({
      editions: ['clockify-addon'],
      dialect,
      env: { CLOCKIFY_ADDON_RUN_ON_INSTALL: 'false', WEBHOOK_RECONCILE_AFTER_FAILURES: '3' },
    });
    ({ workspaceId } = await stack.install('clockify-addon'));
  });
  afterEach(async () => {
    await restarted?.stop();
    restarted = undefined;
    await stack?.close();
  });

  const reconciliation = async (edition: RunningEdition) => {
    const token = await stack.userToken('clockify-addon', 'REGULAR');
    const response = await fetch(`${edition.url}/ui/webhooks/reconciliation`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      lastCheckedAt: string | null;
      lastRecovered: number;
      recoveredTotal: number;
      lastError: string | null;
    };
  };

  it('an edition stopped while events happen gets every one of them once it starts again', async () => {
    const first = stack.edition('clockify-addon');
    await stack.sandbox.trigger('NEW_PROJECT', { workspaceId, payload: project(workspaceId, 'before') });
    await stack.sandbox.waitForDeliveries();
    expect(await storedProjectIds(first.runtime.database, workspaceId)).toEqual(new Set(['before']));

    const { config } = first.runtime;
    const port = Number(new URL(first.url).port);
    await first.stop();

    // Clockify keeps trying while we are down; every attempt fails and is logged.
    const missed = ['down-1', 'down-2', 'down-3'];
    for (const id of missed) await stack.sandbox.trigger('NEW_PROJECT', { workspaceId, payload: project(workspaceId, id) });
    const deliveries = await stack.sandbox.waitForDeliveries();
    expect(deliveries.filter((delivery) => delivery.kind === 'webhook' && delivery.state === 'FAILED')).toHaveLength(missed.length);

    restarted = await startEdition('clockify-addon', config, { logger: stack.logs.logger, port });
    const database = restarted.runtime.database;
    await eventually(
      async () => {
        const stored = await storedProjectIds(database, workspaceId);
        return missed.every((id) => stored.has(id));
      },
      30_000,
      200,
    );
    expect(await storedProjectIds(database, workspaceId)).toEqual(new Set(['before', ...missed]));
    // Stored once each, though every event was logged as failed three times (Clockify's retries).
    const rows = await database.db
      .selectFrom('webhook_events')
      .select(['payload_json', 'status'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(rows).toHaveLength(4);
    // And processed like any webhook.
    await eventually(
      async () => (await database.db.selectFrom('webhook_events').select('id').where('status', '=', 'received').execute()).length === 0,
      15_000,
      100,
    );

    const state = await eventually(async () => {
      const answer = await reconciliation(restarted!);
      return answer.recoveredTotal === missed.length ? answer : undefined;
    });
    expect(state.lastCheckedAt).not.toBeNull();
    expect(state.lastError).toBeNull();

    // A later run reads the same failures again (the window overlaps) and stores nothing twice.
    const before = state.lastCheckedAt;
    await restarted.runtime.queue.enqueue({ kind: JOB_RECONCILE, workspaceId, dedupeKey: `${JOB_RECONCILE}:${workspaceId}` });
    const again = await eventually(
      async () => {
        const answer = await reconciliation(restarted!);
        return answer.lastCheckedAt !== before ? answer : undefined;
      },
      15_000,
      100,
    );
    expect(again).toMatchObject({ lastRecovered: 0, recoveredTotal: missed.length, lastError: null });
    expect(await database.db.selectFrom('webhook_events').select('id').where('workspace_id', '=', workspaceId).execute()).toHaveLength(4);

    // Uninstalled: the record goes with the rest of the workspace's data.
    await stack.sandbox.uninstall({ addonKey: restarted.runtime.editionConfig.key, workspaceId });
    await eventually(
      async () =>
        (await database.db.selectFrom('webhook_reconciliations').select('workspace_id').where('workspace_id', '=', workspaceId).execute())
          .length === 0,
      15_000,
      100,
    );
  });

  it('a burst of 5xx answers to webhooks schedules an early reading of the delivery logs, which recovers them', async () => {
    const edition = stack.edition('clockify-addon');
    const { database } = edition.runtime;
    // A fault the database does not report as an outage: the events table is gone for a while.
    await sql`alter table webhook_events rename to webhook_events_away`.execute(database.db);
    const failed = ['failed-1', 'failed-2', 'failed-3'];
    for (const id of failed) await stack.sandbox.trigger('NEW_PROJECT', { workspaceId, payload: project(workspaceId, id) });
    const deliveries = await stack.sandbox.waitForDeliveries();
    expect(deliveries.filter((delivery) => delivery.kind === 'webhook' && delivery.state === 'FAILED')).toHaveLength(failed.length);
    await sql`alter table webhook_events_away rename to webhook_events`.execute(database.db);

    // Nothing else would read the logs for an hour (the installation is younger than the start).
    await eventually(
      async () => {
        const stored = await storedProjectIds(database, workspaceId);
        return failed.every((id) => stored.has(id));
      },
      30_000,
      200,
    );
    const reasons = stack.logs
      .lines()
      .filter((line) => line.msg === "reading Clockify's webhook delivery logs for failed deliveries")
      .map((line) => line.reason);
    expect(reasons).toContain('webhook 5xx burst');
  });
});
