import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Transaction } from 'kysely';
import pg from 'pg';
import { MIGRATION_TABLE, adoptLegacyMigrations, createMigrator } from './migrator.js';
import { StorageHealth } from './availability.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import type { Checkpointer } from './sqlite-checkpointer.js';
import type { Dialect, Migration } from './migrations/types.js';
import type { DatabaseSchema } from './schema.js';

// int8 columns (epoch milliseconds, counters) come back as strings by default; they fit in a double.
pg.types.setTypeParser(20, (value) => Number(value));

export type Db = Kysely<DatabaseSchema>;
export type Tx = Transaction<DatabaseSchema>;

export interface Database {
  db: Db;
  dialect: Dialect;
  /** SQLite only: the connection itself, for hot paths that run without the query layer. */
  sqlite?: SqliteAccess;
  /** The URL with any password removed, for logs. */
  description: string;
  /** Every room's migrations (src/rooms.ts collects them); `migrate` applies the pending ones. */
  migrations: readonly Migration[];
  /** Whether the database takes writes now (see availability.ts); /ready and the webhook answers follow it. */
  health: StorageHealth;
  /**
   * A check that the database can take a write now: PostgreSQL answers a query; SQLite commits a
   * small write (a full disk or a read-only file fails it).
   */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}

export interface SqliteAccess {
  /**
   * Runs `fn` on the connection while holding the query layer's lock on it, so no transaction of
   * the query layer is open meanwhile. `fn` must be synchronous.
   */
  exclusive<T>(fn: (connection: SQLite.Database) => T): Promise<T>;
  /**
   * SQLite's data_version: it changes when another connection (another instance, another thread)
   * commits. Read under the lock: inside a transaction it would be that transaction's snapshot.
   */
  dataVersion(): Promise<number>;
}

