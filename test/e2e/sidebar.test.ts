/**
 * The sidebar as a workspace admin and a member see it, in a real browser, against the sandbox and
 * the Universal Webhook edition (the one with every capability). Each scenario leaves screenshots
 * at 400 and 1280 px in test-artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, openSidebar, screenshotBothWidths } from './browser.js';
import type { OpenedSidebar } from './browser.js';
import { startSidebarStack } from './sidebar-stack.js';
import type { SidebarStack } from './sidebar-stack.js';

const run = chromiumAvailable();

describe.runIf(run)('the sidebar (Universal Webhook, real browser)', () => {
  let stack: SidebarStack;
  let browser: Browser;
  const opened: OpenedSidebar[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('universal-webhook'), launchBrowser()]);
  });
  afterAll(async () => {
    for (const sidebar of opened) await sidebar.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  // One sidebar at a time, as a person has: each holds a live stream, and a user may hold only a few (SSE_MAX_STREAMS_PER_USER).
  const open = async (role: 'OWNER' | 'REGULAR' = 'OWNER', hash = '') => {
    for (const earlier of opened.splice(0)) await earlier.close().catch(() => undefined);
    const sidebar = await openSidebar(browser, stack.url, await stack.token(role), undefined, hash);
    opened.push(sidebar);
    await sidebar.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    return sidebar;
  };

  it('opens on the overview, takes the token out of the address bar and keeps it out of API URLs', async () => {
    const requests: { url: string; authorization?: string }[] = [];
    const token = await stack.token('OWNER');
    const sidebar = await openSidebar(browser, stack.url, token);
    opened.push(sidebar);
    sidebar.page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));
    const { page } = sidebar;
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'Workspace snapshot' }).waitFor();
    expect(page.url()).not.toContain('auth_token');
    expect(page.url()).toMatch(/\/sidebar$/);

    // Every view loads without errors.
    for (const name of ['Webhooks', 'Explorer', 'Flows', 'Settings', 'Overview']) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
      await expect.poll(() => page.locator('h1').textContent()).toContain(name === 'Explorer' ? 'API Explorer' : name);
    }
    await page.getByRole('heading', { name: 'Recent webhooks' }).waitFor();
    // When Clockify's delivery log was last read for failed deliveries, and what it gave back.
    await expect
      .poll(() => page.getByTestId('reconciliation').textContent())
      .toMatch(/^Last checked Clockify's delivery log: .+ — \d+ recovered/);
    await screenshotBothWidths(page, 'overview');

    const apiCalls = requests.filter((request) => new URL(request.url).pathname.startsWith('/ui/'));
    expect(apiCalls.length).toBeGreaterThan(3);
    for (const call of apiCalls) {
      if (new URL(call.url).pathname === '/ui/webhooks/stream') continue;
      expect(call.url).not.toContain(token);
      expect(call.authorization).toBe(`Bearer ${token}`);
    }
    expect(sidebar.problems).toEqual([]);
  });

  it('shows a bootstrap running to completion, with the progress bar reaching the end', async () => {
    const { page } = await open('OWNER');
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Workspace snapshot' }) });
    // The install started one; wait for it, then run a new one from the button and watch it finish.
    const runAgain = card.getByRole('button', { name: 'Run again' });
    await runAgain.waitFor({ timeout: 60_000 });
    await runAgain.click();
    const bar = card.getByRole('progressbar', { name: 'Snapshot progress' });
    await expect.poll(() => card.getByText('running').or(card.getByText('pending')).first().isVisible(), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(
        async () => {
          const [now, max] = await Promise.all([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]);
          return Number(max) > 0 && now === max;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await card.getByText('completed').waitFor({ timeout: 30_000 });
    const text = await card.getByTestId('bootstrap-progress-text').textContent();
    const [done, total] = /([\d,]+) of ([\d,]+)/
      .exec(text ?? '')!
      .slice(1)
      .map((n) => Number(n.replace(/,/g, '')));
    expect(done).toBe(total);
    await card.getByText('Records by type').waitFor();
    await screenshotBothWidths(page, 'overview-bootstrap-done');
  });

  it('shows a webhook live in the stream the moment it arrives, with its payload in the detail pane', async () => {
    const { page } = await open('OWNER', '#/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await expect.poll(() => page.locator('.live-dot.live-live').count(), { timeout: 15_000 }).toBe(1);
    const rows = page.getByTestId('event-list').getByRole('listitem');
    await page.getByTestId('event-list').or(page.getByText('Waiting for the first webhook')).first().waitFor();
    const before = await rows.count();

    await stack.stack.sandbox.trigger('NEW_TIME_ENTRY', { workspaceId: stack.workspaceId });
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before + 1);
    const newest = rows.first();
    expect(await newest.textContent()).toContain('NEW_TIME_ENTRY');
    await expect.poll(() => newest.textContent(), { timeout: 15_000 }).toMatch(/processed|skipped/);

    await newest.getByRole('link').click();
    const detail = page.getByTestId('event-detail');
    await detail.getByRole('heading', { name: 'Payload', exact: true }).waitFor();
    await detail.getByRole('heading', { name: 'What it triggered' }).waitFor();
    await detail.getByRole('tab', { name: 'Raw' }).click();
    expect(await detail.locator('pre').first().textContent()).toContain(stack.workspaceId);
    await detail.getByRole('tab', { name: 'Tree' }).click();
    await screenshotBothWidths(page, 'webhooks-detail');
  });

  it('runs an explorer call and shows the response, then lists it in the history', async () => {
    const { page } = await open('OWNER', '#/explorer');
    await page.getByRole('searchbox').fill('tags');
    const operation = page
      .locator('a.op-item', { hasText: '/tags' })
      .filter({ has: page.locator('.method-get') })
      .first();
    await operation.click();
    await page.getByRole('button', { name: 'Run' }).click();
    const response = page.getByTestId('explorer-response');
    await response.waitFor({ timeout: 20_000 });
    expect(await response.locator('.badge').first().textContent()).toContain('200');
    await response.getByRole('button', { name: 'Copy as curl' }).waitFor();
    expect(await response.locator('.json-tree').textContent()).toContain('name');
    await screenshotBothWidths(page, 'explorer-response');

    await page.getByRole('tab', { name: 'History' }).click();
    await page
      .getByRole('list', { name: /Explorer calls/ })
      .getByRole('listitem')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Run again' }).first().click();
    await page.getByText('Run again: response').waitFor({ timeout: 20_000 });
    await screenshotBothWidths(page, 'explorer-history');

    // "Save as flow action" drafts a flow whose one step is this call.
    await page.getByRole('tab', { name: 'Operations' }).click();
    await page.getByRole('button', { name: 'Save as flow action' }).click();
    await page.getByRole('heading', { level: 1, name: 'New flow' }).waitFor();
    expect(await page.getByRole('group', { name: 'Step 1' }).getByLabel('Operation').inputValue()).toBe('getTags');
  });

  it('can be used with the keyboard alone', async () => {
    const { page } = await open('OWNER');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Through the section tabs to Webhooks, opened with Enter.
    let guard = 0;
    while ((await page.evaluate(() => document.activeElement?.textContent?.trim())) !== 'Webhooks' && guard++ < 20)
      await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(ring).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    // Focus moved to the new view, so the next Tab starts inside it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('creates a flow from a template, runs it on a webhook and shows the run with its requests', async () => {
    const { page } = await open('OWNER', '#/flows');
    await page.getByRole('link', { name: 'From a template', exact: true }).click();
    const card = page.locator('.template-card', { hasText: 'Create standard tasks on every new project' });
    await screenshotBothWidths(page, 'flow-templates');
    await card.getByRole('button', { name: 'Use this template' }).click();
    await card.getByLabel('Task names (one per line)').fill('Kick-off\nReview');
    await card.getByRole('button', { name: 'Create flow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Standard tasks for new projects' }).waitFor({ timeout: 15_000 });
    await page.getByRole('group', { name: 'Step 1' }).waitFor();
    await screenshotBothWidths(page, 'flow-editor');
    // Template flows start switched off; switching one on without a dry run asks first.
    await page.getByRole('switch', { name: 'Enabled' }).click();
    await page.getByRole('dialog', { name: 'Enable without a passing dry run?' }).getByRole('button', { name: 'Enable anyway' }).click();
    await page.getByText('enabled', { exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByText('No runs yet').waitFor();
    await stack.stack.sandbox.trigger('NEW_PROJECT', { workspaceId: stack.workspaceId });
    const runRow = page.getByTestId('run-list').getByRole('link').first();
    await runRow.waitFor({ timeout: 20_000 });
    await expect.poll(() => runRow.textContent(), { timeout: 20_000 }).toMatch(/succeeded|failed|dead/);
    await screenshotBothWidths(page, 'flow-runs');

    await runRow.click();
    const detail = page.getByTestId('run-detail');
    await detail.getByRole('heading', { name: /Step 1: createTask1/ }).waitFor();
    expect(await detail.getByRole('heading', { name: 'Request' }).count()).toBeGreaterThan(0);
    expect(await detail.getByRole('button', { name: 'Retry', exact: true }).isVisible()).toBe(true);
    await screenshotBothWidths(page, 'flow-run-detail');
  });

  it('dry-runs a flow in the editor with fields picked from the sample payload', async () => {
    const { page } = await open('OWNER', '#/flows/new');
    await page.getByLabel('Name').first().fill('Note long entries');
    await page.getByRole('group', { name: 'Clockify events' }).getByLabel('NEW_TIME_ENTRY').check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Conditions, rule 1: field (JSONPath)').focus();
    const picker = page.locator('section', { has: page.getByRole('heading', { name: 'Event fields' }) });
    await picker.getByText('Inserting into').waitFor();
    await picker.getByRole('button', { name: 'Use $.description' }).click();
    expect(await page.getByLabel('Conditions, rule 1: field (JSONPath)').inputValue()).toBe('$.description');
    await page.getByLabel('Conditions, rule 1: comparison').selectOption('not_empty');
    await page.getByLabel('Add a step to the flow').click();
    await page.getByRole('button', { name: 'Call Clockify' }).click();
    await page.getByRole('group', { name: 'Step 1' }).getByLabel('Operation').fill('getTag');
    // Each field also opens the picker itself, as a dialog (how it is used in a narrow sidebar).
    const idParam = page.getByRole('group', { name: 'Step 1' }).getByRole('combobox', { name: /^id\b/ });
    await page.getByRole('button', { name: 'Pick an event field for Step 1: id' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pick an event field' });
    await dialog.getByText('Inserting into Step 1: id as a template').waitFor();
    await dialog
      .getByRole('button', { name: 'Use $.tagIds[0]' })
      .or(dialog.getByRole('button', { name: 'Use $.tagIds' }))
      .first()
      .click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await idParam.inputValue()).toMatch(/^\{\{ event\.tagIds(\[0\])? \}\}$/);
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value))
      .toBe(await idParam.inputValue());
    await page.getByRole('button', { name: 'Dry run' }).click();
    const result = page.getByTestId('dry-run-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toMatch(/conditions (not )?matched/);
    await screenshotBothWidths(page, 'flow-new-dry-run');
  });

  it('manages custom webhook sources: the secret is shown once with a copy button', async () => {
    const { page } = await open('OWNER', '#/settings');
    await page.getByRole('button', { name: 'New source' }).click();
    await page.getByLabel('Name').fill('GitHub');
    await page.getByRole('button', { name: 'Create source' }).click();
    const secret = page.getByTestId('secret-reveal');
    await secret.getByText("You won't see it again", { exact: false }).waitFor();
    await secret.getByRole('button', { name: 'Copy' }).waitFor();
    await page.getByText(/\/webhooks\/custom\//).waitFor();
    await screenshotBothWidths(page, 'settings-sources');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('secret-reveal').count()).toBe(0);
  });

  it('gives a regular member read-only views without any write control', async () => {
    const { page, problems } = await open('REGULAR');
    await page.getByText('Member · read-only').waitFor();
    await page.getByRole('heading', { name: 'Workspace snapshot' }).waitFor();
    await page.getByRole('heading', { name: 'Webhook registrations' }).waitFor();
    await page.waitForLoadState('networkidle');
    const writeButtons =
      /^(Run again|Take snapshot|Retry failed|Cancel|Repair|New flow|From a template|New source|Rotate secret|Delete|Replay|Retry|Execute step|Save as flow action|Create flow|Save changes|Use this template)$/;
    const expectNoWrites = async (where: string) => {
      const names = await page.getByRole('button').or(page.getByRole('link')).allTextContents();
      expect(
        names.map((n) => n.trim()).filter((n) => writeButtons.test(n)),
        where,
      ).toEqual([]);
      expect(await page.getByRole('switch').count(), where).toBe(0);
    };
    await expectNoWrites('overview');
    await screenshotBothWidths(page, 'member-overview');

    for (const hash of ['#/flows', '#/settings', '#/explorer']) {
      await page.evaluate((h) => (window.location.hash = h), hash);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoWrites(hash);
    }
    await screenshotBothWidths(page, 'member-explorer');
    expect(problems.filter((p) => !p.includes('403'))).toEqual([]);
  });
});

describe.runIf(run)('the session message (API Studio)', () => {
  let stack: SidebarStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startSidebarStack('api-studio'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const expectSessionPage = async (page: Page, heading: string) => {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
  };

  it('replaces the page for an expired token', async () => {
    // Expired two minutes ago: beyond the server's clock-skew allowance.
    const token = await stack.token('OWNER', { expiresInSeconds: -120 });
    const sidebar = await openSidebar(browser, stack.url, token);
    await expectSessionPage(sidebar.page, 'Your session has expired');
    await screenshotBothWidths(sidebar.page, 'session-expired');
    await sidebar.close();
  });

  it('replaces the page for a forged token (claims changed, signature kept)', async () => {
    const token = await stack.token('REGULAR');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, workspaceRole: 'OWNER' })).toString('base64url')}.${signature}`;
    const sidebar = await openSidebar(browser, stack.url, forged);
    await expectSessionPage(sidebar.page, 'This sign-in token was not accepted');
    await screenshotBothWidths(sidebar.page, 'session-bad-token');
    await sidebar.close();
  });

  it('explains how to open the sidebar when there is no token, and says a non-JWT link is not valid', async () => {
    const none = await openSidebar(browser, stack.url, null);
    await expectSessionPage(none.page, 'Open this add-on from Clockify');
    expect(await none.page.locator('main').textContent()).toContain('npm run cli -- token <edition>');
    await screenshotBothWidths(none.page, 'session-no-token');
    await none.close();
    const garbage = await openSidebar(browser, stack.url, 'not-a-token');
    await expectSessionPage(garbage.page, 'This sign-in link is not valid');
    await garbage.close();
  });

  it('asks Clockify for a new token before expiry and uses the one it gets back', async () => {
    const first = await stack.token('OWNER', { expiresInSeconds: 12 });
    const second = await stack.token('OWNER', { expiresInSeconds: 1800 });
    const sidebar = await openSidebar(browser, stack.url, first, undefined, '#/settings');
    const { page } = sidebar;
    await page.evaluate(() => {
      (window as unknown as { refreshAsks: number }).refreshAsks = 0;
      window.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && event.data.includes('"refreshAddonToken"') && event.data.includes('action'))
          (window as unknown as { refreshAsks: number }).refreshAsks += 1;
      });
    });
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    // Lifetime 12 s: the page asks at half-life, about 6 s in.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { refreshAsks: number }).refreshAsks), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.evaluate((token) => window.postMessage(JSON.stringify({ title: 'refreshAddonToken', body: token }), '*'), second);

    // Past the first token's expiry the page still works, with the new token.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const authorization = page
      .waitForRequest((request) => request.url().includes('/ui/me') || request.url().includes('/ui/inspector/events'))
      .then((request) => request.headers().authorization);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
    expect(await authorization).toBe(`Bearer ${second}`);
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(await page.locator('main.session-ended').count()).toBe(0);
    await sidebar.close();
  });

  it('shows the read-only explorer of API Studio with GET operations only', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER'), undefined, '#/explorer');
    const { page } = sidebar;
    await page.getByText(/\d+ operations/).waitFor();
    const methods = await page.locator('a.op-item .method').allTextContents();
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['GET']));
    expect(await page.getByLabel('HTTP method').count()).toBe(0);
    await screenshotBothWidths(page, 'api-studio-explorer');
    await sidebar.close();
  });

  it('follows the dark theme of the token', async () => {
    const sidebar = await openSidebar(browser, stack.url, await stack.token('OWNER', { theme: 'DARK' }));
    const { page } = sidebar;
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(18, 21, 27)');
    await screenshotBothWidths(page, 'overview-dark');
    await sidebar.close();
  });
});
