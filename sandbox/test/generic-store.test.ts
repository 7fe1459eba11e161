import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { api, installedBody, keysDirForFile, manifestFor, startReceiver, type Receiver } from './helpers.js';

// The operations without a hand-written route keep state: create, read, update, delete, list, webhooks.
let sandbox: Sandbox;
let receiver: Receiver;
let call: ReturnType<typeof api>;
let token: string;
let ws: string;
const keys = keysDirForFile();

const HOOKS = [
  'EXPENSE_CREATED',
  'EXPENSE_UPDATED',
  'EXPENSE_DELETED',
  'NEW_INVOICE',
  'INVOICE_UPDATED',
  'TIME_OFF_REQUESTED',
  'TIME_OFF_REQUEST_APPROVED',
  'ASSIGNMENT_CREATED',
];

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ seed: { seed: 5, timeEntries: 20 }, rateLimitPerSecond: 10_000, dataDir: keys.dir });
  await sandbox.install({
    manifest: manifestFor(receiver, { webhooks: HOOKS.map((event) => ({ event, path: `/hooks/${event}` })) }),
  });
  const installed = installedBody(receiver);
  token = installed.authToken;
  call = api(sandbox, token);
  ws = installed.workspaceId;
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
  keys.remove();
});

const received = (event: string) => receiver.received.filter((r) => r.path === `/hooks/${event}`).map((r) => r.body as Record<string, any>);

