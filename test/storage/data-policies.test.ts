/**
 * Every table has a data policy (or an explicit exemption) that matches the real databases, and the
 * uninstall purge, driven by those policies, removes exactly the uninstalled workspace's rows.
 * A new table without a policy fails here, on both dialects.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/database.js';
import { lifecycleRoom } from '../../src/lifecycle/index.js';
import { JOB_PURGE_WORKSPACE } from '../../src/lifecycle/service.js';
import { DATA_POLICIES, TABLE_EXEMPTIONS, setupRooms } from '../../src/rooms.js';
import { purgedOnUninstall } from '../../src/storage/data-policies.js';
import type { AnyDataPolicy } from '../../src/storage/data-policy.js';
import type { Database } from '../../src/storage/database.js';
import { untyped } from '../../src/storage/policy-deletes.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';
import { introspectTables } from './introspect.js';
import type { TableInfo } from './introspect.js';

const WHERE_TO_DECLARE =
  "declare its data policy in its room's src/<room>/tables.ts (named in its room definition, collected in src/rooms.ts), " +
  'or add it to TABLE_EXEMPTIONS with a reason; see docs/architecture.md, "How to add a workspace table"';

/** Columns a policy names, to check each exists. */
function namedColumns(policy: AnyDataPolicy): string[] {
  const retention = policy.retention;
  return [
    ...policy.key,
    ...(policy.workspaceColumn ? [policy.workspaceColumn] : []),
    ...('timeColumn' in retention ? [retention.timeColumn] : []),
    ...(retention.class === 'workspace-history' && retention.onlyWhere ? [retention.onlyWhere.column] : []),
  ];
}

describeEachDialect('data policies', (dialect) => {
  let target: TestDatabase;
  let database: Database;
  let tables: TableInfo[];

  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect);
    database = await openDatabase(target.url);
    tables = await introspectTables(database);
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });

  it('covers every table of the migrated database with a policy or an exemption', () => {
    const declared = new Set([...DATA_POLICIES.map((policy) => policy.table), ...TABLE_EXEMPTIONS.map((exemption) => exemption.table)]);
    const missing = tables.map((table) => table.name).filter((name) => !declared.has(name));
    expect(missing.map((name) => `table "${name}" has no data policy: ${WHERE_TO_DECLARE}`)).toEqual([]);
  });

  it('declares each table once, and only tables that exist', () => {
    const names = [...DATA_POLICIES.map((policy) => policy.table), ...TABLE_EXEMPTIONS.map((exemption) => exemption.table)];
    expect(
      names.filter((name, index) => names.indexOf(name) !== index),
      'declared twice',
    ).toEqual([]);
    const existing = new Set(tables.map((table) => table.name));
    const legacy = new Set(TABLE_EXEMPTIONS.filter((exemption) => exemption.legacy).map((exemption) => exemption.table));
    expect(
      names.filter((name) => !existing.has(name) && !legacy.has(name)),
      'declared but not created by any migration',
    ).toEqual([]);
    for (const exemption of TABLE_EXEMPTIONS)
      expect(exemption.reason.trim(), `${exemption.table}: an exemption needs a reason`).not.toBe('');
  });

  it('names real columns, the real primary key, and the workspace column of every table that has one', () => {
    const problems: string[] = [];
    for (const policy of DATA_POLICIES) {
      const table = tables.find((candidate) => candidate.name === policy.table);
      if (!table) continue;
      const columns = new Set(table.columns.map((column) => column.name));
      for (const column of namedColumns(policy)) if (!columns.has(column)) problems.push(`${policy.table}: no column "${column}"`);
      if ([...policy.key].sort().join() !== [...table.primaryKey].sort().join())
        problems.push(`${policy.table}: key [${policy.key}] is not the primary key [${table.primaryKey}]`);
      if (columns.has('workspace_id') && policy.workspaceColumn === null)
        problems.push(`${policy.table}: has workspace_id but declares no workspace column`);
      if (policy.onUninstall === 'purge' && !policy.workspaceColumn)
        problems.push(`${policy.table}: purged on uninstall without a workspace column`);
      if (policy.onUninstall !== 'purge' && policy.onUninstall.keep.trim() === '')
        problems.push(`${policy.table}: kept after uninstall without a reason`);
      if (policy.retention.class === 'kept' && policy.retention.reason.trim() === '')
        problems.push(`${policy.table}: never swept without a reason`);
      if (policy.retention.class === 'workspace-history' && !policy.workspaceColumn)
        problems.push(`${policy.table}: workspace history without a workspace column`);
    }
    expect(problems).toEqual([]);
  });

  it('links children and parents both ways', () => {
    const problems: string[] = [];
    for (const parent of DATA_POLICIES) {
      for (const child of parent.children ?? []) {
        const childPolicy = DATA_POLICIES.find((policy) => policy.table === child.table);
        const childTable = tables.find((table) => table.name === child.table);
        if (!childTable?.columns.some((column) => column.name === child.column))
          problems.push(`${parent.table} → ${child.table}: no column "${child.column}"`);
        if (parent.key.length !== 1) problems.push(`${parent.table}: a parent needs a single-column key`);
        if (childPolicy?.retention.class !== 'with-parent' || childPolicy.retention.parent !== parent.table)
          problems.push(`${child.table}: retention should be { class: 'with-parent', parent: '${parent.table}' }`);
      }
    }
    for (const policy of DATA_POLICIES) {
      if (policy.retention.class !== 'with-parent') continue;
      const parent = DATA_POLICIES.find((candidate) => candidate.table === (policy.retention as { parent: string }).parent);
      if (!parent?.children?.some((child) => child.table === policy.table))
        problems.push(`${policy.table}: its parent does not list it in children`);
    }
    expect(problems).toEqual([]);
  });
});

