/**
 * Fault injection on PostgreSQL and Redis of the test's own, under a webhook burst, against an
 * edition running as a real process (`cap start --edition clockify-addon`): sessions terminated,
 * the server restarted, killed and down for a while, Redis killed. Checked each time: the process
 * stays up, nothing acknowledged (200) is lost, refusals are 503 with Retry-After, /ready follows
 * the database (and not Redis), and everything resumes without a restart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/src/index.js';
import type { Sandbox } from '../../sandbox/src/index.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { eventually } from '../helpers/stack.js';
import { clusterEnv, killInstance, spawnInstance, webhookToken } from '../production/support/instances.js';
import type { SpawnedInstance } from '../production/support/instances.js';
import { Redis } from 'ioredis';
import { deliver, lostAcknowledged, project, startBurst, storedProjectIds } from './support/burst.js';
import { describeWithPrivateServers, sparePort, startPrivatePostgres, startPrivateRedis } from './support/private-servers.js';
import type { PrivatePostgres, PrivateRedis } from './support/private-servers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPrivateServers('outages of PostgreSQL and Redis under a webhook burst', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let sandbox: Sandbox;
  let database: Database;
  let instance: SpawnedInstance;
  let workspaceId: string;
  let token: string;
  let addonKey: string;

  beforeAll(async () => {
    [postgres, redis, sandbox] = await Promise.all([
      startPrivatePostgres(),
      startPrivateRedis(),
      startSandbox({ seed: { users: 2, projects: 2, timeEntries: 2 }, webhookRetryDelaysMs: [] }),
    ]);
    workspaceId = sandbox.workspaces()[0]!.id;
    const url = await postgres.createDatabase('outages');
    const port = await sparePort();
    const env = clusterEnv({
      sandbox,
      databaseUrl: url,
      redisUrl: redis.url,
      baseUrl: `http://127.0.0.1:${port}`,
      extra: { LOG_LEVEL: 'info' },
    });
    addonKey = env.CLOCKIFY_ADDON_ADDON_KEY!;
    instance = spawnInstance(env, port);
    await instance.waitReady();
    expect((await sandbox.install({ manifestUrl: `${instance.url}/manifest`, workspaceId })).installed).toBe(true);
    database = await openDatabase(url, { migrate: false });
    token = await webhookToken(database, workspaceId, 'NEW_PROJECT');
  }, 90_000);

  afterAll(async () => {
    await killInstance(instance);
    await database?.close();
    await sandbox?.close();
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  });

  const alive = () => instance.child.exitCode === null && instance.child.signalCode === null;
  const ready = async () => {
    const response = await fetch(`${instance.url}/ready`, { signal: AbortSignal.timeout(5000) });
    return {
      status: response.status,
      body: (await response.json()) as { detail?: string; checks: { name: string; ok: boolean; degraded?: boolean }[] },
    };
  };
  const health = async () => {
    const response = await fetch(`${instance.url}/health`, { signal: AbortSignal.timeout(5000) });
    return {
      status: response.status,
      body: (await response.json()) as { status: string; checks: Record<string, string>; rateBudget?: string },
    };
  };

  it('PostgreSQL sessions terminated, the server restarted, then down for a while: stays up, refuses with 503, never loses an acknowledged webhook, resumes by itself', async () => {
    const burst = startBurst({ url: instance.url, token, workspaceId });
    await sleep(800);

    // A failover's worth of dropped sessions, twice, under traffic.
    await postgres.terminateSessions('outages');
    await sleep(400);
    await postgres.terminateSessions('outages');
    await sleep(600);
    expect(alive()).toBe(true);

    // An operator restart (fast shutdown) …
    await postgres.stop();
    await sleep(500);
    await postgres.start();
    await sleep(800);
    expect(alive()).toBe(true);

    // … and a crash that keeps the server down for a while.
    await postgres.kill();
    const down = await eventually(
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      },
      15_000,
      100,
    );
    expect(down.body.detail).toMatch(/database/);
    expect(down.body.checks.find((check) => check.name === 'database')?.ok).toBe(false);
    await eventually(() => burst.unavailable.length > 0, 10_000);
    // Clockify's own deliveries meanwhile fail too (503) and land in its delivery log.
    const missed = ['log-1', 'log-2', 'log-3'];
    for (const id of missed) await sandbox.trigger('NEW_PROJECT', { workspaceId, payload: project(workspaceId, id) });
    await sandbox.waitForDeliveries();
    await sleep(2000);
    expect(alive()).toBe(true);
    expect((await ready()).status).toBe(503);

    await postgres.start();
    // Back without a restart of the edition: ready again, and deliveries accepted again.
    await eventually(async () => (await ready()).status === 200, 20_000, 200);
    const acceptedBefore = [...burst.answers.values()].filter((status) => status === 200).length;
    await eventually(() => [...burst.answers.values()].filter((status) => status === 200).length > acceptedBefore + 20, 20_000);
    await burst.stop();
    expect(alive()).toBe(true);

    // Every refusal asked Clockify to come back later, as a problem document.
    expect(burst.unavailable.length).toBeGreaterThan(0);
    expect(burst.unavailable.every((answer) => answer.retryAfter && answer.type.endsWith('/storage-unavailable'))).toBe(true);
    // Nothing acknowledged is lost; nothing but 200 and 503 was answered.
    expect([...burst.answers.values()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const stored = await storedProjectIds(database, workspaceId);
    expect(lostAcknowledged(burst.answers, stored)).toEqual([]);
    // What Clockify gave up on while the database was down is read back from its delivery log.
    await eventually(
      async () => {
        const after = await storedProjectIds(database, workspaceId);
        return missed.every((id) => after.has(id));
      },
      30_000,
      200,
    );
    // The queue workers resumed on their own: every stored event is processed.
    await eventually(
      async () =>
        (await database.db.selectFrom('jobs').select('id').where('status', '!=', 'done').where('kind', '=', 'webhook.process').execute())
          .length === 0,
      30_000,
      200,
    );
    // The operator sees it end in the log, and counted in the metrics.
    expect(instance.output()).toMatch(/database available again/);
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    expect(Number(/^database_outages_total\{[^}]*\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^database_available\{[^}]*\} 1$/m);
  }, 120_000);

  it('Redis killed under the burst: /ready stays 200, /health reports the per-instance budget, webhooks keep being stored, and it is shared again once Redis is back', async () => {
    const burst = startBurst({ url: instance.url, token, workspaceId, prefix: 'redis-' });
    await sleep(500);
    await redis.kill();
    const degraded = await eventually(
      async () => {
        const answer = await health();
        return answer.body.status === 'degraded' ? answer : undefined;
      },
      15_000,
      200,
    );
    expect(degraded.status).toBe(200);
    expect(degraded.body.checks['redis']).toMatch(/^degraded: .*in-process/);
    expect(degraded.body.rateBudget).toMatch(/in-process/);
    expect((await ready()).status).toBe(200);
    await sleep(1500);
    await redis.start();
    await eventually(async () => (await health()).body.status === 'healthy', 20_000, 200);
    await burst.stop();
    expect(alive()).toBe(true);
    expect([...burst.answers.values()].every((status) => status === 200)).toBe(true);
    // Live events are relayed through the restarted Redis again (what other instances' SSE streams hear).
    const listener = new Redis(redis.url);
    try {
      const heard = new Promise<string>((resolve) => listener.on('message', (_channel: string, message: string) => resolve(message)));
      await listener.subscribe(`cap:live:${addonKey}`);
      expect((await deliver(instance.url, 'NEW_PROJECT', token, project(workspaceId, 'relay-after-restart'))).status).toBe(200);
      expect(await heard).toContain('webhook');
    } finally {
      listener.disconnect();
    }
    expect(lostAcknowledged(burst.answers, await storedProjectIds(database, workspaceId))).toEqual([]);
  }, 90_000);

  it('a SQLite edition on the same Redis: Redis killed under the burst, nothing acknowledged lost, shared budget back by itself', async () => {
    const port = await sparePort();
    const dataDir = await import('../helpers/config.js').then(({ tempDir }) => tempDir('cap-faults-sqlite-'));
    const env = clusterEnv({
      sandbox,
      databaseUrl: `sqlite:${dataDir}/edition.db`,
      redisUrl: redis.url,
      baseUrl: `http://127.0.0.1:${port}`,
    });
    const sqliteInstance = spawnInstance(env, port);
    try {
      await sqliteInstance.waitReady();
      const sqliteWorkspace = workspaceId;
      expect((await sandbox.install({ manifestUrl: `${sqliteInstance.url}/manifest`, workspaceId: sqliteWorkspace })).installed).toBe(true);
      const sqliteDatabase = await openDatabase(`sqlite:${dataDir}/edition.db`, { migrate: false });
      try {
        const sqliteToken = await webhookToken(sqliteDatabase, sqliteWorkspace, 'NEW_PROJECT');
        const burst = startBurst({ url: sqliteInstance.url, token: sqliteToken, workspaceId: sqliteWorkspace, prefix: 'sqlite-' });
        await sleep(500);
        await redis.kill();
        await eventually(
          async () => ((await (await fetch(`${sqliteInstance.url}/health`)).json()) as { status: string }).status === 'degraded',
          15_000,
          200,
        );
        expect((await fetch(`${sqliteInstance.url}/ready`)).status).toBe(200);
        await sleep(1000);
        await redis.start();
        await eventually(
          async () => ((await (await fetch(`${sqliteInstance.url}/health`)).json()) as { status: string }).status === 'healthy',
          20_000,
          200,
        );
        await burst.stop();
        expect(sqliteInstance.child.exitCode).toBeNull();
        expect([...burst.answers.values()].every((status) => status === 200)).toBe(true);
        expect(lostAcknowledged(burst.answers, await storedProjectIds(sqliteDatabase, sqliteWorkspace))).toEqual([]);
      } finally {
        await sqliteDatabase.close();
      }
    } finally {
      await killInstance(sqliteInstance);
    }
  }, 90_000);
});
