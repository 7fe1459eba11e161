/**
 * Three instances of the Clockify Add-on edition on one PostgreSQL database and one Redis, behind a
 * round-robin balancer, with the sandbox playing Clockify: nothing is stored twice, done twice, or
 * done out of order, the shared Clockify budget holds, and a killed instance's work is taken over.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/src/index.js';
import type { Sandbox } from '../../sandbox/src/index.js';
import type { RunningEdition } from '../../src/edition.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { tempDir } from '../helpers/config.js';
import { createTestDatabaseUrl } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';
import { redisUrl } from '../helpers/redis.js';
import { eventually, freePort } from '../helpers/stack.js';
import {
  clusterEnv,
  deliverWebhook,
  killInstance,
  spawnInstance,
  startInProcess,
  uniqueAddonKey,
  webhookToken,
} from './support/instances.js';
import type { SpawnedInstance } from './support/instances.js';
import { startRoundRobinProxy } from './support/proxy.js';
import type { RoundRobinProxy } from './support/proxy.js';
import { startReceiver } from './support/receiver.js';
import type { Receiver } from './support/receiver.js';
import { describeOnPostgresAndRedis } from './support/requirements.js';
import { eventIdsOf } from '../../src/ingest/process-job.js';

const BUDGET = 20;

describeOnPostgresAndRedis('several instances on PostgreSQL and Redis', () => {
  let sandbox: Sandbox;
  let sandboxDir: string;
  let target: TestDatabase;
  let database: Database;
  let proxy: RoundRobinProxy;
  let receiver: Receiver;
  let addonKey: string;
  let env: Record<string, string>;
  const instances: RunningEdition[] = [];
  let workspaceId: string;
  let lifecycleWorkspaceId: string;

  beforeAll(async () => {
    sandboxDir = tempDir('cap-sandbox-');
    // Clockify allows as much as the add-on is configured to use: any call over the budget would be a 429.
    sandbox = await startSandbox({
      dataDir: sandboxDir,
      seed: { workspaces: 2, users: 3, projects: 4, timeEntries: 10 },
      rateLimitPerSecond: BUDGET,
      webhookRetryDelaysMs: [100, 300],
    });
    target = await createTestDatabaseUrl('postgres');
    database = await openDatabase(target.url);
    proxy = await startRoundRobinProxy();
    receiver = await startReceiver();
    addonKey = uniqueAddonKey();
    env = clusterEnv({
      sandbox,
      databaseUrl: target.url,
      redisUrl,
      baseUrl: proxy.url,
      addonKey,
      forwardingUrl: receiver.url,
      extra: { RATE_LIMIT_RPS: String(BUDGET) },
    });
    for (let index = 0; index < 3; index += 1) instances.push(await startInProcess(env));
    proxy.targets.push(...instances.map((instance) => instance.url));

    const [first, second] = sandbox.workspaces();
    workspaceId = first!.id;
    lifecycleWorkspaceId = second!.id;
    for (const ws of [workspaceId, lifecycleWorkspaceId]) {
      const installed = await sandbox.install({ manifestUrl: `${proxy.url}/manifest`, workspaceId: ws });
      expect(installed.installed).toBe(true);
    }
    // The REST-registered webhooks are in place once their jobs are done.
    await eventually(async () => {
      const open = await database.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'webhooks.register')
        .where('status', 'in', ['pending', 'running'])
        .execute();
      return open.length === 0;
    }, 30_000);
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop().catch(() => undefined);
    await proxy?.close();
    await receiver?.close();
    await sandbox?.close();
    await database?.close();
    await target?.drop();
  });

  const sumOf = async (metric: string, labels: Record<string, string>) => {
    let total = 0;
    for (const instance of instances) {
      const values = (await instance.runtime.metrics.registry.getSingleMetric(metric)?.get())?.values ?? [];
      for (const value of values) if (Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted)) total += value.value;
    }
    return total;
  };

  it('stores each webhook once and processes it once, however many instances a delivery reaches', async () => {
    const events = await database.db.selectFrom('webhook_events').select('id').execute();
    expect(events).toHaveLength(0);
    const sample = (index: number) => ({
      id: `p${String(index).padStart(22, '0')}`,
      name: `Project ${index}`,
      workspaceId,
      archived: false,
      billable: true,
      color: '#795548',
    });

    // Clockify's own deliveries, spread by the balancer.
    const triggered = 30;
    await Promise.all(
      Array.from({ length: triggered }, (_, index) => sandbox.trigger('NEW_PROJECT', { workspaceId, payload: sample(index), addonKey })),
    );
    // Retries of one delivery landing on every instance at once.
    const token = await webhookToken(database, workspaceId, 'NEW_PROJECT');
    const retried = 10;
    const answers = await Promise.all(
      Array.from({ length: retried }, (_, index) => sample(triggered + index)).flatMap((payload) =>
        [...instances, instances[0]!].map((instance) => deliverWebhook(instance.url, 'NEW_PROJECT', token, payload)),
      ),
    );
    await sandbox.waitForDeliveries();
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => (answer.body as { status?: string }).status === 'accepted')).toHaveLength(retried);

    const total = triggered + retried;
    await eventually(() => receiver.accepted.size === total, 30_000);
    await eventually(
      async () =>
        (
          await database.db
            .selectFrom('jobs')
            .select('id')
            .where('status', 'in', ['pending', 'running'])
            .where('workspace_id', '=', workspaceId)
            .execute()
        ).length === 0,
      10_000,
    );

    const stored = await database.db
      .selectFrom('webhook_events')
      .select(['id', 'payload_json', 'duplicates', 'status'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((row) => (JSON.parse(row.payload_json) as { id: string }).id)).size).toBe(total);
    expect(stored.every((row) => row.status === 'processed')).toBe(true);
    expect(stored.filter((row) => row.duplicates === 3)).toHaveLength(retried);

    // Each event reached the receiver once: its forwarding job ran once, on one instance.
    expect([...receiver.accepted.values()].every((count) => count === 1)).toBe(true);
    expect(receiver.arrivals).toHaveLength(total);
    const jobs = await database.db
      .selectFrom('jobs')
      .select(['kind', 'attempts', 'status', 'payload_json'])
      .where('workspace_id', '=', workspaceId)
      .where('kind', 'in', ['webhook.process', 'webhook.forward'])
      .execute();
    // Events stored together are processed by one job: every event is in exactly one processing job.
    const processJobs = jobs.filter((job) => job.kind === 'webhook.process');
    const processedIds = processJobs.flatMap((job) => eventIdsOf(JSON.parse(job.payload_json)));
    expect(processedIds.sort()).toEqual(stored.map((row) => row.id).sort());
    expect(jobs.filter((job) => job.kind === 'webhook.forward')).toHaveLength(total);
    expect(jobs.every((job) => job.status === 'done' && job.attempts === 1)).toBe(true);
    expect(await sumOf('jobs_total', { kind: 'webhook.process', outcome: 'done' })).toBe(processJobs.length);
    expect(await sumOf('jobs_total', { kind: 'webhook.forward', outcome: 'done' })).toBe(total);
    expect(await sumOf('jobs_total', { outcome: 'lost' })).toBe(0);
    // The traffic really was spread: every instance took deliveries.
    for (const instance of instances) expect(proxy.served.get(instance.url) ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('holds the per-workspace Clockify budget across instances (measured at Clockify)', async () => {
    // The installs' background work (bootstrap) also calls Clockify, from this same process as the
    // sandbox: its stalls would skew the arrival times the sandbox judges (see shared-budget.test.ts).
    await eventually(
      async () => (await database.db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
      30_000,
    );
    const before = sandbox.requestLog().length;
    const tokens = await Promise.all(instances.map(() => sandbox.userToken({ addonKey, workspaceId, role: 'OWNER' })));
    const calls = 3 * BUDGET;
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: calls }, async (_, index) => {
        const instance = instances[index % instances.length]!;
        const response = await fetch(`${instance.url}/ui/api-explorer/execute`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[index % tokens.length]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ operationId: 'getTags' }),
        });
        return { status: response.status, body: (await response.json()) as { status?: number } };
      }),
    );
    const elapsed = Date.now() - started;
    expect(results.every((result) => result.status === 200 && result.body.status === 200)).toBe(true);
    const log = sandbox
      .requestLog()
      .slice(before)
      .filter((record) => record.workspaceId === workspaceId);
    expect(log.filter((record) => record.status === 429)).toHaveLength(0);
    expect(log.length).toBeGreaterThanOrEqual(calls);
    expect(sandbox.maxRequestsPerSecond(workspaceId)).toBeLessThanOrEqual(BUDGET);
    // Three times the budget cannot have been sent in less than two seconds without breaking it.
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  }, 60_000);

  it('applies the lifecycle events of one workspace in order, whichever instances they reach', async () => {
    const keys = JSON.parse(readFileSync(join(sandboxDir, 'sandbox-keys.json'), 'utf8')) as { privateKeyPem: string };
    const privateKey = await importPKCS8(keys.privateKeyPem, 'RS256');
    const installation = sandbox
      .installations()
      .find((entry) => entry.workspaceId === lifecycleWorkspaceId && entry.addonKey === addonKey)!;
    const ownerId = sandbox.workspaces().find((ws) => ws.id === lifecycleWorkspaceId)!.ownerId;
    // Clockify's lifecycle tokens, issued one second apart in the order Clockify sent the events.
    const base = Math.floor(Date.now() / 1000) - 600;
    const sign = (sequence: number) =>
      new SignJWT({
        type: 'addon',
        workspaceId: lifecycleWorkspaceId,
        addonId: installation.addonId,
        user: ownerId,
        backendUrl: sandbox.backendUrl,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuer('clockify')
        .setSubject(addonKey)
        .setIssuedAt(base + sequence)
        .sign(privateKey);
    const send = async (instance: RunningEdition, path: string, sequence: number, body: Record<string, unknown>) => {
      const response = await fetch(`${instance.url}/lifecycle/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-addon-lifecycle-token': await sign(sequence) },
        body: JSON.stringify({ workspaceId: lifecycleWorkspaceId, addonId: installation.addonId, ...body }),
      });
      return { status: response.status, body: (await response.json()) as { outcome?: string } };
    };
    const shuffled = <T>(items: T[]) =>
      items
        .map((item) => ({ item, key: Math.random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item);
    const settingsOf = async () =>
      JSON.parse(
        (
          await database.db
            .selectFrom('installations')
            .select('settings_json')
            .where('workspace_id', '=', lifecycleWorkspaceId)
            .executeTakeFirstOrThrow()
        ).settings_json,
      ) as Record<string, unknown>;

    // Twelve settings changes, sent together to all instances in a random order: the newest wins.
    const updates = shuffled(Array.from({ length: 12 }, (_, index) => index + 1));
    const replies = await Promise.all(
      updates.map((sequence, index) =>
        send(instances[index % 3]!, 'settings-updated', sequence, { settings: [{ id: 'retention_days', value: 100 + sequence }] }),
      ),
    );
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    expect(replies.filter((reply) => reply.body.outcome === 'applied').length).toBeGreaterThan(0);
    expect((await settingsOf()).retention_days).toBe(112);

    // Pause, resume, change, pause, uninstall, all at once: the uninstall, issued last, is the end state.
    const burst = shuffled([
      { path: 'status-changed', sequence: 20, body: { status: 'INACTIVE' } },
      { path: 'status-changed', sequence: 21, body: { status: 'ACTIVE' } },
      { path: 'settings-updated', sequence: 22, body: { settings: [{ id: 'retention_days', value: 7 }] } },
      { path: 'status-changed', sequence: 23, body: { status: 'INACTIVE' } },
      { path: 'deleted', sequence: 24, body: {} },
    ]);
    const burstReplies = await Promise.all(
      burst.map((event, index) => send(instances[index % 3]!, event.path, event.sequence, event.body)),
    );
    expect(burstReplies.every((reply) => reply.status === 200)).toBe(true);
    const row = await database.db
      .selectFrom('installations')
      .select(['status', 'token_ciphertext'])
      .where('workspace_id', '=', lifecycleWorkspaceId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'DELETED', token_ciphertext: null });
    const tokens = await database.db
      .selectFrom('webhook_registrations')
      .select('token_hash')
      .where('workspace_id', '=', lifecycleWorkspaceId)
      .where('token_hash', 'is not', null)
      .execute();
    expect(tokens).toHaveLength(0);
    // A late retry of an older INSTALLED, or of a status change, reaching any instance afterwards changes nothing.
    for (const instance of instances) {
      const reinstall = await send(instance, 'installed', 19, { authToken: await sign(19), asUser: ownerId, webhooks: [] });
      expect(reinstall.body.outcome).toBe('ignored-stale');
      expect((await send(instance, 'status-changed', 21, { status: 'ACTIVE' })).body.outcome).toBe('ignored-already-deleted');
    }
    expect(
      await database.db
        .selectFrom('installations')
        .select('status')
        .where('workspace_id', '=', lifecycleWorkspaceId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'DELETED' });
  }, 30_000);

  it('lets another instance finish the jobs a killed instance had claimed, once their lease expires', async () => {
    const own = await createTestDatabaseUrl('postgres');
    const ownDatabase = await openDatabase(own.url);
    const held = await startReceiver({ kind: 'hold' });
    const port = await freePort();
    const killedEnv = clusterEnv({
      sandbox,
      databaseUrl: own.url,
      redisUrl,
      baseUrl: `http://127.0.0.1:${port}`,
      forwardingUrl: held.url,
      extra: { JOB_LEASE_SECONDS: '2', WORKER_CONCURRENCY: '8' },
    });
    let doomed: SpawnedInstance | undefined;
    let survivor: RunningEdition | undefined;
    try {
      doomed = spawnInstance(killedEnv, port);
      await doomed.waitReady();
      const installed = await sandbox.install({ manifestUrl: `${doomed.url}/manifest`, workspaceId });
      expect(installed.installed).toBe(true);
      const token = await webhookToken(ownDatabase, workspaceId, 'NEW_CLIENT');
      const count = 5;
      for (let index = 0; index < count; index += 1) {
        const answer = await deliverWebhook(doomed.url, 'NEW_CLIENT', token, { id: `c${index}`, name: `Client ${index}`, workspaceId });
        expect(answer.status).toBe(200);
      }
      // Every forwarding job is claimed by the doomed instance and stuck at the receiver.
      await eventually(() => held.held() === count, 15_000);
      const claimed = await ownDatabase.db
        .selectFrom('jobs')
        .select(['locked_by', 'status'])
        .where('kind', '=', 'webhook.forward')
        .execute();
      expect(claimed).toHaveLength(count);
      expect(claimed.every((job) => job.status === 'running' && job.locked_by?.includes(`:${doomed!.child.pid}:`))).toBe(true);

      doomed.child.kill('SIGKILL');
      expect((await doomed.exited).signal).toBe('SIGKILL');
      held.releaseHeld(true);
      held.setMode({ kind: 'ok' });

      survivor = await startInProcess({ ...killedEnv });
      await eventually(() => held.accepted.size === count, 20_000);
      await eventually(
        async () =>
          (
            await ownDatabase.db
              .selectFrom('jobs')
              .select('id')
              .where('kind', '=', 'webhook.forward')
              .where('status', '=', 'done')
              .execute()
          ).length === count,
        5000,
      );
      const jobs = await ownDatabase.db.selectFrom('jobs').select(['attempts', 'status']).where('kind', '=', 'webhook.forward').execute();
      // The first attempt died with its instance; the second, by the survivor, finished it.
      expect(jobs.every((job) => job.status === 'done' && job.attempts === 2)).toBe(true);
      expect([...held.accepted.values()].every((times) => times === 1)).toBe(true);
      const done = (await survivor.runtime.metrics.registry.getSingleMetric('jobs_total')?.get())?.values.find(
        (value) => value.labels.kind === 'webhook.forward' && value.labels.outcome === 'done',
      );
      expect(done?.value).toBe(count);
    } finally {
      await killInstance(doomed);
      await survivor?.stop();
      await held.close();
      await sandbox.uninstall({ addonKey: killedEnv.CLOCKIFY_ADDON_ADDON_KEY!, workspaceId }).catch(() => undefined);
      await ownDatabase.close();
      await own.drop();
    }
  }, 60_000);
});