async function multipart(
  method: string,
  path: string,
  fields: Record<string, string | string[]>,
  file?: { name: string; content: string },
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  if (file) form.append('file', new Blob([file.content], { type: 'image/png' }), file.name);
  const response = await fetch(sandbox.backendUrl + path, { method, headers: { 'x-addon-token': token }, body: form });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

describe('generic store', () => {
  it('seeds collections consistently with the workspace: expenses on real projects, invoices for real clients, time off for real users', async () => {
    const projects = new Set((await call('GET', `/v1/workspaces/${ws}/projects`)).json.map((p: { id: string }) => p.id));
    const clients = new Set((await call('GET', `/v1/workspaces/${ws}/clients`)).json.map((c: { id: string }) => c.id));
    const users = new Set(sandbox.workspaces()[0]!.userIds);

    const expenses = (await call('GET', `/v1/workspaces/${ws}/expenses`)).json.expenses.expenses;
    expect(expenses.length).toBeGreaterThan(0);
    // The list is hydrated: `project: {id, …}`, `category: {id, …}`.
    for (const expense of expenses) expect(projects.has(expense.project.id)).toBe(true);
    const categories = (await call('GET', `/v1/workspaces/${ws}/expenses/categories`)).json.categories.map((c: { id: string }) => c.id);
    for (const expense of expenses) expect(categories).toContain(expense.category.id);

    const invoices = (await call('GET', `/v1/workspaces/${ws}/invoices`)).json.invoices;
    for (const invoice of invoices) expect(clients.has(invoice.clientId)).toBe(true);

    const requests = (await call('POST', `/v1/workspaces/${ws}/time-off/requests`, {})).json.requests;
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(users.has(request.userId)).toBe(true);
  });

  it('creates an expense from multipart form data, reads, updates and deletes it, firing the matching webhooks', async () => {
    const project = (await call('GET', `/v1/workspaces/${ws}/projects`)).json[0];
    const category = (await call('GET', `/v1/workspaces/${ws}/expenses/categories`)).json.categories[0];
    const userId = sandbox.workspaces()[0]!.ownerId;
    const created = await multipart(
      'POST',
      `/v1/workspaces/${ws}/expenses`,
      { amount: '42.5', categoryId: category.id, date: '2024-03-01T00:00:00Z', projectId: project.id, userId, notes: 'Train ticket' },
      { name: 'receipt.png', content: 'png-bytes' },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ projectId: project.id, categoryId: category.id, notes: 'Train ticket', userId });
    const id = created.json.id;

    const read = await call('GET', `/v1/workspaces/${ws}/expenses/${id}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id, notes: 'Train ticket', projectId: project.id });

    const updated = await multipart(
      'PUT',
      `/v1/workspaces/${ws}/expenses/${id}`,
      { amount: '50', categoryId: category.id, date: '2024-03-01T00:00:00Z', userId, notes: 'Taxi', changeFields: ['NOTES', 'AMOUNT'] },
      { name: 'receipt.png', content: 'png-bytes' },
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.notes, updated.text).toBe('Taxi');
    expect((await call('GET', `/v1/workspaces/${ws}/expenses/${id}`)).json.notes).toBe('Taxi');

    const listed = (await call('GET', `/v1/workspaces/${ws}/expenses?page-size=200`)).json.expenses.expenses.map(
      (e: { id: string }) => e.id,
    );
    expect(listed).toContain(id);

    expect((await call('DELETE', `/v1/workspaces/${ws}/expenses/${id}`)).status).toBe(200);
    expect((await call('GET', `/v1/workspaces/${ws}/expenses/${id}`)).status).toBe(404);

    await sandbox.waitForDeliveries();
    expect(received('EXPENSE_CREATED').map((p) => p.id)).toContain(id);
    expect(received('EXPENSE_CREATED').find((p) => p.id === id)).toMatchObject({
      projectId: project.id,
      workspaceId: ws,
      notes: 'Train ticket',
    });
    // Shaped like Clockify's samples: the update and delete events name the expense by `expenseId`.
    expect(received('EXPENSE_UPDATED').find((p) => p.expenseId === id)).toMatchObject({ workspaceId: ws, categoryId: category.id });
    expect(received('EXPENSE_DELETED').map((p) => p.expenseId)).toContain(id);
  });

  it('gives every create its own id and keeps what was sent (invoices), renames stick, deletes remove', async () => {
    const client = (await call('GET', `/v1/workspaces/${ws}/clients`)).json[0];
    const body = {
      clientId: client.id,
      currency: 'EUR',
      dueDate: '2024-05-01T00:00:00Z',
      issuedDate: '2024-04-01T00:00:00Z',
      number: 'INV-7',
    };
    const a = await call('POST', `/v1/workspaces/${ws}/invoices`, body);
    const b = await call('POST', `/v1/workspaces/${ws}/invoices`, { ...body, number: 'INV-8' });
    expect(a.status, a.text).toBe(201);
    expect(a.json.id).not.toBe(b.json.id);
    expect(a.json).toMatchObject({ clientId: client.id, number: 'INV-7', currency: 'EUR' });

    const renamed = await call('PUT', `/v1/workspaces/${ws}/invoices/${a.json.id}`, {
      currency: 'EUR',
      dueDate: '2024-05-01T00:00:00Z',
      issuedDate: '2024-04-01T00:00:00Z',
      number: 'INV-7b',
      discountPercent: 0,
      taxPercent: 0,
      tax2Percent: 0,
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.number).toBe('INV-7b');
    expect((await call('GET', `/v1/workspaces/${ws}/invoices/${a.json.id}`)).json.number).toBe('INV-7b');

    expect((await call('DELETE', `/v1/workspaces/${ws}/invoices/${b.json.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/workspaces/${ws}/invoices/${b.json.id}`)).status).toBe(404);
    await sandbox.waitForDeliveries();
    expect(received('NEW_INVOICE').map((p) => p.id)).toEqual(expect.arrayContaining([a.json.id, b.json.id]));
    expect(received('INVOICE_UPDATED').map((p) => p.id)).toContain(a.json.id);
  });

  it('pages generic lists with Last-Page', async () => {
    const first = await call('GET', `/v1/workspaces/${ws}/holidays`);
    expect(first.status).toBe(200);
    const all = await call('GET', `/v1/workspaces/${ws}/time-off/policies?page=1&page-size=2`);
    expect(all.status).toBe(200);
    expect(all.json).toHaveLength(2);
    expect(all.headers.get('last-page')).toBe('false');
    const second = await call('GET', `/v1/workspaces/${ws}/time-off/policies?page=2&page-size=2`);
    expect(second.json.length).toBeGreaterThan(0);
    expect(second.headers.get('last-page')).toBe('true');
    expect(second.json[0].id).not.toBe(all.json[0].id);
  });

  it('time off: a request for a real user of a real policy, approved, fires requested and approved', async () => {
    const policy = (await call('GET', `/v1/workspaces/${ws}/time-off/policies`)).json[0];
    const userId = sandbox.workspaces()[0]!.userIds[1]!;
    const created = await call('POST', `/v1/workspaces/${ws}/time-off/policies/${policy.id}/users/${userId}/requests`, {
      timeOffPeriod: { period: { start: '2024-06-03T00:00:00Z', end: '2024-06-04T00:00:00Z' } },
      note: 'Holiday',
    });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({ userId, policyId: policy.id, note: 'Holiday' });
    const approved = await call('PATCH', `/v1/workspaces/${ws}/time-off/policies/${policy.id}/requests/${created.json.id}`, {
      status: 'APPROVED',
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.status.statusType).toBe('APPROVED');
    await sandbox.waitForDeliveries();
    expect(received('TIME_OFF_REQUESTED').find((p) => p.id === created.json.id)).toMatchObject({ userId, policyId: policy.id });
    expect(received('TIME_OFF_REQUEST_APPROVED').map((p) => p.id)).toContain(created.json.id);
    expect(
      (
        await call('POST', `/v1/workspaces/${ws}/time-off/policies/no-such-policy/requests`, {
          timeOffPeriod: { period: { start: '2024-06-03T00:00:00Z', end: '2024-06-04T00:00:00Z' } },
        })
      ).status,
    ).toBe(404);
  });

  it('entity changes answer JSON', async () => {
    for (const kind of ['created', 'updated']) {
      const response = await call(
        'GET',
        `/v1/workspaces/${ws}/entities/${kind}?type=PROJECT&start=2024-01-01T00:00:00Z&end=2024-02-01T00:00:00Z`,
      );
      expect(response.status, response.text).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
    }
  });
});

describe('invoice items', () => {
  it('are addressed by their order', async () => {
    const invoice = (await call('GET', `/v1/workspaces/${ws}/invoices`)).json.invoices[0];
    const added = await call('POST', `/v1/workspaces/${ws}/invoices/${invoice.id}/items`, {
      itemType: 'Service',
      quantity: 1,
      unitPrice: 100,
      description: 'Work',
      applyTaxes: 'NONE',
    });
    expect(added.status, added.text).toBe(200);
    const removed = await call('DELETE', `/v1/workspaces/${ws}/invoices/${invoice.id}/items/1`);
    expect(removed.status, removed.text).toBe(200);
    expect((await call('DELETE', `/v1/workspaces/${ws}/invoices/${invoice.id}/items/1`)).status).toBe(404);
  });
});
