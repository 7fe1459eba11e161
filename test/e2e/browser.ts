/**
 * Debian's Chromium driven by playwright-core, and the sidebar opened in it the way Clockify
 * opens it: `{edition}/sidebar?auth_token=<user token>`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/resources.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(projectRoot, 'test-artifacts', 'screenshots');

export const NARROW = { width: 360, height: 780 } as const;
export const WIDE = { width: 1280, height: 860 } as const;

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a message, except on CI
 * (CI=true), where a missing browser is a broken setup and fails.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`[e2e] skipping browser tests. ${message}`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedSidebar {
  page: Page;
  /** Browser console errors and failed page scripts, to assert a clean page. */
  problems: string[];
  close(): Promise<void>;
}

export async function openSidebar(browser: Browser, editionUrl: string, token: string | null, viewport: { width: number; height: number } = WIDE, hash = ''): Promise<OpenedSidebar> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  const query = token === null ? '' : `?auth_token=${encodeURIComponent(token)}`;
  await page.goto(`${editionUrl}/sidebar${query}${hash}`);
  return { page, problems, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Screenshots of the page as it is at both widths the sidebar must work at. */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const viewport of [NARROW, WIDE]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(50);
    await screenshot(page, `${name}-${viewport.width}`);
  }
  if (original) await page.setViewportSize(original);
}
