/**
 * Issue 19: the Credentials card of the sidebar in a real browser (Universal Webhook): an admin adds
 * a credential and replaces its value, and the value is never on the page afterwards; a member sees
 * the list without any write control.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

describe.runIf(chromiumAvailable())('the Credentials card (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('universal-webhook'), launchBrowser()]);
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('adds and replaces a credential; the value is never shown again, and a member only reads', async () => {
    const value = `sk_${randomBytes(16).toString('hex')}`;
    const replacement = `sk_${randomBytes(16).toString('hex')}`;
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, '#/settings');
    opened.push(sidebar);
    const { page } = sidebar;
    const card = page.getByRole('region', { name: 'Credentials' });
    await card.getByRole('button', { name: 'New credential' }).click();
    const form = page.getByRole('form', { name: 'New credential' });
    await form.getByLabel('Name').fill('crm');
    await form.getByLabel('Kind').selectOption('header');
    await form.getByLabel('Header name').fill('X-Api-Key');
    expect(await form.getByLabel('Value').getAttribute('type')).toBe('password');
    await form.getByLabel('Value').fill(value);
    await form.getByRole('button', { name: 'Save credential' }).click();
    await card.getByRole('list', { name: 'Credentials' }).getByText('header X-Api-Key').waitFor();
    expect(await page.content()).not.toContain(value);

    await card.getByRole('button', { name: 'Replace value' }).click();
    const replace = page.getByRole('form', { name: 'Replace the value of crm' });
    await replace.getByLabel('New value').fill(replacement);
    await replace.getByRole('button', { name: 'Replace value' }).click();
    await replace.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(replacement);
    await screenshotBothWidths(page, 'settings-credentials');
    expect(sidebar.problems).toEqual([]);

    const member = await openSidebar(browser, stack.url, await stack.token('REGULAR'), undefined, '#/settings');
    opened.push(member);
    const memberCard = member.page.getByRole('region', { name: 'Credentials' });
    await memberCard.getByText('header X-Api-Key').waitFor();
    expect(await memberCard.getByRole('button').count()).toBe(0);
  });
});
