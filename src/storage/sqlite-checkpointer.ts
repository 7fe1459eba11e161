import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the database file from a thread of its own. SQLite otherwise does this
 * inside whichever commit crosses the threshold, stalling the event loop for milliseconds (the copy
 * and its fsync) in the middle of a webhook burst. PASSIVE never blocks the writer; the writer's own
 * auto-checkpoint stays on at a higher threshold as a safety net.
 *
 * Copying is not enough: SQLite starts the WAL over only in a write transaction that begins when
 * every frame is already in the database. One checkpoint per tick always ends behind a writer that
 * commits every few milliseconds, so the WAL grew to the writer's threshold and the writer
 * checkpointed in its commit after all: 6–13 ms stalls every quarter second under a burst
 * (bench/RESULTS.md). Each tick therefore copies what arrived during its own copy, round after
 * round, until the writer has started the WAL over.
 *
 * One thread serves every SQLite database of the process (the three editions of `npm start` share
 * it), and it is small: a timer and one connection per file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const connections = new Map();
const pause = new Int32Array(new SharedArrayBuffer(4));
const lastLog = new Map();
function catchUp(file, db) {
  let previous = -1;
  for (let round = 0; round < workerData.maxRounds; round++) {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // Nothing committed since the last tick, all of it copied: the writer starts over when it next writes.
    const idle = round === 0 && result.log === lastLog.get(file) && result.checkpointed === result.log;
    lastLog.set(file, result.log);
    if (idle || result.busy || result.log === 0 || result.log < previous) return;
    // Every frame is in the database and none came since: the writer restarts the WAL in its next
    // transaction, unless one that began before this copy ended commits first. Look again shortly.
    if (result.log === previous) Atomics.wait(pause, 0, 0, 1);
    previous = result.log;
  }
}
setInterval(() => {
  for (const [file, db] of connections) {
    try { catchUp(file, db); } catch { /* busy or gone: the next tick tries again */ }
  }
}, workerData.intervalMs);
parentPort.on('message', ({ type, file }) => {
  if (type === 'add' && !connections.has(file)) {
    try {
      const db = new SQLite(file);
      db.pragma('busy_timeout = 0');
      connections.set(file, db);
    } catch { /* the writer still checkpoints by itself */ }
  }
  if (type === 'remove') {
    try { connections.get(file)?.close(); } catch {}
    connections.delete(file);
    lastLog.delete(file);
    parentPort.postMessage({ type: 'removed', file });
  }
});
`;

const INTERVAL_MS = 50;
/** Checkpoints per tick at most; each after the first copies only the last few commits, or waits 1 ms. */
const MAX_ROUNDS = 10;

let thread: Worker | undefined;
const files = new Map<string, number>();

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string): Checkpointer {
  if (!thread) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    thread = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, intervalMs: INTERVAL_MS, maxRounds: MAX_ROUNDS },
      // It holds a timer and a few connections: keep V8's reservations for it small.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    const started = thread;
    started.unref();
    // A checkpointer that fails leaves the writer's own checkpoints in charge: nothing to crash for.
    started.on('error', () => undefined);
    started.on('exit', () => {
      if (thread !== started) return;
      thread = undefined;
      files.clear();
    });
  }
  const worker = thread;
  files.set(file, (files.get(file) ?? 0) + 1);
  worker.postMessage({ type: 'add', file });
  let stopped = false;
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const left = (files.get(file) ?? 1) - 1;
      if (left > 0) {
        files.set(file, left);
        return;
      }
      files.delete(file);
      // Closed before the writer closes the file, so the thread never holds a database that is gone.
      const removed = new Promise<void>((resolve) => {
        const onMessage = (message: { type: string; file: string }) => {
          if (message.type === 'removed' && message.file === file) {
            worker.off('message', onMessage);
            resolve();
          }
        };
        worker.on('message', onMessage);
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'remove', file });
      await Promise.race([removed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      if (files.size === 0 && thread === worker) {
        thread = undefined;
        await worker.terminate();
      }
    },
  };
}
