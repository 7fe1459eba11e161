/**
 * Kysely's Migrator over the rooms' migrations: every migration file under src/ is collected, numbers
 * are unique, and a database the runner before it (`schema_migrations`) migrated is adopted in place:
 * nothing runs twice, its data stays, and later migrations apply.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/resources.js';
import { MIGRATIONS } from '../../src/rooms.js';
import { migrate, openDatabase, pendingMigrations } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/database.js';
import type { Migration } from '../../src/storage/migrations/types.js';
import { checkMigrationNames } from '../../src/storage/migrator.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { TestDatabase } from '../helpers/databases.js';

const SRC = join(projectRoot, 'src');

/** Every `NNN-name.ts` in a `migrations` folder under src/, with the migrations it exports. */
async function migrationFiles(): Promise<{ file: string; names: string[] }[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\/migrations\/\d{3}-[^/]+\.ts$/.test(path)) files.push(path);
    }
  };
  walk(SRC);
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const names = Object.values(module)
        .filter((value): value is Migration => typeof value === 'object' && value !== null && typeof (value as Migration).up === 'function')
        .map((migration) => migration.name);
      return { file: file.slice(projectRoot.length + 1), names };
    }),
  );
}

describe('migration collection', () => {
  it('collects every migration file of every room (a file left out of its room definition fails here)', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThanOrEqual(7);
    const collected = new Set(MIGRATIONS.map((migration) => migration.name));
    const missing = files.flatMap(({ file, names }) =>
      names.length === 0
        ? [`${file} exports no migration`]
        : names.filter((name) => !collected.has(name)).map((name) => `${file}: ${name} is not in its room's \`migrations\``),
    );
    expect(missing).toEqual([]);
  });

  it('names each migration after its file and gives each number to one migration', async () => {
    for (const { file, names } of await migrationFiles())
      expect(
        names.map((name) => `${name}.ts`),
        file,
      ).toEqual([file.split('/').pop()]);
    expect(() => checkMigrationNames(MIGRATIONS)).not.toThrow();
  });

  it('refuses two migrations with one number and a name without a number', () => {
    const up = async () => undefined;
    expect(() =>
      checkMigrationNames([
        { name: '008-flow-tags', up },
        { name: '008-audit-log', up },
      ]),
    ).toThrow('migrations "008-flow-tags" and "008-audit-log" share the number 008');
    expect(() => checkMigrationNames([{ name: 'flow-tags', up }])).toThrow('must be named NNN-lowercase-words');
  });
});

/** The runner before Kysely's Migrator, as it shipped: one transaction, a lock, `schema_migrations`. */
async function migrateTheOldWay(database: Database, migrations: readonly Migration[]): Promise<void> {
  const { db, dialect } = database;
  await db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727274)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at ${sql.raw(dialect === 'postgres' ? 'bigint' : 'integer')} NOT NULL)`.execute(
      trx,
    );
    for (const migration of migrations) {
      await migration.up(trx, dialect);
      await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${migration.name}, ${Date.now()})`.execute(trx);
    }
  });
}

describeEachDialect('adopting a database migrated before the Migrator', (dialect) => {
  let target: TestDatabase;
  const opened: Database[] = [];
  const open = async (migrations: readonly Migration[], options: { migrate?: boolean } = {}) => {
    const database = await openDatabase(target.url, { migrations, ...options });
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

  it('records the applied migrations, keeps the data, runs none again and applies the new ones', async () => {
    const old = await open(MIGRATIONS, { migrate: false });
    // The old runner applied its list in order: 001, 002, …
    await migrateTheOldWay(old, MIGRATIONS);
    await old.db
      .insertInto('installations')
      .values({
        workspace_id: 'ws-1',
        addon_id: 'addon-1',
        addon_key: 'clockify-addon',
        status: 'ACTIVE',
        token_ciphertext: null,
        owner_user_id: null,
        backend_url: 'http://x',
        reports_url: null,
        api_url: null,
        claims_json: '{}',
        settings_json: '{}',
        last_lifecycle_at: 0,
        installed_at: 1,
        updated_at: 1,
        deleted_at: null,
      })
      .execute();
    await old.close();
    opened.splice(opened.indexOf(old), 1);

    let runs = 0;
    const later: Migration = { name: '999-later', up: async () => void (runs += 1) };
    // Opening migrates: a migration run again would fail (its tables exist) and stop the open.
    const upgraded = await open([...MIGRATIONS, later]);
    expect(runs).toBe(1);
    expect(await pendingMigrations(upgraded)).toEqual([]);
    const recorded = (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(upgraded.db)).rows.map(
      (row) => row.name,
    );
    expect(recorded).toEqual([...MIGRATIONS.map((migration) => migration.name).sort(), '999-later']);
    expect((await upgraded.db.selectFrom('installations').select('workspace_id').execute()).map((row) => row.workspace_id)).toEqual([
      'ws-1',
    ]);

    // Opening again adopts nothing more and runs nothing.
    expect(await migrate(upgraded)).toEqual([]);
    expect(runs).toBe(1);
  });
});
