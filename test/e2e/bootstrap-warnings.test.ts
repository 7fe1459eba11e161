/**
 * A bootstrap that finished with warnings, as the sidebar shows it: the status word says so, the
 * sentence names what was cut, and the operations stopped by the page cap are listed. The run is
 * stopped by a real page cap on the sandbox (max_pages 1, page size 2), then shown in a real browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';
import { startRun } from '../../src/bootstrap/control.js';
import { eventually } from '../helpers/stack.js';

const run = chromiumAvailable();

describe.runIf(run)('a bootstrap completed with warnings in the sidebar', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startSidebarStack('api-studio', { API_STUDIO_MAX_PAGES: '1', API_STUDIO_RUN_ON_INSTALL: 'false' }),
      launchBrowser(),
    ]);
    const runtime = stack.stack.edition('api-studio').runtime;
    const started = await startRun(runtime, stack.workspaceId, { pageSize: 2 });
    if (!started.started) throw new Error('no bootstrap started');
    await eventually(
      async () =>
        (await runtime.database.db.selectFrom('bootstrap_runs').select('status').where('id', '=', started.run.id).executeTakeFirst())
          ?.status === 'completed_with_warnings',
      60_000,
    );
  }, 120_000);
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('says "completed with warnings" and names the operations the page cap cut', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'));
    opened.push(sidebar);
    const { page } = sidebar;
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Workspace snapshot' }) });
    await card.getByText('completed with warnings', { exact: true }).waitFor({ timeout: 30_000 });
    const warnings = card.getByTestId('bootstrap-warnings');
    await expect.poll(() => warnings.textContent()).toMatch(/stopped by the page cap \(more data exists\): .*getProjects/);
    await warnings.getByText(/What was cut/).click();
    await expect.poll(() => warnings.locator('li').count()).toBeGreaterThan(0);
    expect(await warnings.textContent()).toMatch(/Stopped after max_pages \(1\) pages/);
    await screenshotBothWidths(page, 'overview-bootstrap-warnings');
    expect(sidebar.problems).toEqual([]);
  });
});
