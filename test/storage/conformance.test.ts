import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DATA_POLICIES, MIGRATIONS, TABLE_EXEMPTIONS } from '../../src/rooms.js';
import { lockKey, migrate, openDatabase as openStorage, pendingMigrations } from '../../src/storage/database.js';
import type { Database, OpenDatabaseOptions } from '../../src/storage/database.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';

/** Every table some room declares (its data policy) or exempts: the migrations must create them all. */
const TABLES = [
  ...DATA_POLICIES.map((policy) => policy.table),
  ...TABLE_EXEMPTIONS.filter((exemption) => !exemption.legacy).map((exemption) => exemption.table),
];
/** In the order Kysely's Migrator applies them: by their NNN prefix. */
const MIGRATION_NAMES = MIGRATIONS.map((migration) => migration.name).sort();

const openDatabase = (url: string, options: Partial<OpenDatabaseOptions> = {}) => openStorage(url, { migrations: MIGRATIONS, ...options });

/** Past 2^31 ms (1970-01-25) every epoch-ms value is; this one is in 2030. */
const EPOCH_MS = 1_900_000_000_123;

/** Waits (bounded) until `condition` holds; for state another connection reaches at its own pace. */
async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describeEachDialect('storage migrations', (dialect) => {
  let target: TestDatabase;
  const opened: Database[] = [];
  const open = async (options?: Partial<OpenDatabaseOptions>) => {
    const database = await openDatabase(target.url, options);
    opened.push(database);
    return database;
  };

  beforeEach(async () => {
    target = await createTestDatabaseUrl(dialect);
  });
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    await target.drop();
  });

  it('applies every migration once; opening again applies none', async () => {
    const fresh = await open({ migrate: false });
    expect(fresh.dialect).toBe(dialect);
    expect(await pendingMigrations(fresh)).toEqual(MIGRATION_NAMES);
    expect(await migrate(fresh)).toEqual(MIGRATION_NAMES);
    expect(await pendingMigrations(fresh)).toEqual([]);
    await fresh.close();
    opened.splice(opened.indexOf(fresh), 1);

    const again = await open();
    expect(await migrate(again)).toEqual([]);
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(again.db);
    expect(rows.rows.map((row) => row.name).sort()).toEqual(MIGRATION_NAMES);
  });

  it('creates every table', async () => {
    const database = await open();
    const tables = (await database.db.introspection.getTables({ withInternalKyselyTables: true })).map((table) => table.name);
    for (const table of TABLES) expect(tables, table).toContain(table);
  });

  // Only PostgreSQL is shared by several instances; a SQLite file belongs to one process.
  if (dialect === 'postgres')
    it('lets instances starting together migrate the same database', async () => {
      const [first, second] = await Promise.all([open(), open()]);
      expect(await pendingMigrations(first!)).toEqual([]);
      expect(await pendingMigrations(second!)).toEqual([]);
    });
});

