/**
 * The step editor in a real browser: a flow with a branch holding a find-or-create, a loop with a
 * "Set values" inside, "Only if" on a step, a wait and a stop is built with the mouse and keyboard
 * (template completion included), saved, and reads back the same after a reload; at 400 px the
 * page never scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { NARROW, WIDE, chromiumAvailable, horizontalOverflow, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

const EXPECTED_STEPS = [
  {
    id: 'branch',
    kind: 'branch',
    if: { mode: 'all', rules: [{ path: '$.event.projectId', op: 'exists' }] },
    then: [{ id: 'find', kind: 'find', entity: 'tag', by: { field: 'name', value: 'billable' }, ifMissing: 'create' }],
  },
  { id: 'loop', kind: 'for-each', items: '$.event.tagIds', steps: [{ id: 'values', kind: 'set', values: { label: '{{ loop.index }}' } }] },
  {
    id: 'call',
    kind: 'clockify',
    operationId: 'getTags',
    onlyIf: { mode: 'all', rules: [{ path: '$.event.description', op: 'not_empty' }] },
  },
  { id: 'wait', kind: 'wait', for: { hours: 2 } },
  { id: 'stop', kind: 'stop', outcome: 'skipped', message: '{{ event.description | upper }}' },
];

const group = (page: Page | Locator, name: string) => page.getByRole('group', { name, exact: true });

async function addStep(page: Page, list: string, kind: RegExp) {
  await page.getByLabel(`Add a step to ${list}`, { exact: true }).click();
  await page.getByRole('button', { name: kind }).click();
}

describe.runIf(chromiumAvailable())('Flow steps in the editor (real browser)', () => {
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

  it('builds nested steps with completion and a preview, saves them, and reads them back after a reload', async () => {
    const sample = (await stack.stack.ui(UW, '/ui/webhooks/samples/NEW_TIME_ENTRY')).body as Record<string, unknown>;
    const payload = (sample.sample ?? sample.payload ?? sample) as { description?: string };
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), WIDE, '#/flows/new');
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Name').first().fill('Every kind of step');
    await page.getByRole('group', { name: 'Clockify events' }).getByLabel('NEW_TIME_ENTRY').check();
    // The side picker loads the sample event: completion and preview use it.
    await page.getByRole('heading', { name: 'Event fields' }).waitFor();

    // Step 1: If / otherwise, holding a find-or-create.
    await addStep(page, 'the flow', /^If \/ otherwise/);
    const branch = group(page, 'Step 1');
    await group(branch, 'Step 1, if').getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Step 1, if, rule 1: field (JSONPath)', { exact: true }).fill('$.event.projectId');
    await page.getByLabel('Step 1, if, rule 1: comparison').selectOption('exists');
    await addStep(page, 'Step 1, then', /^Find in workspace/);
    const find = group(page, 'Step 1, then 1');
    await find.getByLabel('Find a').selectOption('tag');
    await find.getByLabel(/^Equals/).fill('billable');
    await find.getByLabel('If none is found').selectOption('create');
    expect(await find.textContent()).toContain('Find or create tag by name = billable');

    // Step 2: Repeat for each, with Set values inside; completion offers loop.index there.
    await addStep(page, 'the flow', /^Repeat for each/);
    await group(page, 'Step 2').getByLabel('Repeat for each item of').fill('$.event.tagIds');
    await addStep(page, 'Step 2, for each item', /^Set values/);
    const set = group(page, 'Step 2, for each item 1');
    await set.getByLabel('Step 2, for each item 1: value 1 name', { exact: true }).fill('label');
    const value = set.getByLabel('Step 2, for each item 1: value 1', { exact: true });
    await value.click();
    await value.pressSequentially('{{ lo');
    const suggestions = page.getByRole('listbox', { name: 'Suggestions for Step 2, for each item 1: value label' });
    await suggestions.waitFor();
    expect(await suggestions.getByRole('option').allTextContents()).toEqual(['loop.index', 'loop.count']);
    await value.press('Enter');
    await value.pressSequentially(' }}');
    expect(await value.inputValue()).toBe('{{ loop.index }}');

    // Step 3: a Clockify call, only if the entry has a description.
    await addStep(page, 'the flow', /^Call Clockify/);
    const call = group(page, 'Step 3');
    await call.getByLabel('Operation').fill('getTags');
    await call.getByLabel('Only if…').check();
    await page.getByLabel('Step 3, only if, rule 1: field (JSONPath)', { exact: true }).fill('$.event.description');
    await page.getByLabel('Step 3, only if, rule 1: comparison').selectOption('not_empty');

    // Step 4: wait two hours. Step 5: stop, with a message completed and previewed as it is typed.
    await addStep(page, 'the flow', /^Wait\b/);
    await group(page, 'Step 4').getByLabel('Hours').fill('2');
    await addStep(page, 'the flow', /^Stop\b/);
    const stop = group(page, 'Step 5');
    await stop.getByLabel('End the run').selectOption('skipped');
    const message = stop.getByLabel('Message (optional)');
    await message.click();
    await message.pressSequentially('{{ event.descr');
    const messageSuggestions = page.getByRole('listbox', { name: 'Suggestions for Step 5: message' });
    await messageSuggestions.waitFor();
    // Escape hides the suggestions; typing on brings them back.
    await message.press('Escape');
    await messageSuggestions.waitFor({ state: 'detached' });
    await message.pressSequentially('i');
    await page.getByRole('listbox', { name: 'Suggestions for Step 5: message' }).getByRole('option', { name: 'event.description' }).click();
    await message.pressSequentially(' | upp');
    await page
      .getByRole('listbox', { name: 'Suggestions for Step 5: message' })
      .getByRole('option', { name: /^upper/ })
      .click();
    await message.pressSequentially(' }}');
    expect(await message.inputValue()).toBe('{{ event.description | upper }}');
    if (payload.description)
      await expect.poll(() => stop.getByTestId('template-preview').textContent()).toBe(`Preview: ${payload.description.toUpperCase()}`);

    // The dry run lists nested steps where they sit: the branch's arm, the loop's first item.
    await page.getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByTestId('dry-run-result');
    await dry.waitFor({ timeout: 15_000 });
    const dryText = await dry.textContent();
    expect(dryText).toContain('Step branch.then.find (Find in workspace) would run');
    expect(dryText).toContain('Step loop[0].values (Set values) would run');
    expect(dryText).toContain('Step call would send');
    await screenshotBothWidths(page, 'flow-steps-new');
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Every kind of step' }).waitFor({ timeout: 15_000 });

    const flows = (await stack.stack.ui(UW, '/ui/flows')).body as { flows: { id: string; name: string }[] };
    const flowId = flows.flows.find((flow) => flow.name === 'Every kind of step')!.id;
    const stored = (await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body as { flow: { definition: { actions: unknown[] } } };
    expect(stored.flow.definition.actions).toMatchObject(EXPECTED_STEPS);

    // After a reload the editor shows the same steps, nested where they were.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Every kind of step' }).waitFor({ timeout: 15_000 });
    await group(page, 'Step 1, then 1').waitFor();
    expect(await group(page, 'Step 1, then 1').getByLabel('If none is found').inputValue()).toBe('create');
    expect(await page.getByLabel('Step 1, if, rule 1: field (JSONPath)', { exact: true }).inputValue()).toBe('$.event.projectId');
    const savedValue = group(page, 'Step 2, for each item 1').getByRole('combobox', {
      name: 'Step 2, for each item 1: value 1',
      exact: true,
    });
    // Intermittently (under heavy machine load) this input was not found after the reload; say what was there instead.
    await savedValue.waitFor().catch(async (error: Error) => {
      const inputs = await page
        .locator('.step-set input')
        .evaluateAll((nodes) =>
          nodes.map(
            (node) =>
              `${node.getAttribute('aria-label')} ${JSON.stringify(node.getBoundingClientRect())} ${(node as HTMLInputElement).value}`,
          ),
        );
      throw new Error(`${error.message}\npage problems: ${JSON.stringify(sidebar.problems)}\nSet values inputs: ${JSON.stringify(inputs)}`);
    });
    expect(await savedValue.inputValue()).toBe('{{ loop.index }}');
    expect(await group(page, 'Step 3').getByLabel('Only if…').isChecked()).toBe(true);
    expect(await page.getByLabel('Step 3, only if, rule 1: field (JSONPath)', { exact: true }).inputValue()).toBe('$.event.description');
    expect(await group(page, 'Step 4').getByLabel('Hours').inputValue()).toBe('2');
    expect(await group(page, 'Step 5').getByLabel('End the run').inputValue()).toBe('skipped');
    expect(await page.getByText('Unsaved changes').count()).toBe(0);

    // The narrow sidebar: nested cards, rules and the open add menu stay inside 400 px.
    await page.setViewportSize(NARROW);
    await page.getByLabel('Add a step to Step 2, for each item', { exact: true }).click();
    expect(await horizontalOverflow(page)).toEqual([]);
    await screenshotBothWidths(page, 'flow-steps-saved');
    expect(sidebar.problems).toEqual([]);
  });

  it('moves and removes nested steps and keeps new ids unique across levels', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), NARROW, '#/flows/new');
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor({ timeout: 15_000 });
    await addStep(page, 'the flow', /^If \/ otherwise/);
    await addStep(page, 'Step 1, then', /^Stop\b/);
    await addStep(page, 'Step 1, otherwise', /^Stop\b/);
    await addStep(page, 'Step 1, otherwise', /^Wait\b/);
    const id = (title: string) => group(page, title).getByLabel('Step id').first().inputValue();
    expect([await id('Step 1, then 1'), await id('Step 1, otherwise 1'), await id('Step 1, otherwise 2')]).toEqual([
      'stop',
      'stop2',
      'wait',
    ]);
    await page.getByRole('button', { name: 'Move Step 1, otherwise 2 up' }).click();
    expect([await id('Step 1, otherwise 1'), await id('Step 1, otherwise 2')]).toEqual(['wait', 'stop2']);
    await page.getByRole('button', { name: 'Remove Step 1, then 1' }).click();
    expect(await group(page, 'Step 1, then 1').count()).toBe(0);
    await group(page, 'Step 1, otherwise 1').getByLabel('Step id').first().fill('stop2');
    await group(page, 'Step 1, otherwise 1').getByText('Another step already has this id.').waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    expect(sidebar.problems).toEqual([]);
  });
});
