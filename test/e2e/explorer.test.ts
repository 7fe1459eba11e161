/**
 * Issue 22, finding 3 (and the explorer's part of 6): the explorer sends only what the user sets,
 * fills example bodies with the workspace's real ids, documents responses and samples before
 * running, and keeps a history that can be read without running anything again. Universal
 * Webhook, at 400 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack, waitForNames } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('the explorer (Universal Webhook, real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startSidebarStack('universal-webhook', {}, { users: 5, projects: 40, timeEntries: 60 }),
      launchBrowser(),
    ]);
    // The names come from the snapshot the install started: wait until it has the projects.
    await waitForNames(stack);
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const open = async (hash: string) => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    return sidebar;
  };

  it('"Get all projects" leaves optional parameters unset and returns all 40; responses and samples show before running', async () => {
    const { page } = await open('#/explorer/getProjects');
    // Optional parameters are folded away and say they are not sent.
    const optional = page.locator('summary', { hasText: 'Optional (' });
    await optional.waitFor();
    expect(await optional.textContent()).toContain('not sent unless set');
    await optional.click();
    const pageSize = page.getByRole('textbox', { name: /^page-size/ });
    await pageSize.waitFor();
    expect(await pageSize.inputValue()).toBe('');
    expect(await pageSize.getAttribute('placeholder')).toBe('not set (default 50)');
    expect(await page.getByRole('combobox', { name: /^archived/ }).inputValue()).toBe('');

    const responses = page.getByTestId('explorer-responses');
    await responses.getByText('OK').waitFor();
    expect(await responses.locator('.badge').first().textContent()).toBe('200');
    const samples = page.getByTestId('explorer-samples');
    expect(await samples.locator('pre').textContent()).toMatch(/^curl -X GET '.*\/v1\/workspaces\/[0-9a-f]+\/projects'/);
    await samples.getByRole('tab', { name: 'JavaScript fetch' }).click();
    expect(await samples.locator('pre').textContent()).toContain('const response = await fetch(');
    expect(await samples.locator('pre').textContent()).not.toContain('eyJ');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const response = page.getByTestId('explorer-response');
    await response.waitFor({ timeout: 20_000 });
    await response.getByRole('tab', { name: 'Raw' }).click();
    const projects = JSON.parse((await response.locator('pre').first().textContent()) ?? '[]') as unknown[];
    expect(projects).toHaveLength(40);
    await screenshotBothWidths(page, 'explorer-get-projects');
  });

  it("fills a write's example body with real ids, so the first write succeeds; history shows it without re-running and asks before re-sending", async () => {
    const { page } = await open('#/explorer/createTimeEntry');
    const body = page.getByLabel('JSON body');
    await body.waitFor();
    await expect
      .poll(async () => (JSON.parse(await body.inputValue()) as { projectId?: string }).projectId, { timeout: 10_000 })
      .toMatch(/^[0-9a-f]{24}$/);
    const names = (await (
      await fetch(`${stack.url}/ui/names`, { headers: { authorization: `Bearer ${await stack.token('OWNER')}` } })
    ).json()) as { projects: { id: string }[]; users: { id: string; name: string }[] };
    const example = JSON.parse(await body.inputValue()) as { projectId: string };
    expect(names.projects.map((project) => project.id)).toContain(example.projectId);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const response = page.getByTestId('explorer-response');
    await response.waitFor({ timeout: 20_000 });
    expect(await response.locator('.badge').first().textContent(), (await response.textContent()) ?? '').toMatch(/^20[01]/);
    await screenshotBothWidths(page, 'explorer-write');

    await page.getByRole('tab', { name: 'History' }).click();
    const entry = page
      .getByRole('list', { name: /Explorer calls/ })
      .getByRole('listitem')
      .first();
    await entry.getByText('createTimeEntry').waitFor();
    expect(await entry.textContent()).toMatch(/ · by \S+/);
    expect(await entry.textContent()).not.toMatch(/by [0-9a-f]{24}/);
    let reruns = 0;
    page.on('request', (request) => {
      if (request.url().includes('/rerun')) reruns += 1;
    });
    await entry.getByRole('button', { name: 'View' }).click();
    const stored = entry.getByTestId('stored-call');
    await stored.getByText('Response (redacted)').or(stored.getByText('Response (excerpt, redacted)')).first().waitFor();
    await stored.getByText('Request body').waitFor();
    await screenshotBothWidths(page, 'explorer-history-view');

    await entry.getByRole('button', { name: 'Run again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run this change again?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(reruns).toBe(0);
  });
});
