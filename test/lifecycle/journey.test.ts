/**
 * Issue 4, "done when": against the sandbox, install → settings → deactivate → activate → uninstall
 * works for each edition, with REST registrations created at Clockify and removed (tokens dropped)
 * on uninstall; webhooks refused while INACTIVE; jobs of an INACTIVE workspace wait.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { getEdition, restRegisteredEvents } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { metricValue, postWebhook, rowCount, storedWebhookToken } from './support.js';

const EDITIONS: EditionId[] = ['api-studio', 'universal-webhook', 'clockify-addon'];
const PROBE_JOB = 'test.probe';

describeEachDialect('install lifecycle of every edition against the sandbox', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: EDITIONS, dialect });
  }, 60_000);
  afterAll(() => stack?.close());

  it.each(EDITIONS)('%s: install → settings → deactivate → activate → uninstall', async (id) => {
    const edition = stack.edition(id);
    const definition = getEdition(id);
    const addonKey = edition.runtime.editionConfig.key;
    const db = edition.runtime.database.db;
    const probeRuns: number[] = [];
    edition.runtime.jobHandlers[PROBE_JOB] = async (job) => {
      probeRuns.push(job.id);
    };

    // INSTALLED: the installation is stored with a sealed token, and every REST webhook gets registered at Clockify.
    const { workspaceId, addonId } = await stack.install(id);
    const installed = await db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    expect(installed).toMatchObject({ addon_id: addonId, addon_key: addonKey, status: 'ACTIVE', backend_url: stack.sandbox.backendUrl });
    expect(installed.token_ciphertext).toMatch(/^v1\./);

    const report = await eventually(async () => {
      const response = await stack.ui(id, '/ui/webhooks/registrations');
      return response.status === 200 && response.body.summary.problems === 0 && response.body.summary.ok === definition.events.length
        ? response.body
        : undefined;
    }, 30_000);
    expect(report.checkedAtClockify).toBe(true);
    const restEvents = restRegisteredEvents(definition);
    for (const entry of report.entries) {
      expect(entry.state).toBe('ok');
      expect(entry.route).toBe(restEvents.includes(entry.event) ? 'rest' : 'manifest');
      if (entry.route === 'rest') expect(entry.clockifyWebhookId).toEqual(expect.any(String));
    }
    // The sandbox's own list: one webhook per subscribed event, each pointing at the edition's own URL.
    const atClockify = stack.sandbox.installations().find((installation) => installation.addonId === addonId);
    const base = edition.runtime.editionConfig.baseUrl;
    expect(atClockify?.webhooks.map((w) => `${w.event} ${w.url}`).sort()).toEqual(
      definition.events.map((event) => `${event} ${base}${webhookPath(event)}`).sort(),
    );

    // A REST-registered event really arrives through its registration.
    const restEvent = restEvents.includes('PROJECT_UPDATED') ? 'PROJECT_UPDATED' : restEvents[0]!;
    await stack.sandbox.trigger(restEvent, { workspaceId, addonKey });
    await eventually(
      async () =>
        (await db
          .selectFrom('webhook_events')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('event_type', '=', restEvent)
          .executeTakeFirst()) ?? false,
    );

    // SETTINGS_UPDATED: typed values stored, and they override the environment defaults for this workspace.
    const settingsResult = await stack.sandbox.updateSettings({ addonKey, workspaceId, values: { retention_days: '45', max_pages: 12 } });
    expect(settingsResult.status).toBe(200);
    expect(settingsResult.body).toMatchObject({ ok: true, outcome: 'applied' });
    const settingsView = await stack.ui(id, '/ui/settings');
    const valueOf = (settingId: string) => settingsView.body.settings.find((s: { id: string }) => s.id === settingId)?.value;
    expect(valueOf('retention_days')).toBe(45);
    expect(valueOf('max_pages')).toBe(12);
    expect(valueOf('delete_data_on_uninstall')).toBe(true);

    // STATUS_CHANGED → INACTIVE: webhooks refused without storing, jobs wait.
    const newEntryToken = await storedWebhookToken(edition, workspaceId, 'NEW_TIME_ENTRY');
    const userToken = await stack.userToken(id, 'OWNER');
    expect((await stack.sandbox.setStatus({ addonKey, workspaceId, status: 'INACTIVE' })).body).toMatchObject({ outcome: 'applied' });
    expect(
      (await db.selectFrom('installations').select('status').where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).status,
    ).toBe('INACTIVE');
    const eventsBefore = await rowCount(edition, 'webhook_events', workspaceId);
    const whileInactive = await postWebhook(edition, {
      event: 'NEW_TIME_ENTRY',
      token: newEntryToken,
      body: { id: 'inactive-1', workspaceId, userId: 'u1' },
    });
    expect(whileInactive.status).toBe(403);
    expect(whileInactive.contentType).toContain('application/problem+json');
    expect(whileInactive.body.type).toMatch(/installation-inactive$/);
    expect(await rowCount(edition, 'webhook_events', workspaceId)).toBe(eventsBefore);
    const me = await stack.ui(id, '/ui/me', { token: userToken });
    expect(me.body.installation.status).toBe('INACTIVE');

    const probeId = await edition.runtime.queue.enqueue({ kind: PROBE_JOB, workspaceId });
    // Several worker polls (250 ms apart) go by: the job must still be waiting.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(probeRuns).not.toContain(probeId);
    expect((await edition.runtime.queue.get(probeId!))?.status).toBe('pending');

    // STATUS_CHANGED → ACTIVE: the waiting job runs, webhooks are accepted again.
    expect((await stack.sandbox.setStatus({ addonKey, workspaceId, status: 'ACTIVE' })).body).toMatchObject({ outcome: 'applied' });
    await eventually(() => probeRuns.includes(probeId!));
    const whileActive = await postWebhook(edition, {
      event: 'NEW_TIME_ENTRY',
      token: newEntryToken,
      body: { id: 'active-1', workspaceId, userId: 'u1' },
    });
    expect(whileActive.status).toBe(200);
    expect(whileActive.body.status).toBe('accepted');

    // DELETED: tokens gone at once, webhooks refused, the sidebar refused, data purged (the default setting).
    const uninstall = await stack.sandbox.uninstall({ addonKey, workspaceId });
    expect(uninstall.status).toBe(200);
    expect(uninstall.body).toMatchObject({ outcome: 'applied' });
    const tombstone = await db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    expect(tombstone.status).toBe('DELETED');
    expect(tombstone.token_ciphertext).toBeNull();
    const registrations = await db.selectFrom('webhook_registrations').selectAll().where('workspace_id', '=', workspaceId).execute();
    for (const registration of registrations) {
      expect(registration.token_ciphertext).toBeNull();
      expect(registration.token_hash).toBeNull();
    }
    expect(stack.sandbox.installations().some((installation) => installation.addonId === addonId)).toBe(false);
    const afterUninstall = await postWebhook(edition, {
      event: 'NEW_TIME_ENTRY',
      token: newEntryToken,
      body: { id: 'deleted-1', workspaceId, userId: 'u1' },
    });
    expect(afterUninstall.status).toBe(401);
    expect(afterUninstall.body.type).toMatch(/not-installed$/);
    expect((await stack.ui(id, '/ui/me', { token: userToken })).status).toBe(403);
    await eventually(
      async () =>
        (await rowCount(edition, 'webhook_events', workspaceId)) === 0 &&
        (await rowCount(edition, 'webhook_registrations', workspaceId)) === 0,
      15_000,
    );
    if (restEvents.length > 0) {
      // The add-on tried to remove the webhooks it had registered (Clockify had already revoked its token, so it gave up quietly).
      const unregister = await eventually(async () => {
        const job = await db
          .selectFrom('jobs')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('kind', '=', 'webhooks.unregister')
          .executeTakeFirst();
        return job && (job.status === 'done' || job.status === 'dead') ? job : undefined;
      });
      expect(unregister.status).toBe('done');
    }

    // Every step was counted by type and outcome.
    for (const [type, count] of [
      ['INSTALLED', 1],
      ['SETTINGS_UPDATED', 1],
      ['STATUS_CHANGED', 2],
      ['DELETED', 1],
    ] as const) {
      expect(await metricValue(edition, 'lifecycle_events_total', { type, outcome: 'applied' })).toBe(count);
    }
    expect(stack.logs.text()).not.toContain(newEntryToken);
    expect(stack.logs.text()).not.toContain(userToken);
  });
});
