/**
 * Moving a step between nested lists in a real browser, at 400 px: with the keyboard into a branch's
 * "otherwise", out again after the branch, then into a loop's body; the flow saves with the step
 * where it was put, and the page never scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { NARROW, chromiumAvailable, horizontalOverflow, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

const group = (page: Page | Locator, name: string) => page.getByRole('group', { name, exact: true });

async function addStep(page: Page, list: string, kind: RegExp) {
  await page.getByLabel(`Add a step to ${list}`, { exact: true }).click();
  await page.getByRole('button', { name: kind }).click();
}

describe.runIf(chromiumAvailable())('Moving steps between lists in the editor (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW), launchBrowser()]);
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('moves a step into a branch, out after it and into a loop, and saves it where it was put', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), NARROW, '#/flows/new');
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Name').first().fill('Moved steps');
    await page.getByRole('group', { name: 'Clockify events' }).getByLabel('NEW_TIME_ENTRY').check();

    await addStep(page, 'the flow', /^Set values/);
    await group(page, 'Step 1').getByLabel('Step 1: value 1 name', { exact: true }).fill('label');
    await group(page, 'Step 1').getByLabel('Step 1: value 1', { exact: true }).fill('moved');
    await addStep(page, 'the flow', /^If \/ otherwise/);
    await group(page, 'Step 2, if').getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Step 2, if, rule 1: field (JSONPath)', { exact: true }).fill('$.event.projectId');
    await page.getByLabel('Step 2, if, rule 1: comparison').selectOption('exists');
    await addStep(page, 'Step 2, then', /^Stop\b/);
    await addStep(page, 'the flow', /^Repeat for each/);
    await group(page, 'Step 3').getByLabel('Repeat for each item of').fill('$.event.tagIds');
    await addStep(page, 'Step 3, for each item', /^Wait\b/);
    await group(page, 'Step 3, for each item 1').getByLabel('Hours').fill('1');

    // Keyboard only: open the card's "Move to…" menu and pick the branch's "otherwise".
    const menu = page.getByLabel('Move Step 1 to another list', { exact: true });
    await menu.focus();
    await page.keyboard.press('Enter');
    const choices = page.getByRole('button', { name: /^(Into|Out to) / });
    expect(await choices.allTextContents()).toEqual(['Into Step 2, then', 'Into Step 2, otherwise', 'Into Step 3, for each item']);
    await screenshotBothWidths(page, 'flow-step-moves-menu');
    await page.getByRole('button', { name: 'Into Step 2, otherwise', exact: true }).focus();
    await page.keyboard.press('Enter');
    const inElse = group(page, 'Step 1, otherwise 1');
    await inElse.waitFor();
    expect(await inElse.getByLabel('Step id').first().inputValue()).toBe('values');
    // Focus follows the step to its new card, so the next move is one key away.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Move Step 1, otherwise 1 to another list');

    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Out to the flow, after Step 1', exact: true }).click();
    expect(await group(page, 'Step 2').getByLabel('Step id').first().inputValue()).toBe('values');
    expect(await group(page, 'Step 1, otherwise 1').count()).toBe(0);

    await page.getByLabel('Move Step 2 to another list', { exact: true }).click();
    await page.getByRole('button', { name: 'Into Step 3, for each item', exact: true }).click();
    expect(await group(page, 'Step 2, for each item 2').getByLabel('Step id').first().inputValue()).toBe('values');
    expect(await horizontalOverflow(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Moved steps' }).waitFor({ timeout: 15_000 });
    const flows = (await stack.stack.ui(UW, '/ui/flows')).body as { flows: { id: string; name: string }[] };
    const flowId = flows.flows.find((flow) => flow.name === 'Moved steps')!.id;
    const stored = (await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body as { flow: { definition: { actions: unknown[] } } };
    expect(stored.flow.definition.actions).toMatchObject([
      { kind: 'branch', then: [{ kind: 'stop' }] },
      { kind: 'for-each', steps: [{ kind: 'wait' }, { id: 'values', kind: 'set', values: { label: 'moved' } }] },
    ]);
    expect((stored.flow.definition.actions[0] as Record<string, unknown>).else).toBeUndefined();
    expect(sidebar.problems).toEqual([]);
  });
});