/** Values that satisfy a column's own rules, where a generic value would not (none needed so far). */
const KNOWN_VALUES: Record<string, Record<string, unknown>> = {};

/**
 * One row of `table` for `workspace`, filling the key and every NOT NULL column without a default. Values are the
 * same for both workspaces except the workspace column and primary-key columns that must differ, so
 * a purge deleting by a wrong (non-unique) key also takes the other workspace's row.
 */
function sampleRow(table: TableInfo, policy: AnyDataPolicy, workspace: string, index: number): Record<string, unknown> {
  const keyIncludesWorkspace = policy.workspaceColumn !== null && table.primaryKey.includes(policy.workspaceColumn);
  const row: Record<string, unknown> = {};
  for (const column of table.columns) {
    const distinct = table.primaryKey.includes(column.name) && !keyIncludesWorkspace;
    const numeric = /int|numeric|real|double/.test(column.type);
    if (column.name === policy.workspaceColumn) row[column.name] = workspace;
    else if (KNOWN_VALUES[table.name]?.[column.name] !== undefined) row[column.name] = KNOWN_VALUES[table.name]![column.name];
    // SQLite lets a TEXT PRIMARY KEY hold NULL, so key columns are always filled.
    else if ((!column.notNull || column.hasDefault) && !table.primaryKey.includes(column.name)) continue;
    // Instants (`…_at`) in the future: nothing here is old or expired.
    else if (numeric) row[column.name] = distinct ? index : column.name.endsWith('_at') ? Date.now() + 86_400_000 : 7;
    else row[column.name] = distinct ? `${workspace}-${column.name}` : `shared-${column.name}`;
  }
  return row;
}

describeEachDialect('uninstall purge by policy', (dialect) => {
  let t: TestRuntime;
  const kept = 'ws-kept';
  const gone = 'ws-gone';

  beforeAll(async () => {
    // Only the lifecycle room (its purge handler): no retention timer sweeping rows meanwhile.
    t = await createTestRuntime('clockify-addon', {
      dialect,
      buildApp: async (runtime) => {
        await setupRooms(runtime, [lifecycleRoom]);
        return Fastify();
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("deletes every purged table's rows of the uninstalled workspace and keeps the other workspace's", async () => {
    const database = t.runtime.database;
    const db = untyped(database.db);
    const tables = await introspectTables(database);
    const now = Date.now();
    for (const workspace of [kept, gone]) {
      await database.db
        .insertInto('installations')
        .values({
          workspace_id: workspace,
          addon_id: `addon-${workspace}`,
          addon_key: 'clockify-addon',
          status: workspace === gone ? 'DELETED' : 'ACTIVE',
          token_ciphertext: null,
          owner_user_id: null,
          backend_url: 'http://x',
          reports_url: null,
          api_url: null,
          claims_json: '{}',
          settings_json: '{}',
          last_lifecycle_at: 0,
          installed_at: now,
          updated_at: now,
          deleted_at: workspace === gone ? now : null,
        })
        .execute();
    }
    const purged = purgedOnUninstall(DATA_POLICIES);
    expect(purged.length).toBeGreaterThan(0);
    for (const policy of purged) {
      const table = tables.find((candidate) => candidate.name === policy.table)!;
      for (const [index, workspace] of [kept, gone].entries()) {
        await db
          .insertInto(policy.table)
          .values(sampleRow(table, policy, workspace, index + 1))
          .execute();
      }
    }

    const purge = t.runtime.jobHandlers[JOB_PURGE_WORKSPACE]!;
    await purge(
      { id: 1, kind: JOB_PURGE_WORKSPACE, workspaceId: gone, payload: {}, attempts: 1, maxAttempts: 1, lockedBy: 'test' },
      { signal: new AbortController().signal, logger: t.runtime.logger },
    );

    const left: Record<string, string[]> = {};
    for (const policy of purged) {
      const rows = await db.selectFrom(policy.table).select(policy.workspaceColumn!).execute();
      left[policy.table] = rows.map((row) => String(row[policy.workspaceColumn!]));
    }
    expect(left).toEqual(Object.fromEntries(purged.map((policy) => [policy.table, [kept]])));
  });
});
