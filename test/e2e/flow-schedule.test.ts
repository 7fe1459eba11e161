/**
 * The schedule trigger in the sidebar's flow editor, in a real browser: a scheduled flow shows its
 * schedule, and changing it (interval, time zone, missed runs) saves a schedule the server accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

describe.runIf(chromiumAvailable())('schedule trigger in the flow editor (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let flowId: string;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW), launchBrowser()]);
    const created = await stack.stack.ui(UW, '/ui/flows', {
      body: {
        definition: {
          name: 'Weekly summary',
          enabled: false,
          trigger: { kind: 'schedule', schedule: { at: '16:00', days: ['fri'] }, timeZone: 'Europe/Berlin' },
          conditions: { mode: 'all', rules: [] },
          actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: 'week {{ event.scheduledFor }}' } }],
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    flowId = created.body.flow.id;
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('shows the schedule and saves a changed one', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, `#/flows/${flowId}`);
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Weekly summary' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('radio', { name: 'On a schedule' }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Time(?! zone)/).inputValue()).toBe('16:00');
    expect(await page.getByRole('group', { name: 'Days' }).getByLabel('Fri').isChecked()).toBe(true);
    expect(await page.getByRole('group', { name: 'Days' }).getByLabel('Mon').isChecked()).toBe(false);
    await screenshotBothWidths(page, 'flow-schedule');

    await page.getByLabel('Runs').selectOption('minutes');
    await page.getByLabel('Interval').selectOption('30');
    await page.getByLabel('If a run was missed').selectOption('run-once');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body.flow.definition.trigger, { timeout: 15_000 })
      .toEqual({ kind: 'schedule', schedule: { every: 'minutes', interval: 30 }, timeZone: 'Europe/Berlin', missed: 'run-once' });
  });

  it('offers a custom cron with the next three runs, and saves it', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, `#/flows/${flowId}`);
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Weekly summary' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Runs').selectOption('cron');
    const cron = page.getByLabel(/^Cron/);
    await cron.fill('*/2 * * * *');
    await page
      .getByTestId('cron-preview')
      .getByText(/runs too often/)
      .waitFor({ timeout: 15_000 });
    await cron.fill('0 17 * * 1-5');
    const preview = page.getByTestId('cron-preview');
    await preview.getByText('Next runs (Europe/Berlin):').waitFor({ timeout: 15_000 });
    expect(await preview.getByRole('listitem').count()).toBe(3);
    // Weekdays at 17:00 in Berlin, as the browser formats them.
    for (const text of await preview.getByRole('listitem').allTextContents())
      expect(text).toMatch(/(Mon|Tue|Wed|Thu|Fri).*(17:00|0?5:00\s?PM)/);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body.flow.definition.trigger.schedule, { timeout: 15_000 })
      .toEqual({ cron: '0 17 * * 1-5' });
  });
});
