/**
 * API Studio in a real browser (issue 22): its template flows' write operations are known to the
 * flow editor (finding 2), and the session pages (finding 7). 400 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('API Studio (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('api-studio'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens a template flow whose step writes, with its operation known and no 404', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, '#/flows/templates');
    const { page } = sidebar;
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname.startsWith('/ui/'))
        failed.push(`${response.status()} ${response.url()}`);
    });
    const card = page.locator('.template-card', { hasText: 'Give an empty description a default' });
    await card.getByRole('button', { name: 'Use this template' }).click();
    await card.getByLabel('Default description').fill('Work');
    await card.getByRole('button', { name: /Create flow/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Default time entry description' }).waitFor({ timeout: 15_000 });
    const step = page.getByRole('group', { name: 'Step 1' });
    await step.getByText(/PUT \/v1\/workspaces\/\{workspaceId\}\/time-entries\/\{id\}/).waitFor({ timeout: 10_000 });
    expect(await page.getByText('Unknown operation').count()).toBe(0);
    // The write operations are in the step's list even though API Studio's explorer is GET-only.
    const options = await page.locator('datalist option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    expect(options).toContain('updateTimeEntry');
    await screenshotBothWidths(page, 'api-studio-template-flow');
    expect(failed).toEqual([]);
    // API Studio's own mark and accent (Universal Webhook's is violet).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.brand-mark')!).backgroundColor)).toBe('rgb(3, 169, 244)');
    await sidebar.close();
  });

  it('keeps the session across a reload until the token runs out, then says it expired', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER', { expiresInSeconds: 8 }), undefined, '#/settings');
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(page.url()).not.toContain('auth_token');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.locator('main.session-ended').count()).toBe(0);
    // Past its lifetime (nobody answers the refresh request outside Clockify), a reload shows the expired page.
    await page.waitForTimeout(8500);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your session has expired' }).waitFor();
    await sidebar.close();
  });
});
