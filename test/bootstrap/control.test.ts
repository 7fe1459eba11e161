import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapDedupeKey, deleteExpiredEntities, JOB_BOOTSTRAP } from '../../src/bootstrap/index.js';
import { upsertEntities } from '../../src/bootstrap/cache.js';
import { describeEachDialect } from '../helpers/databases.js';
import { SMALL_SEED, runOf, sandboxRequests, setWorkspaceSettings, startHarness, stepsOf } from './harness.js';
import type { Harness } from './harness.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachDialect('bootstrap control', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('records failing operations on their steps, and failed-only retries exactly those', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const users = harness.sandbox.workspaces()[0]!.userIds;
    const unlucky = users[1]!;
    // The sandbox answers 503 to every call of these (the client retries, then gives up).
    harness.failing.add('getTags');
    const originalCall = harness.runtime.client.call;
    harness.runtime.client.call = async (input) => {
      const isUnlucky = input.operation?.operationId === 'getTimeEntries' && input.request.url.includes(`/user/${unlucky}/`);
      if (isUnlucky) harness.sandbox.setFaults({ errorRate: 1 });
      try {
        return await originalCall(input);
      } finally {
        if (isUnlucky) harness.sandbox.setFaults({});
      }
    };
    const firstRun = await harness.start({ pageSize: 10 });
    await harness.runJob();
    const first = await runOf(harness, firstRun);
    // Some data is missing: not a clean completion.
    expect(first.status).toBe('completed_with_warnings');
    expect(first.errors_count).toBe(2);
    const failed = (await stepsOf(harness, firstRun)).filter((step) => step.status === 'failed');
    expect(failed.map((step) => step.step_key).sort()).toEqual(['getTags', `getTimeEntries:${unlucky}`]);
    expect(failed[0]!.last_error).toMatch(/503/);

    const token = await harness.userToken('OWNER');
    const status = (await harness.app.inject({ method: 'GET', url: '/ui/bootstrap/status', headers: auth(token) })).json();
    expect(status.run.errors.map((error: { operationId: string }) => error.operationId).sort()).toEqual(['getTags', 'getTimeEntries']);
    expect(status.run.errors[0].error).toMatch(/503/);
    expect(status.run.status).toBe('completed_with_warnings');
    expect(status.run.warningSummary).toMatch(/skipped after errors: .*getTags/);
    expect((await harness.counts()).tags).toBeUndefined();

    // Clockify is healthy again: retry only what failed.
    harness.failing.clear();
    harness.runtime.client.call = originalCall;
    harness.fetched.length = 0;
    const retry = await harness.app.inject({
      method: 'POST',
      url: '/ui/bootstrap/trigger',
      headers: auth(token),
      payload: { mode: 'failed-only' },
    });
    expect(retry.statusCode).toBe(202);
    expect(retry.json().run).toMatchObject({ mode: 'failed-only', status: 'pending', operationsTotal: 2 });
    await harness.runJob();
    const second = await runOf(harness, retry.json().run.id);
    expect(second.status).toBe('completed');
    expect(second.errors_count).toBe(0);
    expect(harness.fetched.length).toBeGreaterThan(0);
    expect(harness.fetched.every((url) => /\/tags\?/.test(url) || url.includes(`/user/${unlucky}/time-entries?`))).toBe(true);
    expect((await harness.counts()).tags).toBe(4);
    expect((await harness.counts())['time-entries']).toBe(90);

    // Nothing failed in the last run: nothing to retry.
    const again = await harness.app.inject({
      method: 'POST',
      url: '/ui/bootstrap/trigger',
      headers: auth(token),
      payload: { mode: 'failed-only' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('uninstalling stops a running bootstrap at the next page', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const runId = await harness.start({ pageSize: 10 });
    harness.onResponse = async (count) => {
      if (count === 5) {
        const result = await harness.sandbox.uninstall({ addonKey: harness.addonKey });
        expect(result.status).toBe(200);
      }
    };
    await harness.runJob();
    const run = await runOf(harness, runId);
    expect(run.status).toBe('cancelled');
    // The page in flight during the uninstall was the last one asked for.
    expect(harness.fetched).toHaveLength(5);
    expect(sandboxRequests(harness).filter((record) => record.status < 300)).toHaveLength(5);
  });

  it('pauses while the add-on is inactive and resumes without errors once it is active again', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const runId = await harness.start({ pageSize: 10 });
    harness.onResponse = async (count) => {
      if (count === 6) await harness.sandbox.setStatus({ addonKey: harness.addonKey, status: 'INACTIVE' });
    };
    const job = {
      id: 0,
      kind: JOB_BOOTSTRAP,
      workspaceId: harness.workspaceId,
      payload: {},
      attempts: 1,
      maxAttempts: 10,
      lockedBy: 'test',
    };
    const outcome = await harness.runtime.jobHandlers[JOB_BOOTSTRAP]!(job, {
      signal: new AbortController().signal,
      logger: harness.runtime.logger,
    });
    expect(outcome).toEqual({ deferMs: expect.any(Number) });
    const paused = await runOf(harness, runId);
    expect(paused).toMatchObject({ status: 'running', errors_count: 0, pages_fetched: 6 });

    harness.onResponse = undefined;
    await harness.sandbox.setStatus({ addonKey: harness.addonKey, status: 'ACTIVE' });
    await harness.runJob();
    const run = await runOf(harness, runId);
    expect(run).toMatchObject({ status: 'completed', errors_count: 0 });
    expect((await harness.counts()).projects).toBe(12);
  });

  it('starts on install when run_on_install is on, in the lifecycle transaction', async () => {
    h = await startHarness({ dialect, settings: { RUN_ON_INSTALL: 'true' } });
    const db = h.runtime.database.db;
    const runs = await db.selectFrom('bootstrap_runs').selectAll().where('workspace_id', '=', h.workspaceId).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'pending', mode: 'full' });
    expect(Number(runs[0]!.operations_total)).toBeGreaterThan(5);
    const jobs = await db.selectFrom('jobs').selectAll().where('kind', '=', JOB_BOOTSTRAP).execute();
    expect(jobs).toEqual([
      expect.objectContaining({ workspace_id: h.workspaceId, dedupe_key: bootstrapDedupeKey(h.workspaceId), status: 'pending' }),
    ]);
    await h.runJob();
    expect((await runOf(h, runs[0]!.id)).status).toBe('completed');
  });

  it('trigger and cancel: admins only, one run at a time, cancel stops it', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const owner = await harness.userToken('OWNER');
    const member = await harness.userToken('REGULAR');

    const forbidden = await harness.app.inject({ method: 'POST', url: '/ui/bootstrap/trigger', headers: auth(member), payload: {} });
    expect(forbidden.statusCode).toBe(403);
    const badMode = await harness.app.inject({
      method: 'POST',
      url: '/ui/bootstrap/trigger',
      headers: auth(owner),
      payload: { mode: 'sometimes' },
    });
    expect(badMode.statusCode).toBe(400);
    const noRun = await harness.app.inject({ method: 'GET', url: '/ui/bootstrap/status', headers: auth(member) });
    expect(noRun.json()).toEqual({ run: null, entityCounts: [] });

    const started = await harness.app.inject({ method: 'POST', url: '/ui/bootstrap/trigger', headers: auth(owner) });
    expect(started.statusCode).toBe(202);
    const runId = started.json().run.id as string;
    const twice = await harness.app.inject({
      method: 'POST',
      url: '/ui/bootstrap/trigger',
      headers: auth(owner),
      payload: { mode: 'full' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().type).toMatch(/bootstrap-running$/);

    harness.onResponse = async (count) => {
      if (count === 3) {
        const cancelled = await harness.app.inject({ method: 'POST', url: '/ui/bootstrap/cancel', headers: auth(owner) });
        expect(cancelled.statusCode).toBe(202);
      }
    };
    await harness.runJob();
    expect((await runOf(harness, runId)).status).toBe('cancelled');
    expect(harness.fetched).toHaveLength(3);
    const nothingToCancel = await harness.app.inject({ method: 'POST', url: '/ui/bootstrap/cancel', headers: auth(owner) });
    expect(nothingToCancel.statusCode).toBe(409);
  });

  it('lists cached entities a page at a time; members see shared types only', async () => {
    h = await startHarness({ dialect, settings: { INCLUDE_TIME_ENTRIES: 'false' } });
    await h.start();
    await h.runJob();
    const owner = await h.userToken('OWNER');
    const member = await h.userToken('REGULAR');

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const response = await h.app.inject({
        method: 'GET',
        url: `/ui/bootstrap/entities?type=projects&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(member),
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      seen.push(
        ...body.items.map((item: { id: string; type: string; data: { id: string } }) => {
          expect(item.type).toBe('projects');
          expect(item.data.id).toBe(item.id);
          return item.id;
        }),
      );
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);

    expect(
      (await h.app.inject({ method: 'GET', url: '/ui/bootstrap/entities?type=raw:getLoggedUser', headers: auth(member) })).statusCode,
    ).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/ui/bootstrap/entities', headers: auth(member) })).statusCode).toBe(400);
    const everything = await h.app.inject({ method: 'GET', url: '/ui/bootstrap/entities?limit=500', headers: auth(owner) });
    expect(everything.json().items.some((item: { type: string }) => item.type === 'raw:getLoggedUser')).toBe(true);
    expect((await h.app.inject({ method: 'GET', url: '/ui/bootstrap/entities?cursor=nonsense', headers: auth(owner) })).statusCode).toBe(
      400,
    );
  });

  it('removes expired entities in bounded batches', async () => {
    h = await startHarness({ dialect });
    const db = h.runtime.database.db;
    const entities = Array.from({ length: 7 }, (_, index) => ({ id: `e${index}`, data: { id: `e${index}` } }));
    await upsertEntities(db, h.workspaceId, 'old', entities, { now: 1_000, ttlDays: 1 });
    await upsertEntities(db, h.workspaceId, 'fresh', entities.slice(0, 2), { now: Date.now(), ttlDays: 1 });
    const now = 1_000 + 2 * 86_400_000;
    expect(await deleteExpiredEntities(db, now, 5)).toBe(5);
    expect(await deleteExpiredEntities(db, now, 5)).toBe(2);
    expect(await deleteExpiredEntities(db, now, 5)).toBe(0);
    expect(await h.counts()).toEqual({ fresh: 2 });
  });
});

describe('bootstrap under Clockify rate limits', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('backs off on 429 and still completes with everything', async () => {
    // Clockify allows 8 requests a second here; the add-on is configured for 40.
    h = await startHarness({
      dialect: 'sqlite',
      edition: 'api-studio',
      seed: { ...SMALL_SEED, projects: 6 },
      sandbox: { rateLimitPerSecond: 8 },
      settings: { INCLUDE_TIME_ENTRIES: 'true' },
    });
    await setWorkspaceSettings(h, { max_rps: 40 });
    const runId = await h.start({ pageSize: 10 });
    await h.runJob();
    const run = await runOf(h, runId);
    expect(run.status).toBe('completed');
    expect(run.errors_count).toBe(0);
    expect(sandboxRequests(h).filter((record) => record.status === 429).length).toBeGreaterThan(0);
    expect(await h.counts()).toMatchObject({ projects: 6, tasks: 12, 'time-entries': 90, users: 3 });
  });
});
