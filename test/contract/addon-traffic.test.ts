/**
 * The contract between the add-ons and Clockify, checked on both sides: the add-ons' real traffic
 * (install, bootstrap with heavy data and time entries, the explorer running every operation it
 * offers, flows calling Clockify, a multipart upload among them) goes to a sandbox that refuses and
 * records every request the spec forbids (security, parameters, media type, body) and checks every
 * 2xx answer against the spec (`validateResponses`). Any request violation fails the test: it is the
 * add-on that must send only what Clockify accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFromSchema, getCatalog } from '../../src/clockify/catalog/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { jobsSettled } from '../lifecycle/support.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun } from '../flows-e2e/flow-helpers.js';

const catalog = getCatalog();
const EDITIONS: EditionId[] = ['universal-webhook', 'api-studio', 'clockify-addon'];
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('the add-ons send only what the spec allows', () => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({
      editions: EDITIONS,
      sandbox: { seed: { users: 3, projects: 4, timeEntries: 40 }, validateResponses: true, rateLimitPerSecond: 10_000 },
    });
    ({ workspaceId } = await stack.install('universal-webhook'));
    for (const edition of EDITIONS.slice(1)) await stack.install(edition, workspaceId);
    for (const edition of EDITIONS) await jobsSettled(stack.edition(edition), 90_000);
  }, 180_000);
  afterAll(() => stack?.close());

  const requestViolations = () => stack.sandbox.specViolations().filter((violation) => violation.kind === 'request');
  const answerViolations = () => stack.sandbox.specViolations().filter((violation) => violation.kind === 'response');

  it('install and the default bootstrap', () => {
    expect(stack.sandbox.requestLog().length).toBeGreaterThan(10);
    expect(requestViolations()).toEqual([]);
    expect(answerViolations()).toEqual([]);
  });

  it('a bootstrap with heavy data and time entries', async () => {
    for (const edition of ['universal-webhook', 'clockify-addon'] as const) {
      const key = stack.edition(edition).runtime.editionConfig.key;
      await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { include_heavy: true, include_time_entries: true } });
      await jobsSettled(stack.edition(edition), 60_000);
      const started = await stack.ui(edition, '/ui/bootstrap/trigger', { body: { mode: 'full' } });
      expect([202, 409]).toContain(started.status);
      await jobsSettled(stack.edition(edition), 120_000);
    }
    expect(stack.sandbox.requestLog().some((record) => record.path.includes('/reports/'))).toBe(true);
    expect(stack.sandbox.requestLog().some((record) => record.path.startsWith('/auditlog/'))).toBe(false);
    expect(requestViolations()).toEqual([]);
    expect(answerViolations()).toEqual([]);
  }, 300_000);

  it.each(EDITIONS)(
    '%s: the explorer runs every operation it offers, with its example body',
    async (edition) => {
      const listed = await stack.ui(edition, '/ui/api-explorer/endpoints');
      const offered = (listed.body.groups as { operations: { operationId: string; runnable: boolean }[] }[])
        .flatMap((group) => group.operations)
        .filter((op) => op.runnable);
      expect(offered.length).toBeGreaterThanOrEqual(edition === 'api-studio' ? 45 : 150);
      const sent: string[] = [];
      for (const { operationId } of offered) {
        const form = (await stack.ui(edition, `/ui/api-explorer/endpoints/${operationId}`)).body;
        const operation = catalog.get(operationId)!;
        const params: Record<string, unknown> = { ...form.prefill };
        for (const parameter of operation.parameters) {
          if (params[parameter.name] !== undefined || parameter.name === 'workspaceId') continue;
          if (parameter.in === 'path') params[parameter.name] = parameter.schema.type === 'integer' ? 1 : '5f1d4c1e2a3b4c5d6e7f8a9b';
          else if (parameter.required && parameter.default === undefined) params[parameter.name] = exampleFromSchema(parameter.schema);
        }
        const response = await stack.ui(edition, '/ui/api-explorer/execute', {
          body: { operationId, params, ...(form.exampleBody !== null ? { body: form.exampleBody } : {}) },
        });
        // 400 here is the add-on's own validation refusing before anything is sent; anything else reached the sandbox.
        if (response.status === 200) sent.push(operationId);
      }
      expect(sent.length).toBeGreaterThan(offered.length / 2);
      expect(requestViolations()).toEqual([]);
      expect(answerViolations()).toEqual([]);
    },
    300_000,
  );

  it('a flow calls Clockify, a multipart expense with a receipt among its actions', async () => {
    const project = (await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getProjects' } })).body
      .body[0];
    const categories = (await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getCategories' } })).body
      .body.categories;
    const ownerId = stack.sandbox.workspaces().find((ws) => ws.id === workspaceId)!.ownerId;
    const flow = await createFlow(stack, 'universal-webhook', {
      name: 'contract',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: 'contract client' }] },
      actions: [
        { id: 'tag', kind: 'clockify', operationId: 'createNewTag', body: { name: 'for {{ event.name }}' } },
        {
          id: 'expense',
          kind: 'clockify',
          operationId: 'createExpense',
          body: {
            amount: 12.5,
            categoryId: categories[0].id,
            date: '2024-03-01T00:00:00Z',
            projectId: project.id,
            userId: ownerId,
            notes: 'receipt for {{ event.name }}',
            file: { filename: 'receipt.png', contentType: 'image/png', base64: PNG },
          },
        },
        { id: 'read', kind: 'clockify', operationId: 'getExpense', params: { expenseId: '{{ steps.expense.body.id }}' } },
      ],
    });
    await eventually(
      async () =>
        (
          await stack.sandbox.trigger('NEW_CLIENT', {
            workspaceId,
            payload: { id: 'c1', name: 'contract client', workspaceId, archived: false },
          })
        ).length > 0,
    );
    const run = await finishedRun(stack, 'universal-webhook', flow.id, (r) => r.matched, 30_000);
    expect(run.run.status, JSON.stringify(run.actions)).toBe('succeeded');
    const [, expense, read] = run.actions;
    expect(expense!.response.status).toBe(201);
    expect(read!.response.body).toMatchObject({
      id: expense!.response.body.id,
      notes: 'receipt for contract client',
      projectId: project.id,
    });
    expect(requestViolations()).toEqual([]);
    expect(answerViolations()).toEqual([]);
  }, 120_000);

  it('the sandbox does refuse and record what the spec forbids (the check has teeth)', async () => {
    const before = stack.sandbox.specViolations().length;
    const response = await fetch(`${stack.sandbox.backendUrl}/v1/workspaces/${workspaceId}/projects?page=first`, {
      headers: { 'x-addon-token': await stack.userToken('universal-webhook') },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 400, message: expect.stringContaining('page') });
    expect(stack.sandbox.specViolations().slice(before)).toEqual([
      expect.objectContaining({ kind: 'request', operationId: 'getProjects', status: 400 }),
    ]);
  });
});
