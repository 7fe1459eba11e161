/**
 * Names in the flow editor, in a real browser against the sandbox: a condition on $.projectId, a
 * Clockify call's projectId parameter and a body's projectId show the project's name, offer the
 * projects by name, and a pick saves the project's id (the stored definition keeps ids).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack, waitForNames } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const UW = 'universal-webhook' as const;

describe.runIf(chromiumAvailable())('Names in the flow editor (real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  let flowId: string;
  let projects: { id: string; name: string }[];
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack(UW, {}, { users: 3, projects: 5, timeEntries: 5 }), launchBrowser()]);
    await waitForNames(stack, 5);
    const names = await stack.stack.ui(UW, '/ui/names');
    projects = (names.body as { projects: { id: string; name: string }[] }).projects;
    const [first] = projects;
    const created = await stack.stack.ui(UW, '/ui/flows', {
      body: {
        definition: {
          name: 'Project watch',
          enabled: false,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [{ path: '$.projectId', op: 'equals', value: first!.id }] },
          actions: [
            { id: 'readProject', kind: 'clockify', operationId: 'getProject', params: { projectId: first!.id } },
            {
              id: 'logTime',
              kind: 'clockify',
              operationId: 'createTimeEntry',
              body: { start: '{{ event.timeInterval.start }}', projectId: first!.id, description: 'copy' },
            },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    flowId = created.body.flow.id;
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('shows project names for the stored ids, lists projects by name, and saves the picked id', async () => {
    const [first, second] = projects;
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, `#/flows/${flowId}`);
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Project watch' }).waitFor({ timeout: 15_000 });

    // The stored ids show as the project's name: in the condition, the parameter and the body.
    const conditionPicker = page.getByLabel('Conditions, rule 1: pick the value by name');
    const paramPicker = page.getByLabel('Step 1: pick projectId by name');
    const bodyPicker = page.getByLabel('Step 2: pick body projectId by name');
    await conditionPicker.waitFor({ timeout: 15_000 });
    await paramPicker.waitFor({ timeout: 15_000 });
    await bodyPicker.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('id-name').allTextContents()).toEqual(expect.arrayContaining([`= ${first!.name}`]));
    expect(
      (await page.getByTestId('id-name').allTextContents()).filter((text) => text === `= ${first!.name}`).length,
    ).toBeGreaterThanOrEqual(3);
    expect(await page.getByLabel('Names in this body').textContent()).toContain(first!.name);

    // The pickers list every project by name, the stored one selected.
    for (const picker of [conditionPicker, paramPicker, bodyPicker]) {
      const options = await picker.locator('option').allTextContents();
      for (const project of projects) expect(options).toContain(project.name);
      expect(await picker.inputValue()).toBe(first!.id);
    }
    await screenshotBothWidths(page, 'flow-names');

    // Picking by name puts the id in the field and shows the new name.
    await conditionPicker.selectOption({ label: second!.name });
    await paramPicker.selectOption({ label: second!.name });
    await bodyPicker.selectOption({ label: second!.name });
    await expect.poll(() => page.getByTestId('id-name').allTextContents()).not.toContain(`= ${first!.name}`);
    await page.getByRole('button', { name: 'Save changes' }).click();

    await expect
      .poll(
        async () => {
          const flow = (await stack.stack.ui(UW, `/ui/flows/${flowId}`)).body as {
            flow?: {
              definition: {
                conditions: { rules: { value: unknown }[] };
                actions: { params?: Record<string, unknown>; body?: Record<string, unknown> }[];
              };
            };
          };
          const definition = flow.flow?.definition;
          return definition
            ? [definition.conditions.rules[0]!.value, definition.actions[0]!.params?.projectId, definition.actions[1]!.body?.projectId]
            : null;
        },
        { timeout: 15_000 },
      )
      .toEqual([second!.id, second!.id, second!.id]);
    expect(sidebar.problems).toEqual([]);
  });

  it('shows members the names but no pickers (they cannot edit flows)', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('REGULAR'), undefined, `#/flows/${flowId}`);
    opened.push(sidebar);
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Project watch' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('id-name').allTextContents(), { timeout: 15_000 }).toContain(`= ${projects[1]!.name}`);
    expect(await page.getByLabel(/pick .* by name/).count()).toBe(0);
    expect(sidebar.problems).toEqual([]);
  });
});
