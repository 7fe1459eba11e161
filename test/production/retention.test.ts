import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getEdition } from '../../src/editions/index.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { runRetentionOnce } from '../../src/cli/retention-once.js';
import { LeaseLock, planRetention, runRetention, sweptTables } from '../../src/retention/index.js';
import { DATA_POLICIES, ROOMS } from '../../src/rooms.js';
import type { RetentionDeps } from '../../src/retention/index.js';
import { chunked, cutoffFor, retentionDaysOf } from '../../src/retention/policy.js';
import { RetentionScheduler } from '../../src/retention/scheduler.js';
import { openDatabase } from '../../src/database.js';
import type { Database } from '../../src/storage/database.js';
import { testConfig } from '../helpers/config.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';
import { createTestRuntime } from '../helpers/runtime.js';
import { eventually } from '../helpers/stack.js';

const DAY = 86_400_000;
const NOW = 1_900_000_000_000;
const EDITION = getEdition('clockify-addon');

describe('retention policy', () => {
  it('groups workspaces by their own period and falls back to the default for missing or unusable values', () => {
    const plan = planRetention(NOW, 30, [
      { workspaceId: 'a' },
      { workspaceId: 'b', days: 5 },
      { workspaceId: 'c', days: 5 },
      { workspaceId: 'd', days: 90 },
    ]);
    expect(plan.groups.map((group) => [group.days, group.workspaceIds])).toEqual([
      [5, ['b', 'c']],
      [30, ['a']],
      [90, ['d']],
    ]);
    expect(plan.groups[0]!.cutoff).toBe(NOW - 5 * DAY);
    expect(plan.orphanCutoff).toBe(NOW - 30 * DAY);
  });

  it('never reads a corrupted setting as "keep nothing"', () => {
    for (const bad of [0, -3, Number.NaN, Infinity, 'abc', '', null, undefined, true, {}]) expect(retentionDaysOf(bad)).toBeUndefined();
    expect(retentionDaysOf('12')).toBe(12);
    expect(retentionDaysOf(1)).toBe(1);
    expect(planRetention(NOW, Number.NaN, [{ workspaceId: 'a', days: 0 }]).groups[0]!.days).toBe(30);
  });

  it('cuts lists into bounded pieces and computes cutoffs in whole milliseconds', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 3)).toEqual([]);
    expect(cutoffFor(NOW, 0.5)).toBe(NOW - DAY / 2);
  });
});

describe('retention room', () => {
  it('runs every RETENTION_INTERVAL_MINUTES in the edition, counts what it removed, and stops with it', async () => {
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite', env: { RETENTION_INTERVAL_MINUTES: '0.05' } });
    try {
      const old = Date.now() - 400 * DAY;
      await t.runtime.database.db
        .insertInto('api_calls')
        .values({
          id: 'old-call',
          workspace_id: 'ws',
          source: 'explorer',
          operation_id: null,
          method: 'GET',
          url: 'http://x',
          status: 200,
          duration_ms: 1,
          attempts: 1,
          error: null,
          request_json: null,
          response_excerpt: null,
          user_id: null,
          created_at: old,
        })
        .execute();
      // The edition's own retention room (src/rooms.ts) sweeps on its timer.
      expect(ROOMS.map((room) => room.name)).toContain('retention');
      await eventually(async () => (await t.runtime.database.db.selectFrom('api_calls').select('id').execute()).length === 0, 10_000, 100);
      const metrics = await t.runtime.metrics.registry.metrics();
      expect(metrics).toMatch(/retention_rows_deleted_total\{table="api_calls",edition="clockify-addon"\} 1/);
    } finally {
      await t.close();
    }
  }, 20_000);
});

