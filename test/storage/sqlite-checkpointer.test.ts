/**
 * SQLite's write-ahead log is copied back into the database file by a background thread once the
 * database is written a lot, instead of by a commit on the event loop: after a burst of writes the
 * database file itself holds them, although the writer's own threshold (5,000 pages, 40 MB) was never reached.
 * Under a steady stream of commits the thread also gets the WAL started over, so it never reaches that
 * threshold and no commit stalls to copy it back.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/database.js';
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
    for (let batch = 0; batch < 30; batch++) await commitEvents(database, batch, 100);
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

  it('starts the WAL over again and again while the writer keeps committing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cap-restart-'));
    const file = join(dir, 'steady.db');
    database = await openDatabase(`sqlite:${file}`);
    const sizeBefore = statSync(file).size;
    let batch = 0;
    // Like an edition under a webhook burst: a commit every couple of milliseconds, never a pause
    // long enough for one checkpoint to end between two commits.
    const commitAndPause = async () => {
      await commitEvents(database!, batch, 20);
      batch += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    // Until the thread has copied something, the writer is on its own.
    while (statSync(file).size <= sizeBefore) await commitAndPause();

    // The WAL file keeps its length when SQLite starts it over; the salt in its header changes.
    let walStarts = 0;
    let salt = readWalSalt(`${file}-wal`);
    const steadyFrom = batch;
    // A volume, not a duration: on a loaded machine 2.5 s may carry too little to tell.
    const volume = () => (batch - steadyFrom) * 20 * PAYLOAD.length;
    while (volume() < 60 * 1024 * 1024) {
      await commitAndPause();
      const now = readWalSalt(`${file}-wal`);
      if (now !== salt) walStarts += 1;
      salt = now;
    }
    // 60 MB went through the WAL meanwhile. A single checkpoint per tick always ended behind
    // the writer: the WAL grew to the writer's own threshold (5,000 pages, 40 MB) and was started
    // over only after the writer had copied it back in a commit, about twice a second.
    // Started over again and again while the writer went on (how often depends on the machine's load).
    expect(walStarts).toBeGreaterThan(5);
    const { rows } = await sql<{ count: number }>`SELECT count(*) AS count FROM webhook_events`.execute(database.db);
    expect(Number(rows[0]!.count)).toBe(batch * 20);
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

const PAYLOAD = 'x'.repeat(2000);

/** One transaction of `count` events of 2 KB each; ids are unique per batch number. */
async function commitEvents(database: Database, batch: number, count: number) {
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i++) {
      const id = `e${batch.toString().padStart(5, '0')}${i.toString().padStart(3, '0')}`;
      await sql`INSERT INTO webhook_events (id, workspace_id, source, event_type, delivery_key, payload_json, headers_json, status, duplicates, received_at)
                VALUES (${id}, 'ws', 'clockify', 'NEW_TIME_ENTRY', ${id}, ${PAYLOAD}, '{}', 'received', 0, ${Date.now()})`.execute(trx);
    }
  });
}

/** The first salt of a WAL file's header: SQLite changes it each time it starts the WAL over. */
function readWalSalt(path: string): number {
  const header = Buffer.alloc(32);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 32, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(16);
}
