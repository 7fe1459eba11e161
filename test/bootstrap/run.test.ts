import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { SMALL_SEED, runOf, sandboxRequests, setWorkspaceSettings, startHarness, stepsOf } from './harness.js';
import type { Harness } from './harness.js';

/** What SMALL_SEED holds, per cached type. */
const SEEDED = {
  users: 3,
  clients: 3,
  projects: 12,
  tags: 4,
  'custom-fields': 2,
  'user-groups': 2,
  tasks: 24,
  'project-custom-fields': 24,
  'time-entries': 90,
};

function duplicates(urls: string[]): string[] {
  const seen = new Set<string>();
  return urls.filter((url) => (seen.has(url) ? true : (seen.add(url), false)));
}

describeEachDialect('bootstrap run against the sandbox', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('fetches every core entity of the workspace, page by page, and reports it in the status', async () => {
    h = await startHarness({ dialect });
    const runId = await h.start({ pageSize: 10 });
    await h.runJob();

    const run = await runOf(h, runId);
    expect(run.status).toBe('completed');
    expect(run.errors_count).toBe(0);
    expect(run.operations_done).toBe(run.operations_total);
    expect(run.pages_fetched).toBe(h.fetched.length);
    expect(await h.counts()).toMatchObject(SEEDED);
    expect(duplicates(h.fetched)).toEqual([]);
    // Multi-page lists were walked with the operation's own parameter names.
    expect(h.fetched.filter((url) => /\/projects\?page=\d+&page-size=10/.test(url))).toHaveLength(2);
    expect(h.fetched.some((url) => /\/user\/[^/]+\/time-entries\?.*start=/.test(url))).toBe(true);
    expect(h.fetched.every((url) => url.startsWith('GET '))).toBe(true);

    const token = await h.userToken('OWNER');
    const response = await h.app.inject({ method: 'GET', url: '/ui/bootstrap/status', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    const status = response.json();
    expect(status.run).toMatchObject({
      id: runId,
      status: 'completed',
      mode: 'full',
      errorsCount: 0,
      errors: [],
      pagesFetched: h.fetched.length,
    });
    expect(status.run.entitiesFetched).toBeGreaterThanOrEqual(Object.values(SEEDED).reduce((a, b) => a + b, 0));
    expect(status.entityCounts).toEqual(
      expect.arrayContaining([
        { type: 'projects', count: 12 },
        { type: 'time-entries', count: 90 },
      ]),
    );
  });

  it('resumes after its worker died mid-page: only the page in flight is fetched again, nothing is missing', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const runId = await harness.start({ pageSize: 10 });
    // The worker dies right after the 23rd page arrived, before it was stored.
    const killer = new AbortController();
    harness.onResponse = (count) => {
      if (count === 23) {
        killer.abort(new Error('worker killed'));
        throw killer.signal.reason;
      }
    };
    await expect(harness.runJob(killer.signal)).rejects.toThrow('worker killed');
    const inFlight = harness.fetched[22]!;
    const interrupted = await runOf(harness, runId);
    expect(interrupted.status).toBe('running');
    expect(interrupted.pages_fetched).toBe(22);

    harness.onResponse = undefined;
    await harness.runJob();
    const run = await runOf(harness, runId);
    expect(run.status).toBe('completed');
    expect(duplicates(harness.fetched)).toEqual([inFlight]);
    expect(run.pages_fetched).toBe(harness.fetched.length - 1);
    expect(await harness.counts()).toMatchObject(SEEDED);

    // The sandbox saw exactly one request more than a clean run of the same workspace makes.
    const before = sandboxRequests(harness).length;
    harness.fetched.length = 0;
    const cleanRun = await harness.start({ pageSize: 10 });
    await harness.runJob();
    expect((await runOf(harness, cleanRun)).status).toBe('completed');
    const clean = sandboxRequests(harness).length - before;
    expect(before).toBe(clean + 1);
  });

  it('fetches several operations at once and still resumes with at most one page per operation fetched again', async () => {
    h = await startHarness({ dialect, env: { BOOTSTRAP_CONCURRENCY: '4' } });
    const harness = h;
    const runId = await harness.start({ pageSize: 10 });
    const killer = new AbortController();
    harness.onResponse = (count) => {
      if (count === 23) {
        killer.abort(new Error('worker killed'));
        throw killer.signal.reason;
      }
    };
    await expect(harness.runJob(killer.signal)).rejects.toThrow('worker killed');
    harness.onResponse = undefined;
    await harness.runJob();
    const run = await runOf(harness, runId);
    expect(run.status).toBe('completed');
    expect(await harness.counts()).toMatchObject(SEEDED);
    // At most one page in flight per operation when the worker died: at most four pages fetched twice.
    expect(duplicates(harness.fetched).length).toBeLessThanOrEqual(4);
    expect(new Set(duplicates(harness.fetched)).size).toBe(duplicates(harness.fetched).length);
  });

  it('a rerun refreshes the cache in place: same rows, newer fetch times', async () => {
    h = await startHarness({ dialect });
    await h.start({ pageSize: 10 });
    await h.runJob();
    const first = await h.counts();
    const second = await h.start({ pageSize: 10 });
    await h.runJob();
    expect(await h.counts()).toEqual(first);
    const secondRun = await runOf(h, second);
    const stale = await h.runtime.database.db
      .selectFrom('entity_cache')
      .select('entity_type')
      .where('workspace_id', '=', h.workspaceId)
      .where('entity_type', 'in', Object.keys(SEEDED))
      .where('fetched_at', '<', Number(secondRun.created_at))
      .execute();
    expect(stale).toEqual([]);
  });

  it('stops each operation at max_pages and says so on the step', async () => {
    h = await startHarness({ dialect });
    await setWorkspaceSettings(h, { max_pages: 2 });
    const runId = await h.start({ pageSize: 10 });
    await h.runJob();
    const steps = await stepsOf(h, runId);
    const entrySteps = steps.filter((step) => step.operation_id === 'getTimeEntries');
    expect(entrySteps).toHaveLength(3);
    for (const step of entrySteps) {
      expect(step.status).toBe('done');
      expect(step.pages_fetched).toBe(2);
      expect(step.last_error).toMatch(/max_pages \(2\)/);
    }
    expect((await h.counts())['time-entries']).toBe(60);
    // Cut short is not a clean completion: the status says so and names what was cut.
    expect((await runOf(h, runId)).status).toBe('completed_with_warnings');
    const token = await h.userToken('OWNER');
    const status = (
      await h.app.inject({ method: 'GET', url: '/ui/bootstrap/status', headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(status.run.status).toBe('completed_with_warnings');
    expect(status.run.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operationId: 'getTimeEntries', kind: 'page-cap', message: expect.stringMatching(/max_pages \(2\)/) }),
      ]),
    );
    expect(status.run.warningSummary).toMatch(/page cap.*getTimeEntries/);
  });
});

