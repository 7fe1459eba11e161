/**
 * /docs in a real browser: Swagger UI renders the edition's API with the sidebar's routes and what
 * they answer (the response schemas), including the one problem shape for errors.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';
import { chromiumAvailable, launchBrowser, screenshot } from './browser.js';

const run = chromiumAvailable();

describe.runIf(run)('/docs (Swagger UI, real browser)', () => {
  let t: TestRuntime;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestRuntime('universal-webhook', { dialect: 'sqlite' }), launchBrowser()]);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a /ui route with its success answer and its problem answers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/docs`);
    const operation = page.locator('#operations-webhooks-get_ui_webhooks_events__eventId_');
    await operation.locator('.opblock-summary').click();
    const responses = operation.locator('.responses-table').first();
    await expect.poll(() => responses.locator('tr.response').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const codes = await responses.locator('td.response-col_status').allInnerTexts();
    expect(codes.map((code) => code.trim().toLowerCase())).toEqual(expect.arrayContaining(['200', '4xx', '5xx']));
    // The example Swagger UI builds from the 200 schema names the camelCase run fields.
    const example = await responses.locator('tr.response').first().innerText();
    expect(example).toContain('flowRuns');
    expect(example).toContain('flowId');
    expect(example).not.toContain('flow_id');
    await screenshot(page, 'docs-event-detail');
    expect(problems).toEqual([]);
    await context.close();
  });
});
