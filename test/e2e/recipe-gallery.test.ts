/**
 * A recipe in the template gallery, in a real browser at the sidebar's 400 px: its number and time
 * zone inputs say what they take, a bad value is refused beside its field, and good values create the
 * flow switched off. Universal Webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { NARROW, chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('a recipe from the template gallery (Universal Webhook)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let sidebar: OpenedSidebar | undefined;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('universal-webhook'), launchBrowser()]);
    await stack.settings({ enable_http_actions: true });
  });
  afterAll(async () => {
    await sidebar?.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('refuses a time zone that is not one beside its field, then creates the daily hours alert (off)', async () => {
    sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), NARROW, '#/flows/templates');
    const { page } = sidebar;
    const card = page.locator('.template-card', { hasText: 'Alert when someone tracks too many hours in a day' });
    const use = card.getByRole('button', { name: 'Use this template' });
    await expect.poll(() => use.isEnabled(), { timeout: 15_000 }).toBe(true);
    await use.click();
    await card.getByText('A time zone name, e.g. Europe/Berlin or America/New_York.').waitFor();
    expect(await card.getByLabel('Hours per day').getAttribute('inputmode')).toBe('decimal');
    await card.getByLabel('Hours per day').fill('7.5');
    await card.getByLabel('Time zone of the days').fill('Europe/Atlantis');
    await card.getByLabel('URL to alert').fill('https://example.com/alerts');
    await card.getByRole('button', { name: 'Create flow (off)' }).click();
    await card.getByText('"Europe/Atlantis" is not a time zone name such as Europe/Berlin').waitFor({ timeout: 10_000 });
    await screenshotBothWidths(page, 'recipe-gallery-bad-time-zone');

    await card.getByLabel('Time zone of the days').fill('Europe/Berlin');
    await card.getByRole('button', { name: 'Create flow (off)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alert over 7.5 h a day' }).waitFor({ timeout: 15_000 });
    await page.getByText('This flow is off').waitFor();
    expect(await page.getByRole('switch', { name: 'Enabled' }).getAttribute('aria-checked')).toBe('false');
    // The refused create is the one failed request the browser logs.
    expect(sidebar.problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});
