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

/** The width Clockify gives an add-on's sidebar. */
export const NARROW = { width: 400, height: 780 } as const;
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedSidebar {
  page: Page;
  /** Browser console errors and failed page scripts, to assert a clean page. */
  problems: string[];
  close(): Promise<void>;
}

export async function openSidebar(
  browser: Browser,
  editionUrl: string,
  token: string | null,
  viewport: { width: number; height: number } = WIDE,
  hash = '',
): Promise<OpenedSidebar> {
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
  // From the top, so the sticky section tabs sit where a user sees them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Elements that stick out to the right of the viewport (the page then scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const culprits: string[] = [];
    // An element's right edge, counting content that spills out of it (long words, wide children).
    const rightOf = (element: Element) =>
      element.getBoundingClientRect().left + Math.max(element.scrollWidth, element.getBoundingClientRect().width);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (element.getBoundingClientRect().width === 0 || rightOf(element) <= width + 1) continue;
      // Inside a scrolling box, wide content scrolls there, not the page.
      if (element.parentElement?.closest('.code-block, .json-tree, .table-wrap, .tabs, .segmented, .event-grid, .visually-hidden'))
        continue;
      if (element.classList.contains('visually-hidden')) continue;
      // Only the innermost offenders: a parent is wide because of them.
      if (Array.from(element.children).some((child) => rightOf(child) > width + 1)) continue;
      culprits.push(
        `${element.tagName.toLowerCase()}.${element.className} (${Math.round(rightOf(element))}px): ${(element.textContent ?? '').slice(0, 60)}`,
      );
    }
    return culprits.length > 0 ? culprits.slice(0, 10) : [`document is ${document.documentElement.scrollWidth}px wide`];
  });
}

/**
 * Screenshots of the page as it is at both widths the sidebar must work at; fails when the narrow
 * page scrolls sideways (a 400-px sidebar must not).
 */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const viewport of [NARROW, WIDE]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(50);
    if (viewport === NARROW) {
      const overflow = await horizontalOverflow(page);
      if (overflow.length > 0)
        throw new Error(`${name}: the ${viewport.width}-px page scrolls sideways because of:\n${overflow.join('\n')}`);
    }
    await screenshot(page, `${name}-${viewport.width}`);
  }
  if (original) await page.setViewportSize(original);
}
