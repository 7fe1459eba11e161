/**
 * Test databases for both dialects the product supports.
 *
 *   describeEachDialect('my store', (dialect) => {
 *     let db: { url: string; drop(): Promise<void> };
 *     beforeEach(async () => { db = await createTestDatabaseUrl(dialect); });
 *     afterEach(async () => db.drop());
 *     it('…', async () => { const database = await openDatabase(db.url); … });
 *   });
 *
 * PostgreSQL is expected at postgres://postgres@127.0.0.1:5432/postgres (TEST_POSTGRES_URL overrides it).
 * When it is unreachable the postgres block is skipped on a laptop, but fails under CI (CI=true), so a
 * broken CI service can never turn into a silently green run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import type { Dialect } from '../../src/storage/migrations/index.js';

export type { Dialect };

export const dialects: Dialect[] = ['sqlite', 'postgres'];

/** Maintenance database used to create and drop the per-test databases. */
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let pgProbe: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers (probed once per test file). */
export function pgAvailable(): Promise<boolean> {
  pgProbe ??= (async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 1500 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgProbe;
}

/** A fresh, empty database of the dialect; `drop()` removes it (files or the PostgreSQL database). */
export async function createTestDatabaseUrl(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cap-sqlite-'));
    return {
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE ends connections a test forgot to close, so one leak cannot pile up databases.
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// Probed at import so describe blocks can be chosen synchronously while vitest collects them.
const postgresReachable = await pgAvailable();
let skipNoticeShown = false;

/** `describe(`${name} [dialect]`, …)` once per dialect, with the CI-fails / laptop-skips rule for PostgreSQL. */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of dialects) {
    const title = `${name} [${dialect}]`;
    if (dialect === 'postgres' && !postgresReachable) {
      if (process.env.CI === 'true') {
        describe(title, () => {
          it('needs PostgreSQL', () => {
            throw new Error(`PostgreSQL is required under CI but ${postgresAdminUrl} is unreachable`);
          });
        });
      } else {
        if (!skipNoticeShown) {
          skipNoticeShown = true;
          console.warn(
            `[tests] PostgreSQL at ${postgresAdminUrl} is unreachable: skipping the postgres variants (they fail under CI=true).`,
          );
        }
        describe.skip(title, () => fn(dialect));
      }
      continue;
    }
    describe(title, () => fn(dialect));
  }
}
