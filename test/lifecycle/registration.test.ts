/**
 * Issue 4: webhooks the manifest cannot carry are registered through Clockify's REST API; failures
 * are retried from the queue and shown in the drift report, which admins can repair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { getEdition, restRegisteredEvents } from '../../src/editions/index.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { jobsSettled } from './support.js';

const ID = 'api-studio';
const definition = getEdition(ID);
const restEvents = restRegisteredEvents(definition);

interface DriftEntry {
  event: string;
  route: string;
  state: string;
  clockifyWebhookId: string | null;
  detail?: string;
}

async function drift(stack: Stack, role: 'OWNER' | 'REGULAR' = 'OWNER') {
  const response = await stack.ui(ID, '/ui/webhooks/registrations', { role });
  expect(response.status).toBe(200);
  return response.body as {
    entries: DriftEntry[];
    checkedAtClockify: boolean;
    summary: { expected: number; ok: number; problems: number };
  };
}

/** The sandbox's own list of the installation's webhooks, as "EVENT url" lines. */
function sandboxWebhooks(stack: Stack, addonId: string): string[] {
  return (stack.sandbox.installations().find((installation) => installation.addonId === addonId)?.webhooks ?? [])
    .map((w) => `${w.event} ${w.url}`)
    .sort();
}

async function installationToken(stack: Stack, workspaceId: string): Promise<string> {
  const edition = stack.edition(ID);
  const row = await edition.runtime.database.db
    .selectFrom('installations')
    .select('token_ciphertext')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return edition.runtime.box.open(row.token_ciphertext!);
}