export interface OpenDatabaseOptions {
  /** The migrations this database follows (every room's, see src/database.ts); applied unless `migrate` is false. */
  migrations: readonly Migration[];
  migrate?: boolean;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export async function openDatabase(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const database = {
    ...(url.startsWith('postgres') ? openPostgres(url, options.poolSize ?? 10) : openSqlite(url)),
    migrations: options.migrations,
  };
  try {
    if (options.migrate !== false) await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Page size of databases this creates. */
const SQLITE_PAGE_SIZE = 8192;
/** WAL pages after which a commit checkpoints by itself, should the checkpointer thread fall behind or not run. */
const WRITER_CHECKPOINT_PAGES = 5_000;
/** WAL size from which the checkpointer thread is worth its memory (a few MB). */
const CHECKPOINTER_FROM_BYTES = 4 * 1024 * 1024;
/**
 * How often the WAL's size is looked at. A webhook burst from idle writes tens of MB of WAL a second;
 * until the thread runs, the writer copies it back in its own commit (45 ms at 40 MB).
 */
const CHECKPOINTER_POLL_MS = 250;
/** The thread stops after the WAL has not been written for this long. */
const CHECKPOINTER_IDLE_MS = 60_000;

/**
 * Runs the checkpointer thread (sqlite-checkpointer.ts) only while the database is written a lot: an
 * idle edition does not pay for the thread, a burst gets it within a quarter of a second.
 */
function checkpointWhenBusy(location: string): { stop(): Promise<void> } {
  let checkpointer: Checkpointer | undefined;
  let lastWrite = 0;
  const timer = setInterval(() => {
    let wal;
    try {
      wal = statSync(`${location}-wal`);
    } catch {
      return;
    }
    if (wal.mtimeMs !== lastWrite) lastWrite = wal.mtimeMs;
    if (!checkpointer && wal.size >= CHECKPOINTER_FROM_BYTES && Date.now() - lastWrite < CHECKPOINTER_IDLE_MS)
      checkpointer = startCheckpointer(location);
    else if (checkpointer && Date.now() - lastWrite >= CHECKPOINTER_IDLE_MS) {
      void checkpointer.stop();
      checkpointer = undefined;
    }
  }, CHECKPOINTER_POLL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await checkpointer?.stop();
    },
  };
}

function openSqlite(url: string): Omit<Database, 'migrations'> {
  const location = url === ':memory:' || url === 'sqlite::memory:' ? ':memory:' : resolve(url.replace(/^sqlite:(\/\/)?/, ''));
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const connection = new SQLite(location);
  // Takes effect only for a new database (before WAL is on). A commit of webhooks writes fewer, larger
  // pages: 7% less time per stored webhook than with SQLite's 4 KB default (bench/RESULTS.md).
  connection.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  connection.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash or power loss can lose the last commits.
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  if (location !== ':memory:') {
    // The checkpointer thread (below) copies the WAL back; the writer only does it itself past 40 MB of WAL (20 MB in a database made with 4 KB pages).
    connection.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  }
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
  const dataVersion = connection.prepare('PRAGMA data_version').pluck();
  const checkpointing = location !== ':memory:' ? checkpointWhenBusy(location) : undefined;
  const exclusive: SqliteAccess['exclusive'] = (fn) => db.connection().execute(async () => fn(connection));
  const probeWrite = () => exclusive((c) => sqliteWriteProbe(c));
  const health = new StorageHealth(probeWrite);
  return {
    db,
    dialect: 'sqlite',
    sqlite: { exclusive, dataVersion: () => db.connection().execute(async () => dataVersion.get() as number) },
    description: `sqlite:${location}`,
    health,
    probeWrite,
    close: async () => {
      health.stop();
      await checkpointing?.stop();
      await db.destroy();
    },
  };
}

/** Bytes the SQLite write probe commits (and removes in the same commit): a few pages, so a full file fails it. */
const SQLITE_PROBE_BYTES = 4 * SQLITE_PAGE_SIZE;

/**
 * Commits a write of a few pages and takes it back in the same transaction: fails with SQLITE_FULL
 * when the disk (or max_page_count) leaves no room, SQLITE_READONLY when the file cannot be written.
 */
function sqliteWriteProbe(connection: SQLite.Database): void {
  connection
    .transaction(() => {
      connection
        .prepare('INSERT INTO locks (name, holder, expires_at) VALUES (?, ?, 0) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder')
        .run('storage-probe', 'x'.repeat(SQLITE_PROBE_BYTES));
      connection.prepare('DELETE FROM locks WHERE name = ?').run('storage-probe');
    })
    .immediate();
}

/**
 * Kysely prepares every statement anew; preparing costs more than running most of ours. The same SQL
 * text is prepared once and reused (better-sqlite3 statements are reusable; nothing here streams
 * results, which would keep a statement busy).
 */
function withStatementCache(connection: SQLite.Database, limit = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** How long a new PostgreSQL connection may take before the query fails (and the caller answers 503). */
const POSTGRES_CONNECT_TIMEOUT_MS = 5000;

function openPostgres(url: string, poolSize: number): Omit<Database, 'migrations'> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // The pool listens on idle clients only. A checked-out client whose session ends (pg_terminate_backend,
  // a failover, a restart) emits 'error' too, and an EventEmitter error nobody listens to ends the process.
  // Its query fails on its own; the pool drops the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  const probeWrite = async () => {
    await sql`SELECT 1`.execute(db);
  };
  const health = new StorageHealth(probeWrite);
  return {
    db,
    dialect: 'postgres',
    description: redactUrl(url),
    health,
    probeWrite,
    close: async () => {
      health.stop();
      await db.destroy();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * Applies pending migrations with Kysely's Migrator (its own lock: PostgreSQL instances starting
 * together do not race), after adopting what the runner before it recorded. Returns the names applied.
 */
export async function migrate(database: Database): Promise<string[]> {
  await adoptLegacyMigrations(database.db, database.dialect);
  const { results, error } = await createMigrator(database.db, database.dialect, database.migrations).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * Names of migrations not yet applied (for /ready, so one cheap query rather than the Migrator's
 * introspection); all of them when the state cannot be read.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const names = database.migrations.map((migration) => migration.name).sort();
  try {
    const done = new Set(
      (await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(database.db)).rows.map((row) => row.name),
    );
    return names.filter((name) => !done.has(name));
  } catch {
    return names;
  }
}

/**
 * Serialises work on one key (a workspace) across instances for the rest of the transaction.
 * SQLite needs nothing: it admits one writer at a time and one process owns the file.
 */
export async function lockKey(trx: Tx, dialect: Dialect, key: string): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
