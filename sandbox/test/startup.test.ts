import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxCommand, parseSandboxArgs } from '../src/cli.js';
import { seedWorkspaces, startSandbox } from '../src/index.js';
import { api, installedBody, manifestFor, startReceiver } from './helpers.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sandbox-keys-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('signing keys', () => {
  it('are created in dataDir once and reused by the next start', async () => {
    const first = await startSandbox({ dataDir, seed: { timeEntries: 0 } });
    const receiver = await startReceiver();
    await first.install({ manifest: manifestFor(receiver) });
    const token = installedBody(receiver).authToken;
    await first.close();
    await receiver.close();
    const file = join(dataDir, 'sandbox-keys.json');
    expect((await stat(file)).mode & 0o077).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).publicKeyPem).toBe(first.publicKeyPem);

    const second = await startSandbox({ dataDir, seed: { timeEntries: 0 } });
    try {
      expect(second.publicKeyPem).toBe(first.publicKeyPem);
      // A token of the earlier run still verifies with the (same) published key...
      const key = await importSPKI(second.publicKeyPem, 'RS256');
      await expect(jwtVerify(token, key, { issuer: 'clockify' })).resolves.toBeDefined();
      // ...but that installation does not exist in this run.
      expect((await api(second, token)('GET', '/v1/user')).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('differ between runs without a dataDir', async () => {
    const a = await startSandbox({ seed: { timeEntries: 0 } });
    const b = await startSandbox({ seed: { timeEntries: 0 } });
    expect(a.publicKeyPem).not.toBe(b.publicKeyPem);
    expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('seeded demo data', () => {
  const now = '2025-06-15T00:00:00Z';

  it('is the same for the same seed and different for another', () => {
    const snapshot = (seed: number) =>
      seedWorkspaces({ seed, now, timeEntries: 300, workspaces: 2 }).map((ws) => ({
        id: ws.id,
        users: [...ws.users.values()],
        projects: [...ws.projects.values()].map((p) => [p.id, p.name, p.clientId]),
        entries: [...ws.timeEntries.all()].map((e) => [e.id, e.userId, e.start, e.end, e.projectId, e.taskId]),
      }));
    expect(snapshot(42)).toEqual(snapshot(42));
    expect(snapshot(43)[0]!.id).not.toBe(snapshot(42)[0]!.id);
  });

  it('looks like Clockify data: 24-hex ids, unique emails, entries within the last 30 days', () => {
    const [ws] = seedWorkspaces({ seed: 1, now, users: 8 });
    const ids = [ws!.id, ...ws!.users.keys(), ...ws!.projects.keys(), ...ws!.tags.keys()];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const emails = [...ws!.users.values()].map((u) => u.email);
    expect(new Set(emails).size).toBe(8);
    const end = Date.parse(now);
    for (const e of ws!.timeEntries.all()) {
      expect(e.start).toBeGreaterThanOrEqual(end - 30 * 86_400_000);
      expect(e.end!).toBeLessThanOrEqual(end);
      if (e.taskId) expect(ws!.tasks.get(e.taskId)!.projectId).toBe(e.projectId);
    }
    expect(ws!.timeEntries.size).toBe(2000);
  });

  it('scales to 100,000 time entries served page by page', async () => {
    const sandbox = await startSandbox({ seed: { seed: 2, timeEntries: 100_000 }, rateLimitPerSecond: 10_000 });
    const receiver = await startReceiver();
    try {
      await sandbox.install({ manifest: manifestFor(receiver) });
      const { authToken, workspaceId } = installedBody(receiver);
      const call = api(sandbox, authToken);
      let total = 0;
      for (const userId of sandbox.workspaces()[0]!.userIds) {
        const page = await call('GET', `/v1/workspaces/${workspaceId}/user/${userId}/time-entries?page-size=5000&page=2`);
        expect(page.status).toBe(200);
        expect(page.headers.get('last-page')).toBe('false');
        total += page.json.length;
      }
      expect(total).toBe(25_000);
      const stats = await (await fetch(`${sandbox.url}/__sandbox/stats`)).json();
      expect(stats.workspaces[0].timeEntries).toBe(100_000);
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });
});

describe('control endpoints and CLI', () => {
  it('drive installs, tokens and triggers over HTTP without exposing installation tokens', async () => {
    const sandbox = await startSandbox({ seed: { timeEntries: 10 } });
    const receiver = await startReceiver();
    const post = (path: string, body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const refused = await post('install', { manifest: { key: 'x' } });
      expect(refused.status).toBe(400);
      expect((await refused.json()).message).toMatch(/manifest/i);
      expect((await post('install', { manifest: manifestFor(receiver) })).status).toBe(200);
      const info = await (await fetch(`${sandbox.url}/__sandbox/info`)).json();
      expect(info.installations).toHaveLength(1);
      expect(info.installations[0]).toMatchObject({ addonKey: 'test-addon', status: 'ACTIVE' });
      expect(JSON.stringify(info)).not.toContain(installedBody(receiver).authToken);
      const sent = await (await fetch(`${sandbox.url}/__sandbox/deliveries`)).text();
      expect(sent).toContain('INSTALLED');
      expect(sent).not.toContain(installedBody(receiver).authToken);

      const { token } = await (await post('token', { addonKey: 'test-addon', role: 'REGULAR' })).json();
      expect((await api(sandbox, token)('GET', '/v1/user')).status).toBe(200);

      const triggered = await (await post('trigger', { event: 'NEW_TIME_ENTRY' })).json();
      expect(triggered.deliveries[0]).toMatchObject({ event: 'NEW_TIME_ENTRY', status: 200 });
      expect((await post('status', { addonKey: 'test-addon', status: 'PAUSED' })).status).toBe(400);
      expect((await post('uninstall', { addonKey: 'test-addon' })).status).toBe(200);
      expect((await post('uninstall', { addonKey: 'test-addon' })).status).toBe(404);
      expect((await fetch(`${sandbox.url}/__sandbox/public-key.pem`)).status).toBe(200);
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });

  it('starts from CLI flags and prints the URL', async () => {
    const lines: string[] = [];
    const sandbox = await runSandboxCommand(['--seed', '4', '--users', '3', '--time-entries', '30', '--latency-ms', '0'], {
      out: (line) => lines.push(line),
      handleSignals: false,
    });
    try {
      expect(sandbox).toBeDefined();
      expect(lines[0]).toBe(`Clockify sandbox listening on ${sandbox!.url}`);
      expect(sandbox!.workspaces()[0]!.userIds).toHaveLength(3);
    } finally {
      await sandbox?.close();
    }
    expect(() => parseSandboxArgs(['--error-rate', 'lots'])).toThrow(/error-rate/);
    expect(() => parseSandboxArgs(['--bogus'])).toThrow();
    expect(parseSandboxArgs(['--rate-limit-rate', '0.2', '--plan', 'pro'])).toMatchObject({ faults: { rateLimitRate: 0.2 }, plan: 'PRO' });
  });
});
