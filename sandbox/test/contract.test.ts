import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { matchSpecRoute, successResponse } from '../src/spec/openapi.js';
import { SpecValidator } from '../src/spec/validator.js';
import { api, installedBody, manifestFor, startReceiver, type Receiver } from './helpers.js';

// Every stateful route answers with the status and the shape the spec promises.
let sandbox: Sandbox;
let receiver: Receiver;
let call: ReturnType<typeof api>;
let ws: string;
let userId: string;
let addonId: string;
const validator = new SpecValidator('response');

async function check(method: string, path: string, body?: unknown, base: 'backend' | 'reports' | 'auditlog' = 'backend'): Promise<any> {
  const prefix = base === 'backend' ? '/api' : `/${base}`;
  const match = matchSpecRoute(method, prefix + path.split('?')[0]);
  expect(match, `${method} ${path} is a spec operation`).toBeDefined();
  const res = await call(method, path, body, base);
  const expected = successResponse(match!.route.operation);
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(expected.status);
  if (expected.schema) {
    expect(validator.validateResponse(match!.route.operation, res.json), `${method} ${path}`).toBeUndefined();
  }
  return res.json;
}

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ seed: { seed: 11, timeEntries: 60 }, rateLimitPerSecond: 10_000 });
  await sandbox.install({ manifest: manifestFor(receiver) });
  const installed = installedBody(receiver);
  call = api(sandbox, installed.authToken);
  ws = installed.workspaceId;
  addonId = installed.addonId;
  userId = sandbox.workspaces()[0]!.ownerId;
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('stateful routes match the spec', () => {
  it('user, workspace and users', async () => {
    const me = await check('GET', '/v1/user?include-memberships=true');
    expect(me.id).toBe(userId);
    const workspace = await check('GET', `/v1/workspaces/${ws}`);
    expect(workspace.id).toBe(ws);
    const users = await check('GET', `/v1/workspaces/${ws}/users?memberships=WORKSPACE`);
    expect(users.map((u: { id: string }) => u.id)).toContain(userId);
  });

  it('projects and tasks', async () => {
    const projects = await check('GET', `/v1/workspaces/${ws}/projects`);
    expect(projects.length).toBeGreaterThan(0);
    const created = await check('POST', `/v1/workspaces/${ws}/projects`, { name: 'Contract Project', billable: true, color: '#112233' });
    await check('GET', `/v1/workspaces/${ws}/projects/${created.id}`);
    await check('PUT', `/v1/workspaces/${ws}/projects/${created.id}`, { note: 'changed', archived: false });

    const taskPath = `/v1/workspaces/${ws}/projects/${created.id}/tasks`;
    const task = await check('POST', taskPath, { name: 'Contract Task', assigneeIds: [userId] });
    await check('GET', taskPath);
    await check('GET', `${taskPath}/${task.id}`);
    await check('PUT', `${taskPath}/${task.id}`, { name: 'Renamed Task', status: 'DONE' });
    await check('DELETE', `${taskPath}/${task.id}`);

    await check('PUT', `/v1/workspaces/${ws}/projects/${created.id}`, { archived: true });
    const deleted = await check('DELETE', `/v1/workspaces/${ws}/projects/${created.id}`);
    expect(deleted.id).toBe(created.id);
  });

  it('keeps the estimate a project is created with, and refuses one that is not a duration', async () => {
    const estimated = await check('POST', `/v1/workspaces/${ws}/projects`, {
      name: 'Estimated Project',
      estimate: { estimate: 'PT120H', type: 'MANUAL' },
    });
    expect(estimated.estimate).toEqual({ estimate: 'PT120H', type: 'MANUAL' });
    const read = await check('GET', `/v1/workspaces/${ws}/projects/${estimated.id}`);
    expect(read.timeEstimate).toMatchObject({ estimate: 'PT120H', type: 'MANUAL', active: true });
    const plain = await check('POST', `/v1/workspaces/${ws}/projects`, { name: 'Unestimated Project' });
    expect(plain.estimate).toEqual({ estimate: 'PT0S', type: 'AUTO' });
    const count = (await call('GET', `/v1/workspaces/${ws}/projects?page-size=200`)).json.length;
    const bad = await call('POST', `/v1/workspaces/${ws}/projects`, { name: 'Bad Estimate', estimate: { estimate: '120 hours' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('ISO-8601 duration');
    expect((await call('GET', `/v1/workspaces/${ws}/projects?page-size=200`)).json.length).toBe(count);
  });

  it('clients and tags', async () => {
    await check('GET', `/v1/workspaces/${ws}/clients`);
    const client = await check('POST', `/v1/workspaces/${ws}/clients`, { name: 'Contract Client', email: 'c@example.com' });
    await check('GET', `/v1/workspaces/${ws}/clients/${client.id}`);
    await check('PUT', `/v1/workspaces/${ws}/clients/${client.id}`, { name: 'Contract Client 2', archived: true });
    await check('DELETE', `/v1/workspaces/${ws}/clients/${client.id}`);

    await check('GET', `/v1/workspaces/${ws}/tags`);
    const tag = await check('POST', `/v1/workspaces/${ws}/tags`, { name: 'contract-tag' });
    await check('GET', `/v1/workspaces/${ws}/tags/${tag.id}`);
    await check('PUT', `/v1/workspaces/${ws}/tags/${tag.id}`, { name: 'contract-tag-2' });
    await check('DELETE', `/v1/workspaces/${ws}/tags/${tag.id}`);
  });

  it('custom fields and user groups', async () => {
    await check('GET', `/v1/workspaces/${ws}/custom-fields`);
    const field = await check('POST', `/v1/workspaces/${ws}/custom-fields`, { name: 'Contract Field', type: 'TXT' });
    await check('PUT', `/v1/workspaces/${ws}/custom-fields/${field.id}`, { name: 'Contract Field 2', type: 'TXT', required: true });
    const projectId = (await call('GET', `/v1/workspaces/${ws}/projects`)).json[0].id;
    await check('GET', `/v1/workspaces/${ws}/projects/${projectId}/custom-fields`);
    await check('PATCH', `/v1/workspaces/${ws}/projects/${projectId}/custom-fields/${field.id}`, { defaultValue: 'x', status: 'VISIBLE' });
    await check('DELETE', `/v1/workspaces/${ws}/projects/${projectId}/custom-fields/${field.id}`);
    await check('DELETE', `/v1/workspaces/${ws}/custom-fields/${field.id}`);

    await check('GET', `/v1/workspaces/${ws}/user-groups`);
    const group = await check('POST', `/v1/workspaces/${ws}/user-groups`, { name: 'Contract Group' });
    await check('PUT', `/v1/workspaces/${ws}/user-groups/${group.id}`, { name: 'Contract Group 2' });
    const withUser = await check('POST', `/v1/workspaces/${ws}/user-groups/${group.id}/users`, { userId });
    expect(withUser.userIds).toContain(userId);
    await check('DELETE', `/v1/workspaces/${ws}/user-groups/${group.id}/users/${userId}`);
    await check('DELETE', `/v1/workspaces/${ws}/user-groups/${group.id}`);
  });

  it('time entries', async () => {
    const project = (await call('GET', `/v1/workspaces/${ws}/projects`)).json[0];
    const entry = await check('POST', `/v1/workspaces/${ws}/time-entries`, {
      start: '2024-03-01T09:00:00Z',
      end: '2024-03-01T10:30:00Z',
      description: 'Contract work',
      projectId: project.id,
    });
    expect(entry.timeInterval.duration).toBe('PT1H30M');
    await check('GET', `/v1/workspaces/${ws}/time-entries/${entry.id}?hydrated=true`);
    await check('PUT', `/v1/workspaces/${ws}/time-entries/${entry.id}`, { start: '2024-03-01T09:00:00Z', end: '2024-03-01T11:00:00Z' });
    await check('GET', `/v1/workspaces/${ws}/user/${userId}/time-entries?start=2024-03-01T00:00:00Z&end=2024-03-02T00:00:00Z`);
    const running = await check('POST', `/v1/workspaces/${ws}/user/${userId}/time-entries`, { start: '2024-03-02T09:00:00Z' });
    expect(running.timeInterval.end).toBeNull();
    const inProgress = await check('GET', `/v1/workspaces/${ws}/time-entries/status/in-progress`);
    expect(inProgress.map((e: { id: string }) => e.id)).toContain(running.id);
    const stopped = await check('PATCH', `/v1/workspaces/${ws}/user/${userId}/time-entries`, { end: '2024-03-02T10:00:00Z' });
    expect(stopped.timeInterval.duration).toBe('PT1H');
    await check('DELETE', `/v1/workspaces/${ws}/time-entries/${entry.id}`);
    const removed = await check('DELETE', `/v1/workspaces/${ws}/user/${userId}/time-entries?time-entry-ids=${running.id}`);
    expect(removed).toHaveLength(1);
  });

  it('webhooks', async () => {
    const created = await check('POST', `/v1/workspaces/${ws}/webhooks`, {
      name: 'Contract hook',
      url: `${receiver.baseUrl}/rest-hook`,
      webhookEvent: 'NEW_CLIENT',
      triggerSourceType: 'WORKSPACE_ID',
      triggerSource: [ws],
    });
    expect(typeof created.authToken).toBe('string');
    await check('GET', `/v1/workspaces/${ws}/webhooks`);
    await check('GET', `/v1/workspaces/${ws}/webhooks/${created.id}`);
    await check('PUT', `/v1/workspaces/${ws}/webhooks/${created.id}`, {
      url: `${receiver.baseUrl}/rest-hook-2`,
      webhookEvent: 'NEW_TAG',
      triggerSourceType: 'WORKSPACE_ID',
      triggerSource: [],
    });
    const renewed = await check('PATCH', `/v1/workspaces/${ws}/webhooks/${created.id}/token`);
    expect(renewed.authToken).not.toBe(created.authToken);
    const mine = await check('GET', `/v1/workspaces/${ws}/addons/${addonId}/webhooks`);
    expect(mine.webhooks.length).toBe(3); // two manifest webhooks + the REST one
    await check('DELETE', `/v1/workspaces/${ws}/webhooks/${created.id}`);
  });
});

describe('operations without state answer schema-valid examples', () => {
  it.each([
    ['GET', '/v1/workspaces/{ws}/invoices', undefined, 'backend'],
    ['GET', '/v1/workspaces/{ws}/expenses', undefined, 'backend'],
    ['GET', '/v1/workspaces/{ws}/holidays', undefined, 'backend'],
    ['GET', '/v1/workspaces/{ws}/time-off/policies', undefined, 'backend'],
    [
      'POST',
      '/v1/workspaces/{ws}/reports/detailed',
      { dateRangeStart: '2024-01-01T00:00:00Z', dateRangeEnd: '2024-02-01T00:00:00Z', detailedFilter: {} },
      'reports',
    ],
  ] as const)('%s %s', async (method, path, body, base) => {
    const json = await check(method, path.replace('{ws}', ws), body, base);
    expect(json).toBeDefined();
  });

  it('uses the request workspace in examples and still 404s paths outside the spec', async () => {
    const holidays = (await call('GET', `/v1/workspaces/${ws}/holidays`)).json;
    expect(holidays[0].workspaceId).toBe(ws);
    const unknown = await call('GET', `/v1/workspaces/${ws}/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ message: 'Not found', code: 404 });
  });
});
