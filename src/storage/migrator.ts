import { Migrator, sql } from 'kysely';
import type { Kysely, MigrationProvider, Migration as KyselyMigration } from 'kysely';
import type { Dialect, Migration } from './migrations/types.js';

/** Migrations and the adoption run against tables the schema types do not describe (yet). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKysely = Kysely<any>;

/** Kysely's own bookkeeping tables (its defaults, named here for the data-policy exemptions). */
export const MIGRATION_TABLE = 'kysely_migration';
export const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';
/** Where the runner before Kysely's Migrator recorded applied migrations; read once to adopt them. */
export const LEGACY_MIGRATION_TABLE = 'schema_migrations';

const NAME_PATTERN = /^(\d{3})-[a-z0-9-]+$/;

/**
 * The rooms' migrations as Kysely's MigrationProvider: one global order by the NNN prefix of the
 * name, whichever room holds the file. Two migrations with one number (two branches that both took
 * "the next free" one) or a name without a number fail here, at start-up, instead of applying in a
 * surprising order.
 */
export class RoomMigrationProvider implements MigrationProvider {
  constructor(
    private readonly migrations: readonly Migration[],
    private readonly dialect: Dialect,
  ) {
    checkMigrationNames(migrations);
  }

  async getMigrations(): Promise<Record<string, KyselyMigration>> {
    const dialect = this.dialect;
    return Object.fromEntries(this.migrations.map((migration) => [migration.name, { up: (db: AnyKysely) => migration.up(db, dialect) }]));
  }
}

/** Throws on a malformed name or a number used twice; returns the names in the order they apply. */
export function checkMigrationNames(migrations: readonly Migration[]): string[] {
  const byNumber = new Map<string, string>();
  for (const { name } of migrations) {
    const number = NAME_PATTERN.exec(name)?.[1];
    if (!number) throw new Error(`migration "${name}" must be named NNN-lowercase-words (e.g. 008-flow-tags)`);
    const other = byNumber.get(number);
    if (other) throw new Error(`migrations "${other}" and "${name}" share the number ${number}: renumber the newer one`);
    byNumber.set(number, name);
  }
  return [...byNumber.keys()].sort().map((number) => byNumber.get(number)!);
}

export function createMigrator(db: AnyKysely, dialect: Dialect, migrations: readonly Migration[]): Migrator {
  return new Migrator({
    db,
    provider: new RoomMigrationProvider(migrations, dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/**
 * A database migrated by the runner before Kysely's Migrator lists its applied migrations in
 * `schema_migrations`. They are recorded in Kysely's table (same names, their original times) so
 * none runs twice; `schema_migrations` stays, unread, for an older instance still running during a
 * rolling upgrade. On PostgreSQL under the advisory lock the old runner took, so an old instance
 * migrating meanwhile waits.
 */
export async function adoptLegacyMigrations(db: AnyKysely, dialect: Dialect): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727274)`.execute(trx);
    const tables = new Set((await trx.introspection.getTables({ withInternalKyselyTables: true })).map((table) => table.name));
    if (!tables.has(LEGACY_MIGRATION_TABLE)) return [];
    await trx.schema
      .createTable(MIGRATION_TABLE)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (col) => col.notNull())
      .execute();
    const legacy = (await sql<{ name: string; applied_at: number | string }>`SELECT name, applied_at FROM schema_migrations`.execute(trx))
      .rows;
    const known = new Set((await trx.selectFrom(MIGRATION_TABLE).select('name').execute()).map((row) => row.name as string));
    const adopted = legacy.filter((row) => !known.has(row.name));
    for (const row of adopted) {
      await trx
        .insertInto(MIGRATION_TABLE)
        .values({ name: row.name, timestamp: new Date(Number(row.applied_at)).toISOString() })
        .execute();
    }
    return adopted.map((row) => row.name);
  });
}