describeEachDialect('storage conformance', (dialect) => {
  let target: TestDatabase;
  let database: Database;

  // One migrated database per dialect; each test uses its own keys or empties what it reads.
  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect);
    database = await openDatabase(target.url);
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });
  beforeEach(async () => {
    for (const table of ['entity_cache', 'jobs', 'webhook_dedup', 'locks'] as const) await database.db.deleteFrom(table).execute();
  });

  it('round-trips epoch milliseconds beyond 32 bits as numbers, and JSON text byte for byte', async () => {
    const { db } = database;
    const json = JSON.stringify({ name: 'Zoë – 東京 🚀', nested: { list: [1, 2.5, null, true], quote: 'say "hi"\\n' } });
    await db
      .insertInto('entity_cache')
      .values({
        workspace_id: 'ws-1',
        entity_type: 'project',
        entity_id: 'p-1',
        data_json: json,
        fetched_at: EPOCH_MS,
        expires_at: EPOCH_MS + 7 * 86_400_000,
      })
      .execute();
    const row = await db.selectFrom('entity_cache').selectAll().where('entity_id', '=', 'p-1').executeTakeFirstOrThrow();
    expect(row.fetched_at).toBe(EPOCH_MS);
    expect(typeof row.fetched_at).toBe('number');
    expect(row.expires_at).toBe(EPOCH_MS + 7 * 86_400_000);
    expect(row.data_json).toBe(json);
    expect(JSON.parse(row.data_json)).toEqual(JSON.parse(json));

    // Comparisons happen in the database on the full 64-bit value.
    const later = await db
      .selectFrom('entity_cache')
      .select('entity_id')
      .where('fetched_at', '>', EPOCH_MS - 1)
      .execute();
    expect(later).toHaveLength(1);
    const none = await db.selectFrom('entity_cache').select('entity_id').where('fetched_at', '>', EPOCH_MS).execute();
    expect(none).toHaveLength(0);
  });

  it('returns generated job ids as numbers', async () => {
    const { db } = database;
    const inserted = await db
      .insertInto('jobs')
      .values({
        kind: 'k',
        workspace_id: 'ws',
        payload_json: '{}',
        status: 'pending',
        priority: 0,
        attempts: 0,
        max_attempts: 3,
        run_at: EPOCH_MS,
        created_at: EPOCH_MS,
        updated_at: EPOCH_MS,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(typeof inserted.id).toBe('number');
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
    expect(row.run_at).toBe(EPOCH_MS);
    expect(row.priority).toBe(0);
  });

  it('refuses a second webhook_dedup row for the same delivery key', async () => {
    const { db } = database;
    const row = { delivery_key: 'delivery-1', event_id: 'e-1', first_seen_at: EPOCH_MS };
    await db.insertInto('webhook_dedup').values(row).execute();
    await expect(
      db
        .insertInto('webhook_dedup')
        .values({ ...row, event_id: 'e-2' })
        .execute(),
    ).rejects.toThrow();

    const ignored = await db
      .insertInto('webhook_dedup')
      .values({ ...row, event_id: 'e-3' })
      .onConflict((oc) => oc.column('delivery_key').doNothing())
      .returning('event_id')
      .executeTakeFirst();
    expect(ignored).toBeUndefined();
    const stored = await db.selectFrom('webhook_dedup').selectAll().execute();
    expect(stored).toEqual([row]);
  });

  it('keeps one active job per dedupe key, and allows a new one once it is done', async () => {
    const { db } = database;
    const job = (status: 'pending' | 'running' | 'done') => ({
      kind: 'bootstrap',
      workspace_id: 'ws-1',
      payload_json: '{}',
      status,
      priority: 0,
      attempts: 0,
      max_attempts: 3,
      run_at: EPOCH_MS,
      dedupe_key: 'bootstrap:ws-1',
      created_at: EPOCH_MS,
      updated_at: EPOCH_MS,
    });
    const insert = (status: 'pending' | 'running' | 'done') =>
      db
        .insertInto('jobs')
        .values(job(status))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();

    const first = await insert('pending');
    expect(first?.id).toBeDefined();
    expect(await insert('pending')).toBeUndefined();
    await db.updateTable('jobs').set({ status: 'running' }).where('id', '=', first!.id).execute();
    expect(await insert('pending')).toBeUndefined();

    await db.updateTable('jobs').set({ status: 'done' }).where('id', '=', first!.id).execute();
    const second = await insert('pending');
    expect(second?.id).toBeDefined();
    expect(second!.id).not.toBe(first!.id);
    // Finished jobs never conflict with each other.
    expect(await insert('done')).toBeDefined();

    const active = await db
      .selectFrom('jobs')
      .select('id')
      .where('dedupe_key', '=', 'bootstrap:ws-1')
      .where('status', 'in', ['pending', 'running'])
      .execute();
    expect(active).toEqual([{ id: second!.id }]);
  });

  it('rolls back a failed transaction completely', async () => {
    const { db } = database;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('locks').values({ name: 'a', holder: 'h', expires_at: EPOCH_MS }).execute();
        await trx.insertInto('locks').values({ name: 'a', holder: 'h2', expires_at: EPOCH_MS }).execute();
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom('locks').selectAll().execute()).toEqual([]);
  });

  if (dialect === 'postgres') {
    it('lockKey makes a second transaction on the same key wait for the first, and leaves other keys free', async () => {
      const { db } = database;
      const order: string[] = [];
      const firstHolds = deferred();
      const releaseFirst = deferred();

      const first = db.transaction().execute(async (trx) => {
        await lockKey(trx, 'postgres', 'workspace-1');
        order.push('first locked');
        firstHolds.resolve();
        await releaseFirst.promise;
        order.push('first commits');
      });
      await firstHolds.promise;

      const second = db.transaction().execute(async (trx) => {
        await lockKey(trx, 'postgres', 'workspace-1');
        order.push('second locked');
      });
      // Deterministic: PostgreSQL itself reports the second transaction waiting for the advisory lock.
      await eventually(async () => {
        const waiting = await sql<{
          count: number;
        }>`SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.execute(db);
        return (waiting.rows[0]?.count ?? 0) > 0;
      }, 'the second transaction waits for the lock');

      await db.transaction().execute(async (trx) => {
        await lockKey(trx, 'postgres', 'workspace-2');
        order.push('other key locked');
      });
      expect(order).toEqual(['first locked', 'other key locked']);

      releaseFirst.resolve();
      await Promise.all([first, second]);
      expect(order).toEqual(['first locked', 'other key locked', 'first commits', 'second locked']);
    });
  } else {
    it('lockKey is a harmless no-op inside a SQLite transaction', async () => {
      const { db } = database;
      await db.transaction().execute(async (trx) => {
        await lockKey(trx, 'sqlite', 'workspace-1');
        await trx.insertInto('locks').values({ name: 'n', holder: 'h', expires_at: EPOCH_MS }).execute();
      });
      expect(await db.selectFrom('locks').select('name').execute()).toEqual([{ name: 'n' }]);
    });
  }
});
