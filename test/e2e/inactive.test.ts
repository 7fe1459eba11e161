/**
 * INACTIVE means read-only, as an admin sees it in a real browser: the sidebar says the add-on is
 * deactivated before anyone tries, and a write tried anyway shows the server's reason.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('the sidebar of a deactivated add-on (API Studio, real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;

  beforeAll(async () => {
    // No snapshot at install: the overview offers "Take snapshot", a write.
    [stack, browser] = await Promise.all([startSidebarStack('api-studio', { API_STUDIO_RUN_ON_INSTALL: 'false' }), launchBrowser()]);
    const addonKey = stack.stack.edition('api-studio').runtime.editionConfig.key;
    await stack.stack.sandbox.setStatus({ addonKey, workspaceId: stack.workspaceId, status: 'INACTIVE' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a banner, and a refused write says why', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'));
    try {
      const { page } = sidebar;
      await page.getByTestId('inactive-banner').getByText('The add-on is deactivated in this workspace').waitFor();
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await page
        .getByRole('alert')
        .getByText(/The add-on is deactivated in this workspace; it is read-only until a workspace admin activates it again/)
        .waitFor();
      await screenshotBothWidths(page, 'inactive-overview');
    } finally {
      await sidebar.close();
    }
  });
});