describeEachDialect('retention clean-up', (dialect) => {
  let target: TestDatabase;
  let database: Database;
  let metrics: ReturnType<typeof createMetrics>;
  const logs = captureLogger();

  const deps = (overrides: Record<string, string> = {}): RetentionDeps => {
    const config = testConfig({ WEBHOOK_DEDUP_WINDOW_HOURS: '24', ...overrides });
    const editionConfig = config.editions['clockify-addon'];
    return { database, dataPolicies: DATA_POLICIES, edition: EDITION, editionConfig, config, metrics, logger: logs.logger, now: Date.now };
  };

  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect);
    database = await openDatabase(target.url);
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });
  beforeEach(async () => {
    metrics = createMetrics('clockify-addon');
    for (const table of [...sweptTables(DATA_POLICIES), 'installations', 'locks'] as const) await database.db.deleteFrom(table).execute();
  });

  const install = (workspaceId: string, settings: Record<string, unknown> = {}) =>
    database.db
      .insertInto('installations')
      .values({
        workspace_id: workspaceId,
        addon_id: `addon-${workspaceId}`,
        addon_key: 'clockify-addon',
        status: 'ACTIVE',
        token_ciphertext: null,
        owner_user_id: null,
        backend_url: 'http://x',
        reports_url: null,
        api_url: null,
        claims_json: '{}',
        settings_json: JSON.stringify(settings),
        last_lifecycle_at: 0,
        installed_at: NOW,
        updated_at: NOW,
        deleted_at: null,
      })
      .execute();

  let sequence = 0;
  /** One row in every history table for `workspaceId`, stamped `ageDays` before NOW. */
  const history = async (workspaceId: string, ageDays: number, base = NOW) => {
    const at = base - ageDays * DAY;
    const id = `${workspaceId}-${ageDays}-${(sequence += 1)}`;
    await database.db
      .insertInto('webhook_events')
      .values({
        id,
        workspace_id: workspaceId,
        source: 'clockify',
        event_type: 'NEW_PROJECT',
        delivery_key: `k-${id}`,
        payload_json: '{}',
        headers_json: '{}',
        user_id: null,
        project_id: null,
        time_entry_id: null,
        client_id: null,
        tag_ids: null,
        status: 'processed',
        triggered_json: null,
        error: null,
        received_at: at,
        processed_at: at,
      })
      .execute();
    await database.db
      .insertInto('webhook_dedup')
      .values({ delivery_key: `k-${id}`, event_id: id, first_seen_at: at })
      .execute();
    await database.db
      .insertInto('flow_runs')
      .values({
        id,
        workspace_id: workspaceId,
        flow_id: 'f',
        flow_version: 1,
        event_id: id,
        status: 'succeeded',
        matched: 1,
        condition_trace_json: null,
        error: null,
        dry_run: 0,
        replay_of: null,
        started_at: at,
        finished_at: at,
      })
      .execute();
    for (const position of [0, 1]) {
      await database.db
        .insertInto('flow_action_results')
        .values({
          idempotency_key: `${id}:${position}`,
          run_id: id,
          workspace_id: workspaceId,
          action_id: `a${position}`,
          position,
          status: 'succeeded',
          request_json: null,
          response_json: null,
          attempts: 1,
          duration_ms: 1,
          created_at: at,
        })
        .execute();
    }
    await database.db
      .insertInto('api_calls')
      .values({
        id,
        workspace_id: workspaceId,
        source: 'explorer',
        operation_id: 'getTags',
        method: 'GET',
        url: 'http://x',
        status: 200,
        duration_ms: 1,
        attempts: 1,
        error: null,
        request_json: null,
        response_excerpt: null,
        user_id: null,
        created_at: at,
      })
      .execute();
    await database.db
      .insertInto('rejected_requests')
      .values({
        id,
        workspace_id: workspaceId,
        source: 'clockify',
        event_type: 'NEW_PROJECT',
        status: 401,
        reason: 'invalid-token',
        detail: 'bad signature',
        headers_json: '{}',
        body_bytes: 10,
        received_at: at,
      })
      .execute();
    for (const status of ['done', 'pending'] as const) {
      await database.db
        .insertInto('jobs')
        .values({
          kind: 'webhook.process',
          workspace_id: workspaceId,
          payload_json: '{}',
          status,
          priority: 0,
          attempts: 1,
          max_attempts: 5,
          run_at: at,
          locked_by: null,
          locked_until: null,
          last_error: null,
          dedupe_key: null,
          created_at: at,
          updated_at: at,
          finished_at: status === 'done' ? at : null,
        })
        .execute();
    }
    return id;
  };

  const ids = async (table: 'webhook_events' | 'flow_runs' | 'api_calls' | 'rejected_requests') =>
    (await database.db.selectFrom(table).select('id').orderBy('id').execute()).map((row) => row.id).sort();
  const counter = async () =>
    Object.fromEntries(
      (await metrics.registry.getSingleMetric('retention_rows_deleted_total')!.get()).values.map((v) => [v.labels.table, v.value]),
    );

  it("keeps each workspace's history for its own number of days, and removes orphans by the default", async () => {
    await install('ws-default');
    await install('ws-short', { retention_days: 5 });
    await install('ws-long', { retention_days: 90 });
    await install('ws-corrupt', { retention_days: 'forever' });
    const keep = [
      await history('ws-default', 29),
      await history('ws-short', 4),
      await history('ws-long', 89),
      await history('ws-long', 45),
      await history('ws-corrupt', 10),
      await history('ws-gone', 10),
    ];
    await history('ws-default', 31);
    await history('ws-short', 6);
    await history('ws-long', 91);
    await history('ws-corrupt', 31);
    await history('ws-gone', 31);

    const report = await runRetention(deps(), NOW, { pauseMs: 0 });

    expect(report.ran).toBe(true);
    const kept = [...keep].sort();
    expect(await ids('webhook_events')).toEqual(kept);
    expect(await ids('flow_runs')).toEqual(kept);
    expect(await ids('api_calls')).toEqual(kept);
    expect(await ids('rejected_requests')).toEqual(kept);
    // No action result outlives its run.
    const results = await database.db.selectFrom('flow_action_results').select('run_id').execute();
    expect(new Set(results.map((row) => row.run_id))).toEqual(new Set(keep));
    // Finished jobs go with the history; jobs still to do never do.
    const jobs = await database.db.selectFrom('jobs').select(['status', 'workspace_id']).execute();
    expect(jobs.filter((job) => job.status === 'pending')).toHaveLength(11);
    expect(jobs.filter((job) => job.status === 'done')).toHaveLength(6);
    // Dedup keys older than the 24 h window are useless whatever the workspace.
    expect(await database.db.selectFrom('webhook_dedup').select('delivery_key').execute()).toHaveLength(0);

    expect(report.deleted).toMatchObject({
      webhook_events: 5,
      flow_runs: 5,
      flow_action_results: 10,
      api_calls: 5,
      jobs: 5,
      webhook_dedup: 11,
      rejected_requests: 5,
    });
    expect(await counter()).toMatchObject({
      webhook_events: 5,
      flow_runs: 5,
      flow_action_results: 10,
      api_calls: 5,
      jobs: 5,
      webhook_dedup: 11,
    });
  });

  it("takes the default period from the edition's environment setting", async () => {
    await install('ws');
    const young = await history('ws', 8);
    await history('ws', 11);
    await runRetention(deps({ CLOCKIFY_ADDON_RETENTION_DAYS: '10' }), NOW, { pauseMs: 0 });
    expect(await ids('webhook_events')).toEqual([young]);
  });

  it('removes expired cache entries and keeps live ones', async () => {
    const entity = (id: string, expiresAt: number) => ({
      workspace_id: 'ws',
      entity_type: 'project',
      entity_id: id,
      data_json: '{}',
      fetched_at: NOW - DAY,
      expires_at: expiresAt,
    });
    await database.db
      .insertInto('entity_cache')
      .values([entity('old', NOW - 1), entity('fresh', NOW + DAY)])
      .execute();
    const report = await runRetention(deps(), NOW, { pauseMs: 0 });
    expect(report.deleted.entity_cache).toBe(1);
    expect((await database.db.selectFrom('entity_cache').select('entity_id').execute()).map((row) => row.entity_id)).toEqual(['fresh']);
  });

  it('works through a large backlog in bounded batches', async () => {
    await install('ws');
    for (let index = 0; index < 23; index += 1) await history('ws', 40);
    const report = await runRetention(deps(), NOW, { batchSize: 5, pauseMs: 0 });
    expect(report.deleted.webhook_events).toBe(23);
    expect(report.deleted.flow_action_results).toBe(46);
    expect(await ids('webhook_events')).toEqual([]);
  });

  it('does nothing while another instance holds the lease, and runs once it has expired', async () => {
    await install('ws');
    await history('ws', 40);
    const other = new LeaseLock(database.db, 'retention', 'other-instance');
    expect(await other.acquire(Date.now(), Date.now() + 60_000)).toBe(true);

    const blocked = await runRetention(deps(), NOW, { holder: 'me', pauseMs: 0 });
    expect(blocked).toMatchObject({ ran: false, reason: 'locked' });
    expect(await ids('webhook_events')).toHaveLength(1);

    // The other instance died: its lease ran out without a release.
    await database.db
      .updateTable('locks')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const ran = await runRetention(deps(), NOW, { holder: 'me', pauseMs: 0 });
    expect(ran.ran).toBe(true);
    expect(await ids('webhook_events')).toHaveLength(0);
    // Released at the end: anyone may run next.
    expect(await new LeaseLock(database.db, 'retention', 'third').acquire(Date.now(), Date.now() + 1000)).toBe(true);
  });

  it('lets exactly one of several concurrent runs work', async () => {
    await install('ws');
    for (let index = 0; index < 12; index += 1) await history('ws', 40);
    const second = await openDatabase(target.url);
    try {
      const runs = await Promise.all(
        ['a', 'b', 'c'].map((holder, index) =>
          runRetention({ ...deps(), database: index === 0 ? database : second }, NOW, { holder, batchSize: 3, pauseMs: 5 }),
        ),
      );
      expect(runs.filter((run) => run.ran)).toHaveLength(1);
      expect(runs.filter((run) => run.reason === 'locked')).toHaveLength(2);
      expect(runs.reduce((sum, run) => sum + run.deleted.webhook_events, 0)).toBe(12);
    } finally {
      await second.close();
    }
  });

  it('keeps the lease for the rest of the period when asked, so other instances skip it', async () => {
    await install('ws');
    await runRetention(deps(), NOW, { holder: 'winner', holdForMs: 60_000, pauseMs: 0 });
    expect((await runRetention(deps(), NOW, { holder: 'late', pauseMs: 0 })).reason).toBe('locked');
    // The holder itself may run again (its next period).
    expect((await runRetention(deps(), NOW, { holder: 'winner', pauseMs: 0 })).ran).toBe(true);
  });

  it('stops between batches when aborted and frees the lease', async () => {
    await install('ws');
    for (let index = 0; index < 10; index += 1) await history('ws', 40);
    const controller = new AbortController();
    controller.abort();
    const report = await runRetention(deps(), NOW, { holder: 'x', signal: controller.signal, batchSize: 2, pauseMs: 0 });
    expect(report).toMatchObject({ ran: false, reason: 'aborted' });
    expect(await ids('webhook_events')).toHaveLength(10);
    expect(await new LeaseLock(database.db, 'retention', 'y').acquire(Date.now(), Date.now() + 1000)).toBe(true);
  });

  it('runs on a timer and stops with the edition', async () => {
    await install('ws');
    await history('ws', 400, Date.now());
    const scheduler = new RetentionScheduler({ ...deps(), now: Date.now }, { intervalMs: 60_000, firstDelayMs: 0, sweep: { pauseMs: 0 } });
    scheduler.start();
    try {
      await eventually(async () => (await ids('webhook_events')).length === 0, 5000);
      const lease = await new LeaseLock(database.db, 'retention', scheduler.holder).current();
      // Held for most of the period, by this scheduler.
      expect(lease?.holder).toBe(scheduler.holder);
      expect(lease!.expiresAt).toBeGreaterThan(Date.now() + 30_000);
    } finally {
      await scheduler.stop();
    }
  });

  it('runs once from the command line against the configured database', async () => {
    await install('ws');
    const young = await history('ws', 2, Date.now());
    await history('ws', 45, Date.now());
    const config = testConfig({ DATABASE_URL: target.url });
    const report = await runRetentionOnce('clockify-addon', config, logs.logger);
    expect(report.ran).toBe(true);
    expect(report.deleted.webhook_events).toBe(1);
    expect(await ids('webhook_events')).toEqual([young]);
  });
});
