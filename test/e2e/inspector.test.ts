/**
 * Issue 22, findings 4 and 5: the webhook inspector speaks in names (a one-line summary per event,
 * names in the details), searches payloads by text, id or name, and shows rejected requests.
 * Universal Webhook, at 400 and 1280 px, light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { NARROW, chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack, waitForNames } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();
const HEX_ID = /\b[0-9a-f]{24}\b/;

describe.runIf(run)('the webhook inspector (Universal Webhook, real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];
  let names: { projects: { id: string; name: string }[]; users: { id: string; name: string }[] };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startSidebarStack('universal-webhook', {}, { users: 3, projects: 8, timeEntries: 40 }),
      launchBrowser(),
    ]);
    await waitForNames(stack, 8);
    names = (await (
      await fetch(`${stack.url}/ui/names`, { headers: { authorization: `Bearer ${await stack.token('OWNER')}` } })
    ).json()) as typeof names;
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  const open = async (hash: string, theme: 'DEFAULT' | 'DARK' = 'DEFAULT') => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER', { theme }), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    return sidebar;
  };

  it('summarises each event in one line of names, and names the ids in its details', async () => {
    await stack.stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId: stack.workspaceId });
    await stack.stack.sandbox.trigger('NEW_PROJECT', { workspaceId: stack.workspaceId });
    const { page } = await open('#/webhooks', 'DARK');
    const summaries = page.getByTestId('event-list').getByTestId('event-summary');
    await expect.poll(() => summaries.count(), { timeout: 15_000 }).toBe(2);
    const [project, entry] = await summaries.allTextContents();
    const userNames = names.users.map((user) => user.name);
    const projectNames = names.projects.map((p) => p.name);
    expect(entry).toMatch(/^(.+) (logged \d+ [hm]( \d+ m)?|added a time entry)( on (.+))?$/);
    expect(userNames.some((name) => entry!.startsWith(name))).toBe(true);
    expect(project).toMatch(/^Project ".+" was created$/);
    expect(projectNames.some((name) => project!.includes(`"${name}"`))).toBe(true);
    for (const text of [entry, project]) expect(text).not.toMatch(HEX_ID);

    await page.getByTestId('event-list').getByRole('link').last().click();
    const detail = page.getByTestId('event-detail');
    const known = detail.getByRole('definition');
    await detail.getByRole('heading', { name: 'Names in this payload' }).waitFor();
    const knownText = (await known.allTextContents()).join(' | ');
    expect(userNames.some((name) => knownText.includes(name))).toBe(true);
    await screenshotBothWidths(page, 'inspector-names-dark');
  });

  it('finds events by a name, an id or text in their payload', async () => {
    const { page } = await open('#/webhooks');
    const summaries = page.getByTestId('event-list').getByTestId('event-summary');
    await expect.poll(() => summaries.count(), { timeout: 15_000 }).toBe(2);
    const project = /"(.+)"/.exec((await summaries.first().textContent()) ?? '')![1]!;
    const search = page.getByRole('searchbox', { name: 'Search events' });

    await search.fill(project);
    await expect.poll(() => summaries.count()).toBeGreaterThanOrEqual(1);
    expect(await summaries.allTextContents()).toContain(`Project "${project}" was created`);

    await search.fill('NEW_PROJECT');
    await expect.poll(() => summaries.allTextContents()).toEqual([`Project "${project}" was created`]);

    await search.fill('nothing-sends-this-text');
    await page.getByText('No event mentions "nothing-sends-this-text"').waitFor();
    await screenshotBothWidths(page, 'inspector-search-empty');
  });

  it('lists refused requests (bad signature, wrong workspace, a custom source) with the reason, and filters them', async () => {
    const token = await stack.token('OWNER');
    // A Clockify webhook whose signature was forged: right workspace in the claims, wrong signature.
    const forgedClaims = Buffer.from(
      JSON.stringify({ workspaceId: stack.workspaceId, sub: 'clockify-universal-webhook', type: 'webhook' }),
    ).toString('base64url');
    const forged = await fetch(`${stack.url}/webhooks/clockify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'clockify-webhook-event-type': 'NEW_PROJECT',
        'clockify-signature': `eyJhbGciOiJSUzI1NiJ9.${forgedClaims}.c2lnbmF0dXJl`,
      },
      body: JSON.stringify({ workspaceId: stack.workspaceId, id: 'x', name: 'Forged' }),
    });
    expect(forged.status).toBe(401);
    // A genuine webhook about another workspace.
    await stack.stack.sandbox.trigger('NEW_TAG', {
      workspaceId: stack.workspaceId,
      payload: { id: 'abc', name: 'Elsewhere', workspaceId: '5f0000000000000000000000' },
    });
    // A custom source called without its signature.
    const created = await fetch(`${stack.url}/ui/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Billing system', signatureMode: 'standard' }),
    });
    const { source } = (await created.json()) as { source: { id: string; url: string } };
    const unsigned = await fetch(`${stack.url}/webhooks/custom/${source.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-event-type': 'invoice.paid' },
      body: JSON.stringify({ amount: 5 }),
    });
    expect(unsigned.status).toBe(401);

    const { page } = await open('#/webhooks');
    await page.getByRole('tab', { name: 'Rejected' }).click();
    const list = page.getByTestId('rejected-list');
    // The sandbox retries a refused delivery as Clockify does: each attempt is listed.
    await expect
      .poll(
        async () => {
          const text = (await list.textContent().catch(() => '')) ?? '';
          return ['Bad or unknown signature', 'Signed for another workspace or add-on', 'Billing system'].filter((part) =>
            text.includes(part),
          );
        },
        { timeout: 10_000 },
      )
      .toHaveLength(3);
    const text = await list.textContent();
    expect(text).not.toContain('c2lnbmF0dXJl');

    await page.getByLabel('Reason').selectOption({ label: 'Bad signature' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    const item = list.getByRole('listitem').first();
    await item.locator('summary').click();
    await item.getByText('invoice.paid').first().waitFor();
    expect(await item.textContent()).toMatch(/x-event-type/);
    await screenshotBothWidths(page, 'inspector-rejected');
  });

  it('is at home in a 400-px Clockify sidebar: live content first, targets of 24 px, its own accent, dates as the user set them in Clockify', async () => {
    const { page } = await open('');
    await page.setViewportSize(NARROW);
    await page.getByRole('heading', { name: 'Recent webhooks' }).waitFor();
    const top = async (name: string) => (await page.getByRole('heading', { name }).boundingBox())!.y;
    expect(await top('Recent webhooks')).toBeLessThan(await top('Workspace snapshot'));
    // The sandbox user's Clockify settings: DD/MM/YYYY and a 24-hour clock.
    await expect.poll(() => page.locator('.facts dd').nth(1).textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.brand-mark')!).backgroundColor)).toBe('rgb(124, 92, 255)');

    for (const hash of ['#/overview', '#/webhooks', '#/explorer/getProjects', '#/flows/new', '#/settings']) {
      await page.evaluate((h) => (window.location.hash = h), hash);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      const small = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll<HTMLElement>('button, [role=switch], [role=tab], select, input:not([type=hidden]), summary, nav a'),
        )
          .filter((element) => element.offsetParent !== null && !element.closest('.visually-hidden'))
          // A checkbox or radio inside its label is clicked through the whole label.
          .map((element) => ({
            element: element.matches('input[type=checkbox], input[type=radio]') ? (element.closest('label') ?? element) : element,
            name: (element.getAttribute('aria-label') ?? element.textContent ?? element.getAttribute('type') ?? element.tagName)
              .trim()
              .slice(0, 40),
          }))
          .map(({ element, name }) => ({ name, box: element.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 24 || box.height < 24)
          .map(({ name, box }) => `${name} (${Math.round(box.width)}×${Math.round(box.height)})`),
      );
      expect(small, hash).toEqual([]);
    }
    // The explorer's long form: optional parameters folded, Run in view without scrolling.
    await page.evaluate(() => (window.location.hash = '#/explorer/getProjects'));
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    const box = (await run.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(NARROW.height);
    await screenshotBothWidths(page, 'at-home-explorer-narrow');
  });

  it('charts volume and outcomes over 24 h and 7 d, and offers per-event actions', async () => {
    const { page } = await open('#/webhooks');
    const chart = page.getByTestId('volume-chart');
    await expect
      .poll(() => chart.locator('.volume-summary').textContent())
      .toMatch(/^2 events in the last 24 hours: 2 handled, 0 skipped, 0 waiting, 0 failed, [1-9]\d* refused\.$/);
    expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    await chart.getByRole('tab', { name: '7 d' }).click();
    await expect.poll(() => chart.locator('.volume-summary').textContent()).toContain('in the last 7 days');

    await page.getByTestId('event-list').getByRole('link').first().click();
    const detail = page.getByTestId('event-detail');
    await detail.getByRole('button', { name: 'Copy as curl' }).waitFor();
    await screenshotBothWidths(page, 'inspector-event-actions');
    await detail.getByRole('button', { name: 'Create a flow from it' }).click();
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor();
    expect(await page.getByRole('group', { name: 'Clockify events' }).getByLabel('NEW_PROJECT').isChecked()).toBe(true);
  });
});
