import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/jobs/queue.js';
import type { QueueOptions } from '../../src/jobs/queue.js';
import { Worker } from '../../src/jobs/worker.js';
import { pausedInstallation } from '../../src/lifecycle/paused-installations.js';
import type { JobHandler } from '../../src/jobs/worker.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';

const START = 1_900_000_000_000;

/** Waits (bounded) for state the worker reaches on its own schedule; no assertion about how fast. */
async function eventually(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describeEachDialect('job queue', (dialect) => {
  let target: TestDatabase;
  let database: Database;
  const extraDatabases: Database[] = [];
  let clock: number;

  /** A queue on the shared database whose clock the test moves by hand. */
  const queueWith = (options: Partial<QueueOptions> = {}, on: Database = database) =>
    new JobQueue(on, {
      leaseMs: 10_000,
      maxAttempts: 3,
      retryBaseMs: 1000,
      retryMaxMs: 4000,
      now: () => clock,
      waitingWorkspaces: pausedInstallation,
      ...options,
    });

  // One migrated database per dialect, emptied before each test: migrating costs more than the tests.
  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect);
    database = await openDatabase(target.url);
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });
  beforeEach(async () => {
    clock = START;
    await database.db.deleteFrom('jobs').execute();
    await database.db.deleteFrom('installations').execute();
  });
  afterEach(async () => {
    for (const extra of extraDatabases.splice(0)) await extra.close();
  });

  describe('enqueue', () => {
    it('inside a transaction that rolls back leaves no job; one that commits leaves it', async () => {
      const queue = queueWith();
      await expect(
        database.db.transaction().execute(async (trx) => {
          expect(await queue.enqueue({ kind: 'k', workspaceId: 'ws' }, trx)).toBeDefined();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await queue.countsByStatus()).toEqual({});
      expect(await queue.claim('w', 10)).toEqual([]);

      await database.db.transaction().execute(async (trx) => {
        await queue.enqueue({ kind: 'k', workspaceId: 'ws', payload: { n: 1 } }, trx);
      });
      expect(await queue.countsByStatus()).toEqual({ pending: 1 });
    });

    it('ignores a second active job with the same dedupe key, and accepts it again once the first is done', async () => {
      const queue = queueWith();
      const first = await queue.enqueue({ kind: 'bootstrap', workspaceId: 'ws', dedupeKey: 'bootstrap:ws' });
      expect(first).toBeDefined();
      expect(await queue.enqueue({ kind: 'bootstrap', workspaceId: 'ws', dedupeKey: 'bootstrap:ws' })).toBeUndefined();
      // A different key is a different job.
      expect(await queue.enqueue({ kind: 'bootstrap', workspaceId: 'other', dedupeKey: 'bootstrap:other' })).toBeDefined();

      const [job] = await queue.claim('w', 1);
      expect(job?.id).toBe(first);
      expect(await queue.enqueue({ kind: 'bootstrap', workspaceId: 'ws', dedupeKey: 'bootstrap:ws' })).toBeUndefined();
      expect(await queue.complete(job!)).toBe(true);
      const again = await queue.enqueue({ kind: 'bootstrap', workspaceId: 'ws', dedupeKey: 'bootstrap:ws' });
      expect(again).toBeDefined();
      expect(again).not.toBe(first);
    });

    it('waits until run_at', async () => {
      const queue = queueWith();
      await queue.enqueue({ kind: 'later', workspaceId: 'ws', runAt: START + 5000 });
      expect(await queue.claim('w', 10)).toEqual([]);
      clock = START + 5000;
      expect(await queue.claim('w', 10)).toHaveLength(1);
    });
  });

  describe('claim and finish', () => {
    it('claims a job with its payload and completes it', async () => {
      const queue = queueWith();
      const id = await queue.enqueue({ kind: 'echo', workspaceId: 'ws-1', payload: { message: 'hi', big: START } });
      const jobs = await queue.claim('worker-1', 10);
      expect(jobs).toEqual([
        {
          id,
          kind: 'echo',
          workspaceId: 'ws-1',
          payload: { message: 'hi', big: START },
          attempts: 1,
          maxAttempts: 3,
          lockedBy: 'worker-1',
        },
      ]);
      expect(await queue.get(id!)).toMatchObject({ status: 'running', locked_by: 'worker-1', locked_until: START + 10_000 });
      expect(await queue.claim('worker-2', 10)).toEqual([]);

      expect(await queue.complete(jobs[0]!)).toBe(true);
      expect(await queue.get(id!)).toMatchObject({ status: 'done', locked_by: null, finished_at: START });
      expect(await queue.claim('worker-1', 10)).toEqual([]);
    });

    it('retries a failed job later with backoff, counting attempts, and moves it to dead after the last', async () => {
      const queue = queueWith({ maxAttempts: 3 });
      const id = (await queue.enqueue({ kind: 'flaky', workspaceId: 'ws' }))!;

      for (const attempt of [1, 2]) {
        const [job] = await queue.claim('w', 1);
        expect(job?.attempts).toBe(attempt);
        expect(await queue.fail(job!, `boom ${attempt}`)).toBe('retry');
        const row = await queue.get(id);
        expect(row).toMatchObject({ status: 'pending', attempts: attempt, last_error: `boom ${attempt}`, locked_by: null });
        expect(row!.run_at).toBeGreaterThan(clock);
        expect(row!.run_at).toBeLessThanOrEqual(clock + 4000);
        // Not before its time.
        expect(await queue.claim('w', 1)).toEqual([]);
        clock = row!.run_at;
      }

      const [last] = await queue.claim('w', 1);
      expect(last?.attempts).toBe(3);
      expect(await queue.fail(last!, 'boom 3')).toBe('dead');
      expect(await queue.get(id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3', finished_at: clock });
      clock += 60 * 60_000;
      expect(await queue.claim('w', 1)).toEqual([]);
    });

    it('honours an explicit retry-after', async () => {
      const queue = queueWith();
      const id = (await queue.enqueue({ kind: 'limited', workspaceId: 'ws' }))!;
      const [job] = await queue.claim('w', 1);
      expect(await queue.fail(job!, 'rate limited', 60_000)).toBe('retry');
      expect((await queue.get(id))!.run_at).toBe(START + 60_000);
    });

    it('lets another worker take over once the lease expires; the old worker can no longer complete', async () => {
      const queue = queueWith({ leaseMs: 10_000 });
      const id = (await queue.enqueue({ kind: 'slow', workspaceId: 'ws' }))!;
      const [mine] = await queue.claim('old-worker', 1);

      clock = START + 10_000;
      expect(await queue.claim('new-worker', 1)).toEqual([]);
      clock = START + 10_001;
      const [theirs] = await queue.claim('new-worker', 1);
      expect(theirs).toMatchObject({ id, attempts: 2, lockedBy: 'new-worker' });

      expect(await queue.complete(mine!)).toBe(false);
      expect(await queue.get(id)).toMatchObject({ status: 'running', locked_by: 'new-worker' });
      expect(await queue.complete(theirs!)).toBe(true);
      expect(await queue.get(id)).toMatchObject({ status: 'done' });
    });

    it('keeps a job whose lease is extended', async () => {
      const queue = queueWith({ leaseMs: 10_000 });
      await queue.enqueue({ kind: 'slow', workspaceId: 'ws' });
      const [job] = await queue.claim('w1', 1);
      clock = START + 9000;
      await queue.extendLease([job!]);
      clock = START + 18_000;
      expect(await queue.claim('w2', 1)).toEqual([]);
      expect(await queue.complete(job!)).toBe(true);
    });

    it('gives up on a job whose last attempt died with its worker instead of running it again', async () => {
      const queue = queueWith({ maxAttempts: 1, leaseMs: 1000 });
      const id = (await queue.enqueue({ kind: 'crashy', workspaceId: 'ws' }))!;
      expect(await queue.claim('dead-worker', 1)).toHaveLength(1);
      clock = START + 1001;
      expect(await queue.claim('w2', 1)).toEqual([]);
      expect(await queue.get(id)).toMatchObject({ status: 'dead' });
    });

    it('release() hands the job back at once without counting the attempt', async () => {
      const queue = queueWith();
      const id = (await queue.enqueue({ kind: 'k', workspaceId: 'ws' }))!;
      const [job] = await queue.claim('w1', 1);
      await queue.release(job!);
      expect(await queue.get(id)).toMatchObject({ status: 'pending', attempts: 0, locked_by: null });
      const [again] = await queue.claim('w2', 1);
      expect(again).toMatchObject({ id, attempts: 1, lockedBy: 'w2' });
    });

    it('defer() reschedules without counting the attempt', async () => {
      const queue = queueWith();
      const id = (await queue.enqueue({ kind: 'k', workspaceId: 'ws' }))!;
      const [job] = await queue.claim('w1', 1);
      await queue.defer(job!, 30_000);
      expect(await queue.get(id)).toMatchObject({ status: 'pending', attempts: 0, run_at: START + 30_000 });
      expect(await queue.claim('w1', 1)).toEqual([]);
      clock = START + 30_000;
      expect(await queue.claim('w1', 1)).toMatchObject([{ id, attempts: 1 }]);
    });

    it("cancels a workspace's pending jobs only", async () => {
      const queue = queueWith();
      await queue.enqueue({ kind: 'a', workspaceId: 'ws' });
      await queue.enqueue({ kind: 'b', workspaceId: 'ws' });
      await queue.enqueue({ kind: 'a', workspaceId: 'other' });
      expect(await queue.cancelPending('ws', ['a'])).toBe(1);
      expect(await queue.cancelPending('ws')).toBe(1);
      expect(await queue.countsByStatus()).toEqual({ cancelled: 2, pending: 1 });
    });

    it('runNow() brings a pending job waiting out its backoff forward, found by its dedupe key', async () => {
      const queue = queueWith();
      await queue.enqueue({ kind: 'k', workspaceId: 'ws', dedupeKey: 'later', runAt: START + 60_000 });
      expect(await queue.claim('w', 1)).toEqual([]);
      expect(await queue.runNow('later')).toBe(true);
      expect((await queue.claim('w', 1)).map((job) => job.kind)).toEqual(['k']);
      // A running job is left alone.
      expect(await queue.runNow('later')).toBe(false);
    });
  });

  describe('fairness and paused workspaces', () => {
    it('gives a workspace with one job a turn beside a workspace with fifty', async () => {
      const queue = queueWith();
      for (let i = 0; i < 50; i += 1) await queue.enqueue({ kind: 'k', workspaceId: 'ws-flood', payload: { i } });
      await queue.enqueue({ kind: 'k', workspaceId: 'ws-quiet' });
      const jobs = await queue.claim('w', 2);
      expect(jobs.map((job) => job.workspaceId).sort()).toEqual(['ws-flood', 'ws-quiet']);
      // Within a workspace, oldest first.
      expect(jobs.find((job) => job.workspaceId === 'ws-flood')?.payload).toEqual({ i: 0 });
    });

    it('leaves the jobs of an INACTIVE installation waiting until it is active again', async () => {
      // As the runtime builds every queue: the lifecycle room says whose jobs wait.
      const queue = queueWith();
      await database.db
        .insertInto('installations')
        .values({
          workspace_id: 'ws-paused',
          addon_id: 'a',
          addon_key: 'k',
          status: 'INACTIVE',
          token_ciphertext: null,
          owner_user_id: null,
          backend_url: 'https://api.clockify.me/api',
          reports_url: null,
          api_url: null,
          claims_json: '{}',
          settings_json: '{}',
          last_lifecycle_at: START,
          installed_at: START,
          updated_at: START,
          deleted_at: null,
        })
        .execute();
      const paused = (await queue.enqueue({ kind: 'k', workspaceId: 'ws-paused' }))!;
      const active = (await queue.enqueue({ kind: 'k', workspaceId: 'ws-active' }))!;
      expect((await queue.claim('w', 10)).map((job) => job.id)).toEqual([active]);
      expect(await queue.claim('w', 10)).toEqual([]);

      await database.db.updateTable('installations').set({ status: 'ACTIVE' }).where('workspace_id', '=', 'ws-paused').execute();
      expect((await queue.claim('w', 10)).map((job) => job.id)).toEqual([paused]);
    });
  });

  if (dialect === 'postgres') {
    it('never hands one job to two claimers on separate pools, and together they claim every job', async () => {
      const second = await openDatabase(target.url, { migrate: false });
      extraDatabases.push(second);
      // Real time and a long lease: nothing may expire and be re-claimed legitimately during the test.
      const queues = [
        new JobQueue(database, { leaseMs: 600_000, maxAttempts: 3, waitingWorkspaces: pausedInstallation }),
        new JobQueue(second, { leaseMs: 600_000, maxAttempts: 3, waitingWorkspaces: pausedInstallation }),
      ];
      const total = 200;
      const ids = new Set<number>();
      for (let i = 0; i < total; i += 1) ids.add((await queues[0]!.enqueue({ kind: 'k', workspaceId: `ws-${i % 7}` }))!);

      const claimedBy = new Map<number, string[]>();
      const claimer = async (name: string, queue: JobQueue) => {
        for (;;) {
          const jobs = await queue.claim(name, 5);
          if (jobs.length === 0) {
            const counts = await queue.countsByStatus();
            if (!counts.pending) return;
            continue;
          }
          for (const job of jobs) claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), name]);
          for (const job of jobs) expect(await queue.complete(job)).toBe(true);
        }
      };
      await Promise.all([0, 1, 2, 3].map((n) => claimer(`claimer-${n}`, queues[n % 2]!)));

      const twice = [...claimedBy.entries()].filter(([, names]) => names.length > 1);
      expect(twice).toEqual([]);
      expect(new Set(claimedBy.keys())).toEqual(ids);
      expect(await queues[0]!.countsByStatus()).toEqual({ done: total });
      // All four took part (otherwise this proves nothing about concurrency).
      expect(new Set([...claimedBy.values()].flat()).size).toBe(4);
    });
  }

  describe('worker', () => {
    const workers: Worker[] = [];
    afterEach(async () => {
      for (const worker of workers.splice(0)) await worker.stop(1000);
    });

    /** A worker on real time with fast polling and retries, so retries happen within the test. */
    function startWorker(handlers: Record<string, JobHandler>, options: { concurrency?: number; maxAttempts?: number } = {}) {
      const queue = new JobQueue(database, {
        leaseMs: 30_000,
        maxAttempts: options.maxAttempts ?? 3,
        retryBaseMs: 5,
        retryMaxMs: 20,
        waitingWorkspaces: pausedInstallation,
      });
      const outcomes: { id: number; outcome: string }[] = [];
      const logs = captureLogger();
      const worker = new Worker(queue, handlers, {
        concurrency: options.concurrency ?? 4,
        pollIntervalMs: 10,
        leaseMs: 30_000,
        logger: logs.logger,
        onJobFinished: (job, outcome) => outcomes.push({ id: job.id, outcome }),
      });
      workers.push(worker);
      worker.start();
      return { queue, worker, outcomes, logs };
    }

    it('runs each job with its payload and marks it done', async () => {
      const seen: unknown[] = [];
      const { queue, outcomes } = startWorker({
        echo: async (job, context) => {
          expect(context.signal.aborted).toBe(false);
          seen.push(job.payload);
        },
      });
      for (let i = 0; i < 5; i += 1) await queue.enqueue({ kind: 'echo', workspaceId: `ws-${i % 2}`, payload: { i } });
      await eventually(() => outcomes.length === 5, 'five jobs finished');
      expect(outcomes.map((o) => o.outcome)).toEqual(['done', 'done', 'done', 'done', 'done']);
      expect(seen).toHaveLength(5);
      expect(seen).toEqual(expect.arrayContaining([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]));
      expect(await queue.countsByStatus()).toEqual({ done: 5 });
    });

    it('retries a handler that throws, until it succeeds', async () => {
      let calls = 0;
      const { queue, outcomes } = startWorker({
        flaky: async () => {
          calls += 1;
          if (calls < 3) throw new Error(`failure ${calls}`);
        },
      });
      const id = (await queue.enqueue({ kind: 'flaky', workspaceId: 'ws' }))!;
      await eventually(() => outcomes.some((o) => o.outcome === 'done'), 'the job succeeded');
      expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'retry', 'done']);
      expect(await queue.get(id)).toMatchObject({ status: 'done', attempts: 3, last_error: 'failure 2' });
    });

    it('moves a job that keeps failing to dead, and logs why', async () => {
      const { queue, outcomes, logs } = startWorker({ broken: async () => Promise.reject(new Error('always broken')) }, { maxAttempts: 2 });
      const id = (await queue.enqueue({ kind: 'broken', workspaceId: 'ws' }))!;
      await eventually(() => outcomes.some((o) => o.outcome === 'dead'), 'the job is dead');
      expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'dead']);
      expect(await queue.get(id)).toMatchObject({ status: 'dead', attempts: 2, last_error: 'always broken' });
      expect(logs.lines().filter((line) => line.msg === 'job failed')).toHaveLength(2);
    });

    it('marks a job of an unknown kind dead instead of retrying it', async () => {
      const { queue, outcomes } = startWorker({});
      const id = (await queue.enqueue({ kind: 'nobody-handles-this', workspaceId: 'ws' }))!;
      await eventually(() => outcomes.length === 1, 'the job finished');
      expect(outcomes[0]?.outcome).toBe('dead');
      expect((await queue.get(id))?.last_error).toContain('nobody-handles-this');
    });

    it('reschedules a job that asks for deferMs without counting an attempt', async () => {
      let calls = 0;
      const { queue, outcomes } = startWorker({
        patient: async () => {
          calls += 1;
          if (calls === 1) return { deferMs: 20 };
          return undefined;
        },
      });
      const id = (await queue.enqueue({ kind: 'patient', workspaceId: 'ws' }))!;
      await eventually(() => outcomes.some((o) => o.outcome === 'done'), 'the job succeeded');
      expect(outcomes.map((o) => o.outcome)).toEqual(['deferred', 'done']);
      expect(calls).toBe(2);
      expect(await queue.get(id)).toMatchObject({ status: 'done', attempts: 1 });
    });

    it('stop(deadline) waits for a running job to finish', async () => {
      const started = deferred();
      const finish = deferred();
      const { queue, worker } = startWorker({
        slow: async () => {
          started.resolve();
          await finish.promise;
        },
      });
      const id = (await queue.enqueue({ kind: 'slow', workspaceId: 'ws' }))!;
      await started.promise;

      let stopped = false;
      const stopping = worker.stop(30_000).then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      expect(worker.activeJobs).toBe(1);

      finish.resolve();
      await stopping;
      expect(await queue.get(id)).toMatchObject({ status: 'done', attempts: 1 });

      // A stopped worker claims nothing more.
      const later = (await queue.enqueue({ kind: 'slow', workspaceId: 'ws' }))!;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await queue.get(later)).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('stop(deadline) aborts a job that overruns it and hands the job back uncounted', async () => {
      const started = deferred();
      let sawAbort = false;
      const { queue, worker } = startWorker({
        stubborn: (_job, context) =>
          new Promise<void>((_resolve, reject) => {
            started.resolve();
            context.signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(new Error('aborted'));
            });
          }),
      });
      const id = (await queue.enqueue({ kind: 'stubborn', workspaceId: 'ws' }))!;
      await started.promise;
      await worker.stop(20);
      expect(sawAbort).toBe(true);
      expect(await queue.get(id)).toMatchObject({ status: 'pending', attempts: 0, locked_by: null });
    });
  });
});