describe('REST webhook registration with Clockify failing', () => {
  let stack: Stack;
  let workspaceId: string;
  let addonId: string;
  beforeAll(async () => {
    // Every REST call to "Clockify" fails with 503 until the test lifts the fault.
    stack = await startStack({ editions: [ID], sandbox: { faults: { errorRate: 1 } } });
    ({ workspaceId, addonId } = await stack.install(ID));
  }, 60_000);
  afterAll(() => stack?.close());

  it('retries through the queue, reports the missing events, and an admin repair fixes them', async () => {
    const db = stack.edition(ID).runtime.database.db;
    // The registration job fails and is rescheduled, attempt after attempt.
    const job = await eventually(async () => {
      const row = await db
        .selectFrom('jobs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'webhooks.register')
        .executeTakeFirst();
      return row && row.attempts >= 2 && row.status === 'pending' ? row : undefined;
    }, 20_000);
    expect(job.last_error).toMatch(/503|Service Unavailable/i);

    const during = await drift(stack);
    expect(during.checkedAtClockify).toBe(false);
    expect(during.summary.problems).toBe(restEvents.length);
    for (const entry of during.entries) {
      if (entry.route === 'manifest') expect(entry.state).toBe('ok');
      else expect(['pending', 'failed', 'missing']).toContain(entry.state);
    }
    expect(
      during.entries
        .filter((e) => e.route === 'rest')
        .map((e) => e.event)
        .sort(),
    ).toEqual([...restEvents].sort());

    // A regular user may look but not repair.
    expect((await drift(stack, 'REGULAR')).summary.problems).toBe(restEvents.length);
    const forbidden = await stack.ui(ID, '/ui/webhooks/registrations/repair', { method: 'POST', role: 'REGULAR' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.type).toMatch(/admin-required$/);

    // Clockify recovers. The queued retry is held back while the admin repairs (the two are not coordinated:
    // run together, both could create the same webhook — the drift report would then show the duplicate).
    await eventually(async () => {
      const held = await db
        .updateTable('jobs')
        .set({ run_at: Date.now() + 60_000 })
        .where('id', '=', job.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(held.numUpdatedRows) === 1;
    });
    stack.sandbox.setFaults({ errorRate: 0 });
    const repair = await stack.ui(ID, '/ui/webhooks/registrations/repair', { method: 'POST', role: 'ADMIN' });
    expect(repair.status).toBe(200);
    expect(repair.body.registered.sort()).toEqual([...restEvents].sort());
    expect(repair.body.failed).toEqual([]);
    expect(repair.body.report.entries.every((entry: DriftEntry) => entry.state === 'ok')).toBe(true);

    // The queued retry, released now, finds nothing left to do and registers nothing twice.
    await db.updateTable('jobs').set({ run_at: Date.now() }).where('id', '=', job.id).execute();
    stack.edition(ID).runtime.queue.notify();
    await jobsSettled(stack.edition(ID), 20_000);
    expect((await db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).status).toBe('done');
    const base = stack.edition(ID).runtime.editionConfig.baseUrl;
    expect(sandboxWebhooks(stack, addonId)).toEqual(definition.events.map((event) => `${event} ${base}${webhookPath(event)}`).sort());
    expect((await drift(stack)).summary).toEqual({ expected: definition.events.length, ok: definition.events.length, problems: 0 });
  });

  it('reports a webhook deleted at Clockify as missing and a stray duplicate as unexpected; repair fixes both', async () => {
    const token = await installationToken(stack, workspaceId);
    const webhooksUrl = `${stack.sandbox.backendUrl}/v1/workspaces/${workspaceId}/webhooks`;
    const gone = (await drift(stack)).entries.find((entry) => entry.route === 'rest')!;
    const deleted = await fetch(`${webhooksUrl}/${gone.clockifyWebhookId}`, { method: 'DELETE', headers: { 'x-addon-token': token } });
    expect(deleted.ok).toBe(true);
    const base = stack.edition(ID).runtime.editionConfig.baseUrl;
    const strayEvent = restEvents.find((event) => event !== gone.event)!;
    const stray = await fetch(webhooksUrl, {
      method: 'POST',
      headers: { 'x-addon-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'stray',
        url: `${base}${webhookPath(strayEvent)}`,
        webhookEvent: strayEvent,
        triggerSourceType: 'WORKSPACE_ID',
        triggerSource: [workspaceId],
      }),
    });
    expect(stray.ok).toBe(true);
    const strayId = ((await stray.json()) as { id: string }).id;

    const report = await drift(stack);
    expect(report.entries.find((entry) => entry.event === gone.event)).toMatchObject({
      state: 'missing',
      detail: expect.stringContaining('no longer'),
    });
    expect(report.entries.find((entry) => entry.clockifyWebhookId === strayId)).toMatchObject({ state: 'unexpected', event: strayEvent });
    expect(report.summary.problems).toBe(2);

    const repair = await stack.ui(ID, '/ui/webhooks/registrations/repair', { method: 'POST' });
    expect(repair.status).toBe(200);
    expect(repair.body.registered).toEqual([gone.event]);
    const after = await drift(stack);
    expect(after.summary.problems).toBe(0);
    expect(sandboxWebhooks(stack, addonId)).toEqual(definition.events.map((event) => `${event} ${base}${webhookPath(event)}`).sort());
  });
});

describe('REST webhook registration on a plan that allows fewer webhooks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: [ID], sandbox: { plan: 'FREE' } });
  }, 60_000);
  afterAll(() => stack?.close());

  it('registers what the plan allows, reports the rest as failed with the reason, and does not retry forever', async () => {
    const { workspaceId } = await stack.install(ID);
    await jobsSettled(stack.edition(ID), 20_000);
    const job = await stack
      .edition(ID)
      .runtime.database.db.selectFrom('jobs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'webhooks.register')
      .executeTakeFirstOrThrow();
    // Plan limits are permanent: the job finishes instead of hammering Clockify.
    expect(job.status).toBe('done');
    const report = await drift(stack);
    const rest = report.entries.filter((entry) => entry.route === 'rest');
    const failed = rest.filter((entry) => entry.state === 'failed');
    expect(rest.filter((entry) => entry.state === 'ok')).toHaveLength(3);
    expect(failed).toHaveLength(restEvents.length - 3);
    for (const entry of failed) expect(entry.detail).toMatch(/limit/i);
    expect(report.summary.problems).toBe(failed.length);
  });
});
