import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { maxInSlidingWindow } from '../src/rate-limit.js';
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

async function setUp(options: Parameters<typeof startSandbox>[0] = {}) {
  receiver = await startReceiver();
  sandbox = await startSandbox({ dataDir: keys.dir, seed: { seed: 5, timeEntries: 200, projects: 7 }, ...options });
  await sandbox.install({ manifest: manifestFor(receiver) });
  const { authToken, workspaceId } = installedBody(receiver);
  return { sb: sandbox, call: api(sandbox, authToken), ws: workspaceId };
}

describe('pagination', () => {
  it('pages from 1 with page-size and tells the last page in Last-Page', async () => {
    const { call, ws } = await setUp();
    const first = await call('GET', `/v1/workspaces/${ws}/projects?page=1&page-size=3`);
    const third = await call('GET', `/v1/workspaces/${ws}/projects?page=3&page-size=3`);
    const all = await call('GET', `/v1/workspaces/${ws}/projects`);
    expect(first.json).toHaveLength(3);
    expect(first.headers.get('last-page')).toBe('false');
    expect(third.json).toHaveLength(1);
    expect(third.headers.get('last-page')).toBe('true');
    expect(all.json).toHaveLength(7); // default page-size 50
    expect(all.headers.get('last-page')).toBe('true');
    expect(first.json.map((p: { id: string }) => p.id)).toEqual(all.json.slice(0, 3).map((p: { id: string }) => p.id));
    expect((await call('GET', `/v1/workspaces/${ws}/projects?page-size=0`)).status).toBe(400);
  });

  it('filters names by part, exactly only where the spec declares strict-name-search, and pages the filtered list', async () => {
    const { call, ws } = await setUp();
    for (const name of ['Old quokka', 'Quokka', 'Quokka Two']) {
      expect((await call('POST', `/v1/workspaces/${ws}/projects`, { name })).status).toBe(201);
      expect((await call('POST', `/v1/workspaces/${ws}/clients`, { name })).status).toBe(201);
    }
    const names = (res: { json: { name: string }[] }) => res.json.map((item) => item.name).sort();
    expect(names(await call('GET', `/v1/workspaces/${ws}/projects?name=quokka`))).toEqual(['Old quokka', 'Quokka', 'Quokka Two']);
    expect(names(await call('GET', `/v1/workspaces/${ws}/projects?name=Quokka&strict-name-search=true`))).toEqual(['Quokka']);
    const second = await call('GET', `/v1/workspaces/${ws}/projects?name=quokka&page=2&page-size=2`);
    expect(second.json).toHaveLength(1);
    expect(second.headers.get('last-page')).toBe('true');
    // getClients declares no strict-name-search: Clockify ignores it, so the filter still matches parts.
    expect(names(await call('GET', `/v1/workspaces/${ws}/clients?name=Quokka&strict-name-search=true`))).toEqual([
      'Old quokka',
      'Quokka',
      'Quokka Two',
    ]);
    expect((await call('GET', `/v1/workspaces/${ws}/projects?name=Quokka&strict-name-search=yes`)).status).toBe(400);
  });

  it('filters a user’s time entries by start/end, newest first, across pages', async () => {
    const { sb, call, ws } = await setUp({ rateLimitPerSecond: 10_000 });
    const userId = sb.workspaces()[0]!.ownerId;
    const everything: Array<{ timeInterval: { start: string } }> = [];
    for (let page = 1; ; page++) {
      const res = await call('GET', `/v1/workspaces/${ws}/user/${userId}/time-entries?page=${page}&page-size=25`);
      everything.push(...res.json);
      if (res.headers.get('last-page') === 'true') break;
    }
    expect(everything.length).toBeGreaterThan(0);
    const starts = everything.map((e) => Date.parse(e.timeInterval.start));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);

    const from = starts[Math.floor(starts.length / 2)]!;
    const to = starts[0]!;
    const ranged = await call(
      'GET',
      `/v1/workspaces/${ws}/user/${userId}/time-entries?page-size=5000&start=${new Date(from).toISOString()}&end=${new Date(to).toISOString()}`,
    );
    const expected = starts.filter((s) => s >= from && s < to).length;
    expect(ranged.json).toHaveLength(expected);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After beyond 50 requests per second per installation', async () => {
    const { sb, call, ws } = await setUp();
    const results = await Promise.all(Array.from({ length: 80 }, () => call('GET', `/v1/workspaces/${ws}/tags`)));
    const limited = results.filter((r) => r.status === 429);
    const ok = results.filter((r) => r.status === 200);
    expect(limited.length + ok.length).toBe(80);
    expect(ok.length).toBeGreaterThanOrEqual(50);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.json).toEqual({ message: 'Too many requests', code: 429 });
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    // Whatever the timing, no 1-second window ever let more than 50 through.
    expect(sb.maxRequestsPerSecond(ws)).toBeLessThanOrEqual(50);
    expect(sb.maxRequestsPerSecond(ws)).toBeGreaterThanOrEqual(Math.min(50, ok.length));
  });

  it('counts the busiest sliding one-second window', () => {
    expect(maxInSlidingWindow([])).toBe(0);
    // (t - 1000, t]: a request exactly one second older has left the window.
    expect(maxInSlidingWindow([0, 100, 999, 1000, 1500, 1999.5])).toBe(3);
    expect(maxInSlidingWindow([0, 100, 999.9, 1000.5])).toBe(3);
    expect(maxInSlidingWindow([0, 1000, 2000])).toBe(1);
  });
});

describe('fault injection', () => {
  it('answers every call 503 at errorRate 1, and never touches /__sandbox', async () => {
    const { sb, call, ws } = await setUp({ faults: { errorRate: 1 } });
    const res = await call('GET', `/v1/workspaces/${ws}/tags`);
    expect(res.status).toBe(503);
    expect(res.json.code).toBe(503);
    expect((await fetch(`${sb.url}/__sandbox/info`)).status).toBe(200);
    sb.setFaults({});
    expect((await call('GET', `/v1/workspaces/${ws}/tags`)).status).toBe(200);
  });

  it('injects 429s with Retry-After at rateLimitRate 1', async () => {
    const { sb, call, ws } = await setUp();
    sb.setFaults({ rateLimitRate: 1 });
    const res = await call('GET', `/v1/workspaces/${ws}/tags`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('fails roughly the configured share of calls', async () => {
    const { sb, call, ws } = await setUp({ rateLimitPerSecond: 10_000 });
    sb.setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 200 }, () => call('GET', `/v1/workspaces/${ws}/tags`).then((r) => r.status)));
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
  });

  it('delays answers by latencyMs', async () => {
    const { sb, call, ws } = await setUp({ faults: { latencyMs: 150 } });
    const started = performance.now();
    await call('GET', `/v1/workspaces/${ws}/tags`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    const controlStarted = performance.now();
    await fetch(`${sb.url}/__sandbox/stats`);
    expect(performance.now() - controlStarted).toBeLessThan(145);
  });
});
