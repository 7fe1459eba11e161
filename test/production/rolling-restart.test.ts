/**
 * Instances as real processes (`cap start`), stopped with SIGTERM as an orchestrator does: in-flight
 * requests and jobs finish within SHUTDOWN_TIMEOUT_MS, overrunning jobs are handed back, and a
 * rolling restart under load loses no webhook that was acknowledged.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/src/index.js';
import type { Sandbox } from '../../sandbox/src/index.js';
import type { RunningEdition } from '../../src/edition.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { createTestDatabaseUrl } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';
import { redisUrl } from '../helpers/redis.js';
import { eventually, freePort } from '../helpers/stack.js';
import { clusterEnv, deliverWebhook, killInstance, spawnInstance, startInProcess, webhookToken } from './support/instances.js';
import type { SpawnedInstance } from './support/instances.js';
import { startRoundRobinProxy } from './support/proxy.js';
import { startReceiver } from './support/receiver.js';
import type { Receiver, ReceiverMode } from './support/receiver.js';
import { describeOnPostgresAndRedis } from './support/requirements.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnPostgresAndRedis('graceful shutdown and rolling restart', () => {
  let sandbox: Sandbox;
  let workspaceId: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: { users: 2, projects: 2, timeEntries: 5 }, webhookRetryDelaysMs: [100, 300] });
    workspaceId = sandbox.workspaces()[0]!.id;
  });
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await sandbox?.close();
  });

  /** A fresh database and forwarding receiver for one scenario, cleaned up after the file. */
  const scenario = async (mode: ReceiverMode) => {
    const target: TestDatabase = await createTestDatabaseUrl('postgres');
    const database: Database = await openDatabase(target.url);
    const receiver: Receiver = await startReceiver(mode);
    cleanups.push(
      () => target.drop(),
      () => database.close(),
      () => receiver.close(),
    );
    return { target, database, receiver };
  };
  const spawned = (env: Record<string, string>, port: number) => {
    const instance = spawnInstance(env, port);
    cleanups.push(() => killInstance(instance));
    return instance;
  };
  const install = async (url: string) => {
    const result = await sandbox.install({ manifestUrl: `${url}/manifest`, workspaceId });
    expect(result.installed).toBe(true);
  };
  const project = (id: string) => ({ id, name: `Project ${id}`, workspaceId, archived: false, billable: false });

  it('on SIGTERM stops accepting, finishes the request and the jobs in flight, and exits cleanly', async () => {
    const { target, database, receiver } = await scenario({ kind: 'delay', ms: 1500 });
    const port = await freePort();
    const env = clusterEnv({
      sandbox,
      databaseUrl: target.url,
      redisUrl,
      baseUrl: `http://127.0.0.1:${port}`,
      forwardingUrl: receiver.url,
      extra: { SHUTDOWN_TIMEOUT_MS: '8000' },
    });
    const instance = spawned(env, port);
    await instance.waitReady();
    await install(instance.url);
    const token = await webhookToken(database, workspaceId, 'NEW_PROJECT');
    for (const id of ['a', 'b', 'c']) expect((await deliverWebhook(instance.url, 'NEW_PROJECT', token, project(id))).status).toBe(200);
    // Three forwarding jobs are now waiting on the slow receiver.
    await eventually(() => receiver.arrivals.length === 3, 10_000);

    // A webhook whose body is still arriving when the signal comes.
    const body = JSON.stringify(project('late'));
    const outgoing = httpRequest(`${instance.url}/webhooks/clockify/new-project`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'clockify-signature': token,
        'clockify-webhook-event-type': 'NEW_PROJECT',
      },
    });
    const late = new Promise<{ status: number; text: string }>((resolve, reject) => {
      outgoing.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      outgoing.on('error', reject);
    });
    outgoing.write(body.slice(0, 20));
    await sleep(100);
    const signalled = Date.now();
    instance.child.kill('SIGTERM');

    // New connections are refused at once…
    await eventually(
      async () =>
        fetch(`${instance.url}/healthz`).then(
          () => false,
          () => true,
        ),
      5000,
      20,
    );
    // …while the request already in flight completes and is stored.
    outgoing.end(body.slice(20));
    const answer = await late;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 'accepted' });

    const exit = await instance.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8000 + 5000);
    // The jobs in flight finished before the process left: each event reached the receiver.
    expect([...receiver.accepted.keys()]).toHaveLength(3);
    const forwards = await database.db.selectFrom('jobs').select(['status', 'locked_by']).where('kind', '=', 'webhook.forward').execute();
    expect(forwards).toEqual(Array.from({ length: 3 }, () => ({ status: 'done', locked_by: null })));
    // The late event is durable; its processing waits, unclaimed, for the next instance.
    const lateRow = await database.db
      .selectFrom('webhook_events')
      .select('id')
      .where('payload_json', 'like', '%"late"%')
      .executeTakeFirst();
    expect(lateRow).toBeDefined();
    const pending = await database.db
      .selectFrom('jobs')
      .select(['status', 'locked_by'])
      .where('kind', '=', 'webhook.process')
      .where('status', '!=', 'done')
      .execute();
    expect(pending).toEqual([{ status: 'pending', locked_by: null }]);
    await sandbox.uninstall({ addonKey: env.CLOCKIFY_ADDON_ADDON_KEY!, workspaceId }).catch(() => undefined);
  }, 60_000);

  it('hands back jobs that overrun the shutdown deadline, so another instance takes them without waiting for the lease', async () => {
    const { target, database, receiver } = await scenario({ kind: 'hold' });
    const port = await freePort();
    // A lease far longer than the test: only an explicit hand-back lets the next instance start at once.
    const env = clusterEnv({
      sandbox,
      databaseUrl: target.url,
      redisUrl,
      baseUrl: `http://127.0.0.1:${port}`,
      forwardingUrl: receiver.url,
      extra: { SHUTDOWN_TIMEOUT_MS: '1000', JOB_LEASE_SECONDS: '600' },
    });
    const instance = spawned(env, port);
    let next: RunningEdition | undefined;
    try {
      await instance.waitReady();
      await install(instance.url);
      const token = await webhookToken(database, workspaceId, 'NEW_PROJECT');
      for (const id of ['x', 'y']) expect((await deliverWebhook(instance.url, 'NEW_PROJECT', token, project(id))).status).toBe(200);
      await eventually(() => receiver.held() === 2, 10_000);

      instance.child.kill('SIGTERM');
      expect((await instance.exited).code).toBe(0);
      const released = await database.db
        .selectFrom('jobs')
        .select(['status', 'locked_by', 'attempts'])
        .where('kind', '=', 'webhook.forward')
        .execute();
      expect(released).toEqual([
        { status: 'pending', locked_by: null, attempts: 0 },
        { status: 'pending', locked_by: null, attempts: 0 },
      ]);

      receiver.releaseHeld(true);
      receiver.setMode({ kind: 'ok' });
      next = await startInProcess(env);
      await eventually(() => receiver.accepted.size === 2, 15_000);
      await eventually(
        async () =>
          (await database.db.selectFrom('jobs').select('id').where('kind', '=', 'webhook.forward').where('status', '=', 'done').execute())
            .length === 2,
        5000,
      );
    } finally {
      await next?.stop();
      await sandbox.uninstall({ addonKey: env.CLOCKIFY_ADDON_ADDON_KEY!, workspaceId }).catch(() => undefined);
    }
  }, 60_000);

  it('loses no acknowledged webhook while two instances restart one after the other under load', async () => {
    const { target, database, receiver } = await scenario({ kind: 'delay', ms: 100 });
    const proxy = await startRoundRobinProxy();
    cleanups.push(() => proxy.close());
    const env = clusterEnv({
      sandbox,
      databaseUrl: target.url,
      redisUrl,
      baseUrl: proxy.url,
      forwardingUrl: receiver.url,
      extra: { SHUTDOWN_TIMEOUT_MS: '5000' },
    });
    const ports = [await freePort(), await freePort()];
    const running: SpawnedInstance[] = ports.map((port) => spawned(env, port));
    proxy.targets.push(...running.map((instance) => instance.url));
    await Promise.all(running.map((instance) => instance.waitReady()));
    await install(proxy.url);
    const token = await webhookToken(database, workspaceId, 'NEW_PROJECT');

    // Clockify keeps sending: several senders, one delivery after another (paced, so the restarting
    // processes get CPU on a small machine), each remembered with its answer.
    const answers = new Map<string, number>();
    let sending = true;
    const sender = async (lane: number) => {
      for (let index = 0; sending; index += 1) {
        const id = `${lane}-${index}`;
        answers.set(id, (await deliverWebhook(proxy.url, 'NEW_PROJECT', token, project(id))).status);
        await sleep(40);
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(sender));
    await sleep(300);
    const exits: (number | null)[] = [];
    for (const index of [0, 1]) {
      const old = running[index]!;
      old.child.kill('SIGTERM');
      exits.push((await old.exited).code);
      const fresh = spawned(env, old.port);
      running[index] = fresh;
      await fresh.waitReady();
      await sleep(200);
    }
    sending = false;
    await load;

    expect(exits).toEqual([0, 0]);
    const acknowledged = [...answers].filter(([, status]) => status === 200).map(([id]) => id);
    expect(acknowledged.length).toBeGreaterThan(50);
    // The balancer moved every delivery to a live instance: nothing was refused either.
    expect([...answers.values()].filter((status) => status !== 200)).toEqual([]);
    const storedIds = async () =>
      new Set(
        (await database.db.selectFrom('webhook_events').select('payload_json').where('workspace_id', '=', workspaceId).execute()).map(
          (row) => (JSON.parse(row.payload_json) as { id: string }).id,
        ),
      );
    const stored = await storedIds();
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    // And every one of them is processed and forwarded once, by the restarted instances.
    await eventually(() => receiver.accepted.size === stored.size, 30_000);
    expect([...receiver.accepted.values()].every((count) => count === 1)).toBe(true);
    // A job the stopped instance held is taken over when its lease ends (busy machines take a while).
    const unfinished = () =>
      database.db.selectFrom('jobs').select(['id', 'kind', 'status', 'locked_until', 'run_at']).where('status', '!=', 'done').execute();
    await eventually(async () => (await unfinished()).length === 0, 30_000).catch(async (error: Error) => {
      throw new Error(`${error.message}; jobs not done: ${JSON.stringify(await unfinished())}`);
    });
  }, 90_000);
});
