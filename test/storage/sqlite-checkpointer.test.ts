/**
 * SQLite's write-ahead log is copied back into the database file by a background thread once the
 * database is written a lot, instead of by a commit on the event loop: after a burst of writes the
 * database file itself holds them, although the writer's own threshold (5,000 pages, 40 MB) was never reached.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/database.js';
import { eventually } from '../helpers/stack.js';

describe('SQLite checkpoints off the event loop', () => {
  let dir: string;
  let database: Database | undefined;

  afterEach(async () => {
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the database file current from the WAL after a burst of writes, and stops with the database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cap-checkpoint-'));
    const file = join(dir, 'burst.db');
    database = await openDatabase(`sqlite:${file}`);
    const sizeBefore = statSync(file).size;

    // About 6 MB of events in a few transactions: past the thread's 4 MB start, far below the writer's 40 MB.
    const payload = 'x'.repeat(2000);
    for (let batch = 0; batch < 30; batch++) {
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 100; i++) {
          const id = `e${batch.toString().padStart(3, '0')}${i.toString().padStart(3, '0')}`;
          await sql`INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json, status, duplicates, received_at)
                    VALUES (${id}, 'ws', 'clockify', 'NEW_TIME_ENTRY', ${id}, ${payload}, '{}', 'received', 0, ${Date.now()})`.execute(trx);
        }
      });
    }
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
    // Nobody here checkpoints: the file grows only if the background thread copies the WAL into it.
    await eventually(() => statSync(file).size > sizeBefore + 5 * 1024 * 1024, 10_000);
    const { rows } = await sql<{ count: number }>`SELECT count(*) AS count FROM webhook_events`.execute(database.db);
    expect(Number(rows[0]!.count)).toBe(3000);

    await database.close();
    database = undefined;
    // Closed: a new connection sees every row, from the file and what is left of the WAL.
    const reopened = await openDatabase(`sqlite:${file}`, { migrate: false });
    try {
      const again = await sql<{ count: number }>`SELECT count(*) AS count FROM webhook_events`.execute(reopened.db);
      expect(Number(again.rows[0]!.count)).toBe(3000);
    } finally {
      await reopened.close();
    }
  }, 30_000);

  it('makes new databases with 8 KB pages and keeps the page size of an existing one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cap-pages-'));
    const pageSize = async (db: Database) => Number((await sql<{ page_size: number }>`PRAGMA page_size`.execute(db.db)).rows[0]!.page_size);
    database = await openDatabase(`sqlite:${join(dir, 'new.db')}`);
    expect(await pageSize(database)).toBe(8192);
    await database.close();

    // A database an earlier release made (SQLite's 4 KB default) is opened as it is.
    const SQLite = (await import('better-sqlite3')).default;
    const old = new SQLite(join(dir, 'old.db'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE kept (id INTEGER PRIMARY KEY)');
    old.close();
    database = await openDatabase(`sqlite:${join(dir, 'old.db')}`);
    expect(await pageSize(database)).toBe(4096);
  });
});
