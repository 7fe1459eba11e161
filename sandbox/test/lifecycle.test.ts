import { importSPKI, jwtVerify } from 'jose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { api, installedBody, keysDirForFile, manifestFor, startReceiver, type Receiver } from './helpers.js';

let sandbox: Sandbox | undefined;
let receiver: Receiver | undefined;
const keys = keysDirForFile();
afterAll(() => keys.remove());

afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

async function setUp(options: Parameters<typeof startSandbox>[0] = {}, status?: (path: string) => number) {
  receiver = await startReceiver(status);
  sandbox = await startSandbox({ dataDir: keys.dir, seed: { seed: 9, timeEntries: 50 }, webhookRetryDelaysMs: [10, 20], ...options });
  return { sb: sandbox, rx: receiver };
}

async function verify(sb: Sandbox, token: string) {
  const key = await importSPKI(sb.publicKeyPem, 'RS256');
  return (await jwtVerify(token, key, { issuer: 'clockify', algorithms: ['RS256'] })).payload;
}

describe('install', () => {
  it('POSTs INSTALLED with a lifecycle token, the installation token and one token per webhook', async () => {
    const { sb, rx } = await setUp();
    const result = await sb.install({ manifest: manifestFor(rx) });
    expect(result).toMatchObject({ addonKey: 'test-addon', status: 200, installed: true, body: { received: true } });

    const call = rx.received.find((r) => r.path === '/lifecycle/installed')!;
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toContain('application/json');
    const ws = sb.workspaces()[0]!;
    const body = installedBody(rx);
    expect(body).toMatchObject({ addonId: result.addonId, workspaceId: ws.id, asUser: ws.ownerId, apiUrl: sb.backendUrl });
    expect(body.addonUserId).toMatch(/^[0-9a-f]{24}$/);
    expect(body.webhooks.map((w) => [w.path, w.webhookType])).toEqual([
      [`${rx.baseUrl}/webhooks/new-project`, 'ADDON'],
      [`${rx.baseUrl}/webhooks/new-time-entry`, 'ADDON'],
    ]);

    const claims = await verify(sb, body.authToken);
    expect(claims).toMatchObject({
      iss: 'clockify',
      type: 'addon',
      sub: 'test-addon',
      workspaceId: ws.id,
      addonId: result.addonId,
      user: ws.ownerId,
      backendUrl: sb.backendUrl,
      reportsUrl: sb.reportsUrl,
      auditLogUrl: sb.auditLogUrl,
    });
    expect(claims.exp).toBeUndefined();
    const lifecycleClaims = await verify(sb, String(call.headers['x-addon-lifecycle-token']));
    expect(lifecycleClaims).toMatchObject({ sub: 'test-addon', addonId: result.addonId, workspaceId: ws.id });
    for (const hook of body.webhooks) expect((await verify(sb, hook.authToken)).addonId).toBe(result.addonId);
    expect(new Set([body.authToken, ...body.webhooks.map((w) => w.authToken)]).size).toBe(3);
  });

  it('fetches the manifest from manifestUrl', async () => {
    const { sb, rx } = await setUp();
    const manifestServer = await startReceiver();
    try {
      // The receiver answers every path with {"received":true}, which is no manifest: Clockify refuses it.
      await expect(sb.install({ manifestUrl: `${manifestServer.baseUrl}/manifest` })).rejects.toThrow(/key/);
      expect(manifestServer.received[0]?.method).toBe('GET');
    } finally {
      await manifestServer.close();
    }
    const control = await fetch(`${sb.url}/__sandbox/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ manifest: manifestFor(rx) }),
    });
    expect(control.status).toBe(200);
    expect((await control.json()).installed).toBe(true);
  });

  it('drops the installation when the add-on refuses INSTALLED', async () => {
    const { sb, rx } = await setUp({}, (path) => (path === '/lifecycle/installed' ? 500 : 200));
    const result = await sb.install({ manifest: manifestFor(rx) });
    expect(result).toMatchObject({ status: 500, installed: false });
    const res = await api(sb, installedBody(rx).authToken)('GET', '/v1/user');
    expect(res.status).toBe(401);
    expect(sb.installations()).toHaveLength(0);
  });

  it('issues new tokens on reinstall and revokes the old ones', async () => {
    const { sb, rx } = await setUp();
    await sb.install({ manifest: manifestFor(rx) });
    const first = installedBody(rx);
    await sb.install({ manifest: manifestFor(rx) });
    const second = installedBody(rx);
    expect(second.authToken).not.toBe(first.authToken);
    expect(second.webhooks[0]!.authToken).not.toBe(first.webhooks[0]!.authToken);
    expect((await api(sb, first.authToken)('GET', '/v1/user')).status).toBe(401);
    expect((await api(sb, second.authToken)('GET', '/v1/user')).status).toBe(200);
  });
});

describe('other lifecycle events', () => {
  it('sends STATUS_CHANGED, SETTINGS_UPDATED and DELETED, and uninstall revokes every token', async () => {
    const { sb, rx } = await setUp();
    const { addonId, workspaceId } = await sb.install({ manifest: manifestFor(rx) });
    const { authToken, asUser } = installedBody(rx);
    const call = api(sb, authToken);

    await sb.setStatus({ addonKey: 'test-addon', status: 'INACTIVE' });
    expect(rx.received.at(-1)).toMatchObject({ path: '/lifecycle/status', body: { addonId, workspaceId, status: 'INACTIVE' } });
    await sb.setStatus({ addonKey: 'test-addon', status: 'ACTIVE' });

    await sb.updateSettings({ addonKey: 'test-addon', values: { greeting: 'Hi there' } });
    expect(rx.received.at(-1)).toMatchObject({
      path: '/lifecycle/settings',
      body: {
        workspaceId,
        addonId,
        settings: [
          { id: 'greeting', name: 'Greeting', value: 'Hi there' },
          { id: 'enabled', name: 'Enabled', value: true },
        ],
      },
    });
    const stored = await call('GET', `/addon/workspaces/${workspaceId}/settings`);
    expect(stored.json.tabs[0].settings[0].value).toBe('Hi there');
    const patched = await call('PATCH', `/addon/workspaces/${workspaceId}/settings`, [{ id: 'enabled', value: false }]);
    expect(patched.json.tabs[0].settings[1].value).toBe(false);
    await expect(sb.updateSettings({ addonKey: 'test-addon', values: { nope: 1 } })).rejects.toThrow(/nope/);

    const deleted = await sb.uninstall({ addonKey: 'test-addon' });
    expect(deleted.status).toBe(200);
    expect(rx.received.at(-1)).toMatchObject({ path: '/lifecycle/deleted', body: { addonId, workspaceId, asUser } });
    expect((await call('GET', `/v1/workspaces/${workspaceId}/projects`)).status).toBe(401);
    const before = rx.received.length;
    await sb.trigger('NEW_PROJECT');
    expect(rx.received.length).toBe(before);
  });
});

describe('webhooks', () => {
  it('fires the matching webhook after an API change, signed with the webhook token', async () => {
    const { sb, rx } = await setUp();
    const { workspaceId } = await sb.install({ manifest: manifestFor(rx) });
    const installed = installedBody(rx);
    const created = await api(sb, installed.authToken)('POST', `/v1/workspaces/${workspaceId}/projects`, { name: 'Webhook Project' });
    expect(created.status).toBe(201);
    await sb.waitForDeliveries();

    const hook = rx.received.find((r) => r.path === '/webhooks/new-project')!;
    expect(hook.headers['clockify-webhook-event-type']).toBe('NEW_PROJECT');
    expect(hook.headers['clockify-signature']).toBe(installed.webhooks[0]!.authToken);
    expect(hook.body).toMatchObject({ id: created.json.id, name: 'Webhook Project', workspaceId, tasks: [] });
    expect(rx.received.some((r) => r.path === '/webhooks/new-time-entry')).toBe(false);
    expect(sb.deliveries().find((d) => d.event === 'NEW_PROJECT')).toMatchObject({ state: 'SUCCEEDED', status: 200, attempts: 1 });
  });

  it('sends time-entry webhooks with the hydrated entry', async () => {
    const { sb, rx } = await setUp();
    const { workspaceId } = await sb.install({ manifest: manifestFor(rx) });
    const call = api(sb, installedBody(rx).authToken);
    const project = (await call('GET', `/v1/workspaces/${workspaceId}/projects`)).json[0];
    const entry = await call('POST', `/v1/workspaces/${workspaceId}/time-entries`, {
      start: '2024-05-01T08:00:00Z',
      end: '2024-05-01T09:15:00Z',
      description: 'Webhook entry',
      projectId: project.id,
    });
    await sb.waitForDeliveries();
    const hook = rx.received.find((r) => r.path === '/webhooks/new-time-entry')!;
    expect(hook.body).toMatchObject({
      id: entry.json.id,
      description: 'Webhook entry',
      projectId: project.id,
      timeInterval: { start: '2024-05-01T08:00:00Z', end: '2024-05-01T09:15:00Z', duration: 'PT1H15M' },
      project: { id: project.id, name: project.name },
      user: { id: sb.workspaces()[0]!.ownerId },
    });
  });

  it('triggers an event on demand with a sample payload rewritten to real ids', async () => {
    const { sb, rx } = await setUp();
    await sb.install({ manifest: manifestFor(rx) });
    const ws = sb.workspaces()[0]!;
    const [delivery] = await sb.trigger('NEW_PROJECT');
    expect(delivery).toMatchObject({ event: 'NEW_PROJECT', state: 'SUCCEEDED', status: 200 });
    const body = rx.received.at(-1)!.body as { id: string; workspaceId: string; clientId: string; tasks: Array<{ projectId: string }> };
    expect(body.workspaceId).toBe(ws.id);
    const call = api(sb, installedBody(rx).authToken);
    expect((await call('GET', `/v1/workspaces/${ws.id}/projects/${body.id}`)).status).toBe(200);
    expect(body.tasks[0]!.projectId).toBe(body.id);

    const custom = await sb.trigger('NEW_TIME_ENTRY', { payload: { hello: 'world' } });
    expect(custom).toHaveLength(1);
    expect(rx.received.at(-1)!.body).toEqual({ hello: 'world' });
    expect(await sb.trigger('USER_UPDATED')).toEqual([]);
  });

  it('retries a failing webhook and records the failure', async () => {
    const { sb, rx } = await setUp({}, (path) => (path.startsWith('/webhooks/') ? 503 : 200));
    await sb.install({ manifest: manifestFor(rx) });
    const [delivery] = await sb.trigger('NEW_PROJECT');
    expect(delivery).toMatchObject({ state: 'FAILED', status: 503, attempts: 3, error: 'HTTP 503' });
    expect(rx.received.filter((r) => r.path === '/webhooks/new-project')).toHaveLength(3);
  });

  it('delivers REST-created webhooks, honouring their trigger source, within the plan limit', async () => {
    const { sb, rx } = await setUp({ plan: 'FREE' });
    const { workspaceId } = await sb.install({ manifest: manifestFor(rx, { webhooks: [] }) });
    const call = api(sb, installedBody(rx).authToken);
    const projects = (await call('GET', `/v1/workspaces/${workspaceId}/projects`)).json;
    const hook = await call('POST', `/v1/workspaces/${workspaceId}/webhooks`, {
      url: `${rx.baseUrl}/rest/task`,
      webhookEvent: 'NEW_TASK',
      triggerSourceType: 'PROJECT_ID',
      triggerSource: [projects[0].id],
    });
    expect(hook.status).toBe(201);
    await call('POST', `/v1/workspaces/${workspaceId}/projects/${projects[1].id}/tasks`, { name: 'Elsewhere' });
    await call('POST', `/v1/workspaces/${workspaceId}/projects/${projects[0].id}/tasks`, { name: 'Watched' });
    await sb.waitForDeliveries();
    const got = rx.received.filter((r) => r.path === '/rest/task');
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toMatchObject({ name: 'Watched', projectId: projects[0].id });
    expect(got[0]!.headers['clockify-signature']).toBe(hook.json.authToken);

    for (let i = 0; i < 2; i++) {
      const more = { url: `${rx.baseUrl}/rest/${i}`, webhookEvent: 'NEW_TAG', triggerSourceType: 'WORKSPACE_ID', triggerSource: [] };
      expect((await call('POST', `/v1/workspaces/${workspaceId}/webhooks`, more)).status).toBe(201);
    }
    const overLimit = await call('POST', `/v1/workspaces/${workspaceId}/webhooks`, {
      url: `${rx.baseUrl}/rest/x`,
      webhookEvent: 'NEW_TAG',
      triggerSourceType: 'WORKSPACE_ID',
      triggerSource: [],
    });
    expect(overLimit.status).toBe(403);
  });
});
