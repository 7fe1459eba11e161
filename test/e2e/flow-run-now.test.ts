/**
 * "Run now" and the backfill preview in the flow's sidebar page, in a real browser against the
 * sandbox: the admin confirms, the runs appear on the Runs tab; members see no such button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually } from '../helpers/stack.js';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

describe.runIf(chromiumAvailable())('Run now and backfill in the sidebar (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let flowId: string;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW), launchBrowser()]);
    const db = stack.stack.edition(UW).runtime.database.db;
    const jobsDone = () =>
      eventually(
        async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
      );
    await jobsDone();
    const created = await stack.stack.ui(UW, '/ui/flows', {
      body: {
        definition: {
          name: 'Tag new clients',
          enabled: false,
          trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
          conditions: { mode: 'all', rules: [] },
          actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: 'client {{ event.name }}' } }],
        },
      },
    });
    expect(created.status).toBe(201);
    flowId = created.body.flow.id;
    for (const name of ['Acme', 'Globex'])
      await stack.stack.sandbox.trigger('NEW_CLIENT', {
        workspaceId: stack.workspaceId,
        payload: { id: `id-${name}`, name, workspaceId: stack.workspaceId, archived: false },
      });
    await jobsDone();
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const open = async (role: 'OWNER' | 'REGULAR') => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token(role), undefined, `#/flows/${flowId}`);
    opened.push(sidebar);
    await sidebar.page.getByRole('heading', { level: 1, name: 'Tag new clients' }).waitFor({ timeout: 15_000 });
    return sidebar.page;
  };

  it('runs the flow on a sample after a confirm, then backfills the stored events after a preview', async () => {
    const page = await open('OWNER');
    await page.getByRole('button', { name: 'Run now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run "Tag new clients" now' });
    await dialog.getByText('The actions really run').waitFor();
    expect(await dialog.getByLabel('Sample event').inputValue()).toBe('NEW_CLIENT');
    await screenshotBothWidths(page, 'flow-run-now');
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const rows = page.getByTestId('run-list').getByRole('link');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => rows.first().textContent(), { timeout: 20_000 }).toMatch(/succeeded/);

    await page.getByRole('button', { name: 'Run now' }).click();
    await dialog.getByLabel('Run on').selectOption('backfill');
    await dialog.getByLabel('Number of latest events').fill('50');
    expect(await dialog.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.getByTestId('backfill-preview').textContent()).toBe('2 stored events match; 0 already ran; 2 will run.');
    await screenshotBothWidths(page, 'flow-backfill-preview');
    await dialog.getByRole('button', { name: 'Run on 2 events' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);

    // Every stored event has run now: a second backfill would queue nothing.
    const after = await stack.stack.ui(UW, `/ui/flows/${flowId}/backfill/preview?last=50`);
    expect(after.body).toEqual({ matching: 2, alreadyRun: 2, toRun: 0 });
  });

  it('shows members no Run now button', async () => {
    const page = await open('REGULAR');
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
  });
});
