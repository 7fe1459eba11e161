/**
 * Issue 23 in a real browser: "Execute one step" in the flow editor with a past run's outputs pinned
 * (a read runs for real, a write is only rendered until it is sent on purpose; members preview), each
 * step's input in the run detail, and Retry from the run detail with the flow as it is now, followed
 * to the new run. Universal Webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventually } from '../helpers/stack.js';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

describe.runIf(chromiumAvailable())('execute one step and retry from the run detail (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let flowId: string;
  let runId: string;
  const opened: OpenedSidebar[] = [];
  const steps = [
    { id: 'vals', kind: 'set', values: { label: 'tag-{{ event.name }}' } },
    { id: 'count', kind: 'clockify', operationId: 'getTags', params: { 'page-size': 1 } },
    { id: 'makeTag', kind: 'clockify', operationId: 'createNewTag', body: { name: '{{ steps.vals.label }}' } },
  ];
  const definition = (actions: unknown[]) => ({
    name: 'Tag new clients',
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [] },
    actions,
  });

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW), launchBrowser()]);
    const created = await stack.stack.ui(UW, '/ui/flows', { body: { definition: definition(steps) } });
    expect(created.status).toBe(201);
    flowId = created.body.flow.id;
    await stack.stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId: stack.workspaceId,
      payload: { id: 'id-Acme', name: 'Acme', workspaceId: stack.workspaceId, archived: false },
    });
    const run = await eventually(async () => {
      const runs = (await stack.stack.ui(UW, `/ui/flows/${flowId}/executions`)).body.runs as { id: string; status: string }[];
      return runs.find((candidate) => candidate.status !== 'running');
    }, 30_000);
    expect(run.status).toBe('succeeded');
    runId = run.id;
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const open = async (hash: string, role: 'OWNER' | 'REGULAR' = 'OWNER') => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token(role), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.locator('h1').first().waitFor({ timeout: 15_000 });
    return sidebar;
  };

  it("executes one step on a past run's outputs: a read for real, a write only rendered until it is sent", async () => {
    const { page, problems } = await open(`#/flows/${flowId}`);
    const card = page.getByTestId('step-test');
    await card.waitFor({ timeout: 15_000 });
    await card.getByLabel('Step', { exact: true }).selectOption({ label: '3. makeTag' });
    const from = card.getByLabel("Earlier steps' data from");
    await expect.poll(() => from.locator('option').count(), { timeout: 15_000 }).toBe(2);
    expect(await from.locator('option').nth(1).textContent()).toMatch(new RegExp(`^Run ${runId.slice(-8)} · succeeded · `));
    await from.selectOption(runId);
    await card.getByRole('button', { name: 'Execute step' }).click();
    const result = card.getByTestId('step-test-result');
    await result.getByText('Preview: nothing sent').waitFor({ timeout: 15_000 });
    await result.getByText('It changes data, so it was not sent.').waitFor();
    // The pinned output of `vals` in that run fills the body.
    expect(await result.textContent()).toContain('tag-Acme');
    await result.getByRole('heading', { name: 'Input' }).waitFor();
    await screenshotBothWidths(page, 'flow-step-test-preview');

    await card.getByLabel('Step', { exact: true }).selectOption({ label: '2. count' });
    await card.getByRole('button', { name: 'Execute step' }).click();
    await result.getByText('Ran for real').waitFor({ timeout: 15_000 });
    await result.getByText('succeeded', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows each step input in the run detail, and retries the run with the flow as it is now', async () => {
    // Version 2: the flow no longer creates a tag.
    const edit = await stack.stack.ui(UW, `/ui/flows/${flowId}`, { method: 'PUT', body: { definition: definition(steps.slice(0, 2)) } });
    expect(edit.status).toBe(200);
    const { page, problems } = await open(`#/flows/${flowId}/runs/${runId}`);
    const detail = page.getByTestId('run-detail');
    await detail.getByRole('heading', { name: 'Input', exact: true }).first().waitFor({ timeout: 15_000 });
    expect(await detail.getByRole('heading', { name: 'Input', exact: true }).count()).toBe(3);

    await detail.getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry this run?' });
    await dialog.getByLabel('the version it ran (v1)').waitFor();
    await dialog.getByLabel('the flow as it is now (v2)').check();
    await dialog.getByRole('button', { name: 'Retry and send again' }).click();
    const outcome = detail.getByTestId('retry-outcome');
    await outcome.getByText('succeeded').waitFor({ timeout: 20_000 });
    await screenshotBothWidths(page, 'run-detail-retried');
    await outcome.getByRole('link', { name: /^Retry run / }).click();
    await page.getByTestId('run-detail').getByText('Retry of').waitFor();
    expect(await page.locator('dt:has-text("Flow version") + dd').textContent()).toBe('2');
    expect(
      await page
        .getByTestId('run-detail')
        .getByRole('heading', { name: /^Step \d/ })
        .count(),
    ).toBe(2);
    expect(problems).toEqual([]);
  });

  it('lets members preview a step on the sample only, without sending or retrying', async () => {
    const { page } = await open(`#/flows/${flowId}`, 'REGULAR');
    const card = page.getByTestId('step-test');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getByLabel("Earlier steps' data from").locator('option').count()).toBe(1);
    expect(await card.getByRole('checkbox').count()).toBe(0);
    await card.getByRole('button', { name: 'Preview step' }).click();
    await card.getByTestId('step-test-result').getByText('Preview: nothing sent').waitFor({ timeout: 15_000 });
  });
});
