import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { api, installedBody, manifestFor, startReceiver, type Receiver } from './helpers.js';

let sandbox: Sandbox;
let receiver: Receiver;
let ws: string;
let otherWs: string;
let token: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ seed: { seed: 3, workspaces: 2, timeEntries: 20 } });
  [ws, otherWs] = sandbox.workspaces().map((w) => w.id) as [string, string];
  await sandbox.install({ manifest: manifestFor(receiver), workspaceId: ws });
  token = installedBody(receiver).authToken;
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('X-Addon-Token', () => {
  it('is required', async () => {
    const res = await api(sandbox, undefined)('GET', `/v1/workspaces/${ws}/projects`);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message: expect.any(String), code: 401 });
  });

  it('rejects garbage and tokens signed by another key', async () => {
    expect((await api(sandbox, 'not-a-jwt')('GET', `/v1/workspaces/${ws}/projects`)).status).toBe(401);
    const foreign = await startSandbox({ seed: { seed: 3, workspaces: 2, timeEntries: 0 } });
    try {
      const r = await startReceiver();
      await foreign.install({ manifest: manifestFor(r) });
      const foreignToken = installedBody(r).authToken;
      await r.close();
      expect((await api(sandbox, foreignToken)('GET', `/v1/workspaces/${ws}/projects`)).status).toBe(401);
    } finally {
      await foreign.close();
    }
  });

  it('gives 403 for a workspace the token does not belong to', async () => {
    const res = await api(sandbox, token)('GET', `/v1/workspaces/${otherWs}/projects`);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe(403);
  });

  it('does not accept webhook signature tokens as API credentials', async () => {
    const webhookToken = installedBody(receiver).webhooks[0]!.authToken;
    expect(webhookToken).not.toBe(token);
    expect((await api(sandbox, webhookToken)('GET', `/v1/workspaces/${ws}/projects`)).status).toBe(401);
  });

  it('accepts user tokens, which expire after 30 minutes and carry the viewing user', async () => {
    const viewer = sandbox.workspaces()[0]!.userIds[1]!;
    const userToken = await sandbox.userToken({ addonKey: 'test-addon', userId: viewer, theme: 'DARK' });
    const claims = decodeJwt(userToken);
    expect(claims).toMatchObject({ user: viewer, workspaceRole: 'ADMIN', theme: 'DARK', language: 'EN', workspaceId: ws });
    expect((claims.exp as number) - (claims.iat as number)).toBe(1800);
    const me = await api(sandbox, userToken)('GET', '/v1/user');
    expect(me.status).toBe(200);
    expect(me.json.id).toBe(viewer);

    const expired = await sandbox.userToken({ addonKey: 'test-addon', expiresInSeconds: -5 });
    expect((await api(sandbox, expired)('GET', '/v1/user')).status).toBe(401);
  });

  it('exchanges an installation token for a user token', async () => {
    const userId = sandbox.workspaces()[0]!.userIds[2]!;
    const res = await api(sandbox, token)('POST', `/addon/user/${userId}/token`);
    expect(res.status).toBe(200);
    expect(decodeJwt(res.text)).toMatchObject({ user: userId, workspaceRole: 'PROJECT_MANAGER', sub: 'test-addon' });
  });

  it('answers malformed bodies with 400 and unknown ids with 404, in Clockify error shape', async () => {
    const call = api(sandbox, token);
    const malformed = await call('POST', `/v1/workspaces/${ws}/projects`, '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ message: expect.any(String), code: 400 });
    expect((await call('POST', `/v1/workspaces/${ws}/projects`, { color: 'red' })).status).toBe(400);
    const missing = await call('GET', `/v1/workspaces/${ws}/projects/000000000000000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe(404);
    expect((await call('GET', `/v1/workspaces/${ws}/time-entries/000000000000000000000000`)).status).toBe(404);
  });

  it('blocks an inactive add-on and lets it back in once active', async () => {
    await sandbox.setStatus({ addonKey: 'test-addon', status: 'INACTIVE' });
    expect((await api(sandbox, token)('GET', `/v1/workspaces/${ws}/tags`)).status).toBe(403);
    await sandbox.setStatus({ addonKey: 'test-addon', status: 'ACTIVE' });
    expect((await api(sandbox, token)('GET', `/v1/workspaces/${ws}/tags`)).status).toBe(200);
  });
});
