/**
 * Issue 23 in a real browser: the Runs view across flows (filters, select all, Retry failed with the
 * flow as it is now, progress), the run detail, and a flow's History (diff, restore, duplicate,
 * export) with the exported file imported again (preview, flagged id, create). Universal Webhook.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually } from '../helpers/stack.js';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;
const MISSING_TAG = 'ffffffffffffffffffffffff';

describe.runIf(chromiumAvailable())('execution inspector and flow history in the sidebar (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let flowId: string;
  let tag: { id: string; name: string };
  const opened: OpenedSidebar[] = [];
  const definition = (tagId: string) => ({
    name: 'Read a tag',
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [] },
    actions: [{ id: 'readTag', kind: 'clockify', operationId: 'getTag', params: { id: tagId } }],
  });

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW), launchBrowser()]);
    const db = stack.stack.edition(UW).runtime.database.db;
    const jobsDone = () =>
      eventually(
        async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
        30_000,
      );
    tag = await eventually(async () => ((await stack.stack.ui(UW, '/ui/names')).body.tags as { id: string; name: string }[])[0], 30_000);
    const created = await stack.stack.ui(UW, '/ui/flows', { body: { definition: definition(MISSING_TAG) } });
    expect(created.status).toBe(201);
    flowId = created.body.flow.id;
    const other = await stack.stack.ui(UW, '/ui/flows', {
      body: {
        definition: {
          ...definition(tag.id),
          name: 'Count tags',
          actions: [{ id: 'count', kind: 'clockify', operationId: 'getTags', params: { 'page-size': 1 } }],
        },
      },
    });
    expect(other.status).toBe(201);
    for (const name of ['Acme', 'Globex'])
      await stack.stack.sandbox.trigger('NEW_CLIENT', {
        workspaceId: stack.workspaceId,
        payload: { id: `id-${name}`, name, workspaceId: stack.workspaceId, archived: false },
      });
    await jobsDone();
    await eventually(
      async () =>
        (await stack.stack.ui(UW, '/ui/flows/runs')).body.runs.filter((run: { status: string }) => run.status !== 'running').length === 4,
      30_000,
    );
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const open = async (hash: string, role: 'OWNER' | 'REGULAR' = 'OWNER') => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token(role), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.locator('h1').first().waitFor({ timeout: 15_000 });
    return sidebar;
  };

  it('lists runs of every flow with filters, and retries the failed ones with the flow as it is now, showing progress', async () => {
    const { page, problems } = await open('#/flows/runs');
    const list = page.getByTestId('all-runs-list');
    const rows = list.getByRole('listitem');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    expect(new Set(await list.locator('.list-item-title').allTextContents())).toEqual(new Set(['Read a tag', 'Count tags']));

    await page.getByLabel('Outcome').selectOption('failed');
    await expect.poll(() => list.locator('.list-item-title').allTextContents()).toEqual(['Read a tag', 'Read a tag']);
    await page.getByLabel('Event').fill('NEW_PROJECT');
    await page.getByLabel('Event').press('Tab');
    await page.getByText('No runs match').waitFor();
    await page.getByLabel('Event').fill('NEW_CLIENT');
    await page.getByLabel('Event').press('Tab');
    await expect.poll(() => rows.count()).toBe(2);
    await screenshotBothWidths(page, 'runs-inspector-failed');

    // The flow is fixed (version 2); its failed runs are retried with it.
    expect((await stack.stack.ui(UW, `/ui/flows/${flowId}`, { method: 'PUT', body: { definition: definition(tag.id) } })).status).toBe(200);
    await page.getByLabel('Select all failed (2)').check();
    await page.getByLabel('Retry with').selectOption('current');
    await page.getByRole('button', { name: 'Retry 2 failed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed runs?' });
    await dialog.getByText('the flow as it is now').waitFor();
    await dialog.getByRole('button', { name: 'Retry and send again' }).click();
    const progress = page.getByTestId('retry-progress');
    await progress.getByText('2 of 2 finished.').waitFor({ timeout: 20_000 });
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('2');
    await screenshotBothWidths(page, 'runs-inspector-retried');

    await page.getByLabel('Outcome').selectOption('succeeded');
    await page.getByRole('combobox', { name: /^Flow/ }).selectOption({ label: 'Read a tag' });
    // Both filters applied: only the two retries of "Read a tag" remain (the unfiltered list has four).
    await expect.poll(() => list.locator('.list-item-title').allTextContents()).toEqual(['Read a tag', 'Read a tag']);
    for (const meta of await list.locator('.list-item-meta').allTextContents()) expect(meta).toMatch(/NEW_CLIENT · v2 · .* · retry/);

    // The run detail: the version it ran, what it retried, each step's attempts and request.
    await rows.first().getByRole('link').click();
    const detail = page.getByTestId('run-detail');
    await detail.getByText('Retry of').waitFor();
    await detail.getByText(/ · 1 attempt$/).waitFor();
    await detail.getByText('· Call Clockify').waitFor();
    expect(await detail.locator('dt:has-text("Flow version") + dd').textContent()).toBe('2');
    await detail.getByRole('heading', { name: 'Request', exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows members the runs without selection or retry', async () => {
    const { page } = await open('#/flows/runs', 'REGULAR');
    await page.getByTestId('all-runs').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
  });

  it('compares two versions, restores one, duplicates, exports, and imports the file again with its flagged id', async () => {
    const { page, problems } = await open(`#/flows/${flowId}/history`);
    const history = page.getByTestId('flow-history');
    const versions = history.getByTestId('version-list').getByRole('listitem');
    await expect.poll(() => versions.count(), { timeout: 15_000 }).toBe(2);
    const diff = history.getByTestId('version-diff');
    await diff.waitFor();
    expect(await diff.locator('.diff-removed').allTextContents()).toEqual([`-         "id": "${MISSING_TAG}"`]);
    expect(await diff.locator('.diff-added').allTextContents()).toEqual([`+         "id": "${tag.id}"`]);
    await screenshotBothWidths(page, 'flow-history-diff');

    await history.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => versions.count()).toBe(3);
    await history.getByText('Version 3 · current').waitFor();
    expect((await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body.flow.definition.actions[0].params.id).toBe(MISSING_TAG);

    const [download] = await Promise.all([page.waitForEvent('download'), history.getByRole('button', { name: 'Export as file' }).click()]);
    expect(download.suggestedFilename()).toBe('Read-a-tag.flow.json');
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'clockify-addon-platform/flow', definition: { name: 'Read a tag' } });

    await history.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Read a tag (copy)' }).waitFor();

    await page.evaluate(() => (window.location.hash = '#/flows/import'));
    await page.getByRole('heading', { level: 1, name: 'Import a flow' }).waitFor();
    await page.getByLabel('Flow file (.json)').setInputFiles(file);
    const preview = page.getByTestId('import-preview');
    await preview.getByText('1 id is not found here').waitFor({ timeout: 15_000 });
    expect(await preview.getByRole('list', { name: 'Ids not found here' }).textContent()).toContain(MISSING_TAG);
    await screenshotBothWidths(page, 'flow-import-preview');
    await preview.getByRole('button', { name: 'Create flow (switched off)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Read a tag' }).waitFor();
    const flows = (await stack.stack.ui(UW, '/ui/flows')).body.flows as { name: string; enabled: boolean }[];
    expect(
      flows
        .filter((flow) => flow.name === 'Read a tag')
        .map((flow) => flow.enabled)
        .sort(),
    ).toEqual([false, true]);

    await page.evaluate(() => (window.location.hash = '#/flows/import'));
    await page
      .getByLabel('Flow file (.json)')
      .setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"zapier"}') });
    await page.getByText('This file cannot be imported').waitFor();
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
  });
  it("runs an event's flows again from its page, with the version chosen, once each", async () => {
    // By now "Read a tag" is at version 3 (version 1 restored: the missing tag); on this event its
    // latest run is the version-2 retry that succeeded, and "Count tags" ran version 1.
    const runs = (await stack.stack.ui(UW, `/ui/flows/runs?flowId=${flowId}&status=succeeded`)).body.runs as { eventId: string }[];
    const eventId = runs[0]!.eventId;
    const { page, problems } = await open(`#/webhooks/${eventId}`);
    const detail = page.getByTestId('event-detail');
    const triggered = detail.getByRole('region', { name: 'What it triggered' }).getByRole('listitem');
    await expect.poll(() => triggered.count(), { timeout: 15_000 }).toBe(3);

    await detail.getByRole('button', { name: 'Run its flows again' }).click();
    const dialog = page.getByRole('dialog', { name: "Run this event's flows again?" });
    await dialog.getByText('The 2 flows that ran on this event run again on it, once each').waitFor();
    await dialog.getByLabel('the version each ran (v1, v2)').waitFor();
    await dialog.getByLabel('each flow as it is now').check();
    await screenshotBothWidths(page, 'event-run-flows-again');
    await dialog.getByRole('button', { name: 'Run again' }).click();
    await page.getByText('2 flows run again on this event.').waitFor();

    // Two new runs, as the flows are now: "Read a tag" v3 fails on the missing tag, "Count tags" v1 succeeds.
    const newRuns = async () =>
      (await triggered.all()).slice(3).map(async (row) => {
        const meta = (await row.locator('.list-item-meta').textContent()) ?? '';
        return `${meta.split(' · ').slice(0, 2).join(' · ')}: ${await row.locator('.badge').textContent()}`;
      });
    await expect
      .poll(async () => (await Promise.all(await newRuns())).sort(), { timeout: 20_000 })
      .toEqual(['v1 · run again: succeeded', 'v3 · run again: failed']);
    expect(problems).toEqual([]);
  });
});
