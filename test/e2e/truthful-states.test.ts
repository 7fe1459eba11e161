/**
 * Issue 22, finding 1 (and 6): the sidebar claims only what this workspace's settings allow, shows
 * what a setting blocks disabled with the reason and the way to enable it, and every failed action
 * shows its error where the user looks. Universal Webhook and the Clockify Add-on, light and dark,
 * at 400 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('truthful states (Universal Webhook)', () => {
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

  const open = async (hash = '', theme: 'DEFAULT' | 'DARK' = 'DEFAULT') => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER', { theme }), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    return sidebar;
  };

  it('does not claim HTTP actions while the setting is off, and says how to turn them on', async () => {
    const { page } = await open('', 'DARK');
    const enabled = page.getByRole('list', { name: 'Enabled capabilities' });
    await enabled.waitFor();
    expect(await enabled.textContent()).toContain('Webhooks from other systems');
    expect(await enabled.textContent()).not.toContain('Flows can call any URL');
    const off = page.getByRole('list', { name: 'Turned off by a setting' });
    expect(await off.textContent()).toContain('Flows can call any URL');
    expect(await off.textContent()).toContain('Allow HTTP actions');
    await screenshotBothWidths(page, 'truth-overview-dark');
  });

  it("shows the URL template disabled with the reason, and the editor's HTTP step too", async () => {
    const { page } = await open('#/flows/templates');
    const card = page.locator('.template-card', { hasText: 'Notify an external URL' });
    await card.getByTestId('blocked-reason').waitFor();
    expect(await card.getByTestId('blocked-reason').textContent()).toContain('Allow HTTP actions');
    expect(await card.getByRole('button', { name: 'Use this template' }).isDisabled()).toBe(true);
    await screenshotBothWidths(page, 'truth-template-blocked');

    await page.evaluate(() => (window.location.hash = '#/flows/new'));
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor();
    await page.getByLabel('Add a step to the flow').click();
    expect(await page.getByRole('button', { name: 'Send an HTTP request' }).isDisabled()).toBe(true);
    await page.getByText('Sending HTTP requests is off in this workspace').waitFor();
  });

  it('shows a refused Create beside its button when the setting changed after the page loaded', async () => {
    await stack.settings({ enable_http_actions: true });
    const { page } = await open('#/flows/templates');
    const card = page.locator('.template-card', { hasText: 'Notify an external URL' });
    const use = card.getByRole('button', { name: 'Use this template' });
    await expect.poll(() => use.isEnabled()).toBe(true);
    expect(await page.getByTestId('blocked-reason').count()).toBe(0);
    await use.click();
    await card.getByLabel('URL to notify').fill('https://example.com/hook');
    // An admin turns HTTP actions off in Clockify meanwhile: the server refuses the flow.
    await stack.settings({ enable_http_actions: false });
    await card.getByRole('button', { name: 'Create flow' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/HTTP actions|http/i);
    expect(await alert.isVisible()).toBe(true);
    await screenshotBothWidths(page, 'truth-template-refused');
  });
  it('creates template flows switched off; a passing dry run lets them on without asking, and a failed one says nothing would be sent', async () => {
    const { page } = await open('#/flows/templates');
    const card = page.locator('.template-card', { hasText: 'Create standard tasks on every new project' });
    await card.getByRole('button', { name: 'Use this template' }).click();
    await card.getByLabel('Task names (one per line)').fill('Kick-off');
    await card.getByRole('button', { name: 'Create flow (off)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Standard tasks for new projects' }).waitFor({ timeout: 15_000 });
    await page.getByText('This flow is off').waitFor();
    expect(await page.getByRole('switch', { name: 'Enabled' }).getAttribute('aria-checked')).toBe('false');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByTestId('dry-run-result').getByText('conditions matched').waitFor({ timeout: 15_000 });
    await page.getByText('The dry run passed').waitFor();
    await screenshotBothWidths(page, 'truth-template-dry-run-passed');
    await page.getByRole('switch', { name: 'Enabled' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Enabled' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // A blank flow starts off, and a dry run whose conditions fail says plainly that nothing is sent.
    await page.evaluate(() => (window.location.hash = '#/flows/new'));
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor();
    await page.getByText('Disabled: does not run').waitFor();
    await page.getByLabel('Name').first().fill('Unlikely description');
    await page.getByRole('group', { name: 'Clockify events' }).getByLabel('NEW_TIME_ENTRY').check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Conditions, rule 1: field (JSONPath)').fill('$.description');
    await page.getByLabel('Conditions, rule 1: comparison').selectOption('equals');
    await page.getByLabel(/Conditions, rule 1: value/).fill('no entry says this');
    await page.getByLabel('Add a step to the flow').click();
    await page.getByRole('button', { name: 'Call Clockify' }).click();
    await page.getByRole('group', { name: 'Step 1' }).getByLabel('Operation').fill('getTags');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const verdict = page.getByTestId('dry-run-verdict');
    await verdict.waitFor({ timeout: 15_000 });
    expect(await verdict.textContent()).toContain('Nothing would be sent');
    expect(await page.getByTestId('dry-run-result').textContent()).not.toContain('would send');
    await screenshotBothWidths(page, 'truth-dry-run-nothing-sent');
  });
});

describe.runIf(run)('truthful states (Clockify Add-on)', () => {
  let stack: SidebarStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('clockify-addon'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('claims forwarding and the heavy snapshot only once their settings are on', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'));
    const { page } = sidebar;
    const enabled = page.getByRole('list', { name: 'Enabled capabilities' });
    await enabled.waitFor();
    expect(await enabled.textContent()).not.toContain('Events forwarded to your URL');
    expect(await enabled.textContent()).not.toContain('Reports and audit log in the snapshot');
    const off = page.getByRole('list', { name: 'Turned off by a setting' });
    expect(await off.textContent()).toContain('Forward events to');
    expect(await off.textContent()).toContain('Include heavy endpoints');
    await screenshotBothWidths(page, 'truth-addon-overview');
    await sidebar.close();

    await stack.settings({ forwarding_url: 'https://example.com/forward', include_heavy: true });
    const again = await openSidebar(browser, stack.url, await stack.token('OWNER'));
    await again.page.getByRole('list', { name: 'Enabled capabilities' }).getByText('Events forwarded to your URL').waitFor();
    expect(await again.page.getByRole('list', { name: 'Enabled capabilities' }).textContent()).toContain(
      'Reports and audit log in the snapshot',
    );
    expect(await again.page.getByRole('list', { name: 'Turned off by a setting' }).count()).toBe(0);
    await again.close();
  });
});
