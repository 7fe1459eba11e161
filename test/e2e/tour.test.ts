/**
 * A short tour of each add-on, as a user meets it in Clockify's 400-px sidebar: the screenshots
 * the README shows. Every run of the browser suite takes them (into test-artifacts/screenshots/);
 * with UPDATE_SCREENSHOTS=1 they replace the README's (docs/screenshots/), so an ordinary test run
 * leaves the work tree as it was. One sandbox, the three editions installed in it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { EditionId } from '../../src/editions/types.js';
import { projectRoot } from '../../src/resources.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { NARROW, chromiumAvailable, launchBrowser, openSidebar } from './browser.js';

const run = chromiumAvailable();
const DOCS_SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(projectRoot, 'docs', 'screenshots') : join(projectRoot, 'test-artifacts', 'screenshots');
const EDITIONS: EditionId[] = ['api-studio', 'universal-webhook', 'clockify-addon'];

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  // The viewport only: what the user sees in the sidebar, and small files for the README.
  await page.screenshot({ path: join(DOCS_SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

describe.runIf(run)('a short tour of each add-on (README screenshots)', () => {
  let stack: Stack;
  let browser: Browser;
  const workspaces = new Map<EditionId, string>();

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ editions: EDITIONS, sandbox: { seed: { users: 5, projects: 12, timeEntries: 60 } } }),
      launchBrowser(),
    ]);
    for (const id of EDITIONS) workspaces.set(id, (await stack.install(id)).workspaceId);
    await stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId: workspaces.get('universal-webhook') });
    await stack.sandbox.trigger('NEW_PROJECT', { workspaceId: workspaces.get('universal-webhook') });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  for (const id of EDITIONS) {
    it(`tours ${id}`, async () => {
      const token = await stack.userToken(id, 'OWNER');
      const sidebar = await openSidebar(browser, stack.edition(id).url, token, NARROW);
      const { page } = sidebar;
      const go = async (hash: string, heading: string | RegExp) => {
        await page.evaluate((h) => (window.location.hash = h), hash);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.waitForLoadState('networkidle');
      };
      await page.getByRole('heading', { name: 'Recent webhooks' }).waitFor();
      await page.getByRole('heading', { name: 'Workspace snapshot' }).waitFor();
      await page.waitForLoadState('networkidle');
      await shoot(page, `${id}-overview`);
      await go('#/webhooks', 'Webhooks');
      await shoot(page, `${id}-webhooks`);
      await go('#/explorer/getProjects', 'API Explorer');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.getByTestId('explorer-response').waitFor({ timeout: 20_000 });
      await page.getByTestId('explorer-response').scrollIntoViewIfNeeded();
      await shoot(page, `${id}-explorer`);
      await go('#/flows/templates', 'Flow templates');
      await shoot(page, `${id}-flow-templates`);
      expect(sidebar.problems.filter((problem) => !problem.includes('404'))).toEqual([]);
      await sidebar.close();
    });
  }
});
