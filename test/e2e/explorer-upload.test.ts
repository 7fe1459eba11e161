/**
 * The explorer's file picker, in a real browser: a file chosen for a multipart operation goes into the
 * body as a file value, and the call reaches the sandbox as multipart/form-data with the file part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe.runIf(chromiumAvailable())('explorer file upload (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let sidebar: OpenedSidebar | undefined;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('universal-webhook'), launchBrowser()]);
  });
  afterAll(async () => {
    await sidebar?.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('puts the chosen file into the body and uploads it as a file part', async () => {
    sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, '#/explorer/uploadImage');
    const { page } = sidebar;
    const picker = page.locator('input[type="file"]');
    await picker.waitFor({ timeout: 20_000 });
    await picker.setInputFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: PNG });
    const body = page.locator('textarea.body-editor');
    await expect.poll(() => body.inputValue()).toContain('"filename": "avatar.png"');
    expect(await body.inputValue()).toContain(`"base64": "${PNG.toString('base64')}"`);

    await page.getByRole('button', { name: 'Run' }).click();
    const response = page.getByTestId('explorer-response');
    await response.waitFor({ timeout: 20_000 });
    expect(await response.locator('.badge').first().textContent()).toContain('200');
    expect(await response.locator('.json-tree').textContent()).toContain('avatar.png');
    // The sandbox parsed a multipart form with the file part; a JSON body would have been refused (415).
    expect(
      stack.stack.sandbox
        .requestLog()
        .filter((record) => record.path.endsWith('/v1/file/image'))
        .map((record) => record.status),
    ).toEqual([200]);
    expect(stack.stack.sandbox.specViolations().filter((violation) => violation.path.endsWith('/v1/file/image'))).toEqual([]);
    await screenshotBothWidths(page, 'explorer-upload');
  });
});