describe('bootstrap settings against the sandbox', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const paths = (harness: Harness) => sandboxRequests(harness).map((record) => record.path);

  it('fetches reports only with include_heavy on an edition that allows them, and never the audit log (API keys only)', async () => {
    h = await startHarness({ dialect: 'sqlite', seed: { ...SMALL_SEED, timeEntries: 10 } });
    await h.start();
    await h.runJob();
    expect(paths(h).filter((path) => /^\/(reports|auditlog)\//.test(path))).toEqual([]);

    await setWorkspaceSettings(h, { include_heavy: true });
    const before = paths(h).length;
    await h.start();
    await h.runJob();
    const heavy = paths(h)
      .slice(before)
      .filter((path) => /^\/(reports|auditlog)\//.test(path));
    expect(heavy).toEqual(expect.arrayContaining([expect.stringMatching(/\/reports\/detailed$/)]));
    expect(heavy.filter((path) => path.startsWith('/auditlog/'))).toEqual([]);
    expect(Object.keys(await h.counts())).toEqual(expect.arrayContaining(['reports-detailed', 'raw:generateSummaryReport']));
  });

  it('API Studio stays with core entities, even when heavy data is asked for', async () => {
    h = await startHarness({
      dialect: 'sqlite',
      edition: 'api-studio',
      seed: { ...SMALL_SEED, timeEntries: 10 },
      settings: { INCLUDE_HEAVY: 'true' },
    });
    await h.start();
    await h.runJob();
    expect(paths(h).filter((path) => /^\/(reports|auditlog)\//.test(path))).toEqual([]);
    // Time entries are off by default in API Studio.
    expect(paths(h).filter((path) => path.includes('time-entries'))).toEqual([]);
    expect(Object.keys(await h.counts()).sort()).toEqual([
      'clients',
      'custom-fields',
      'project-custom-fields',
      'projects',
      'raw:getLoggedUser',
      'raw:getWorkspaceOfUser',
      'tags',
      'tasks',
      'user-groups',
      'users',
    ]);
  });

  it('fetches no time entries when include_time_entries is off', async () => {
    h = await startHarness({ dialect: 'sqlite', settings: { INCLUDE_TIME_ENTRIES: 'false' } });
    await h.start();
    await h.runJob();
    expect(paths(h).filter((path) => path.includes('time-entries'))).toEqual([]);
    expect((await h.counts())['time-entries']).toBeUndefined();
    expect((await h.counts()).projects).toBe(12);
  });
});
