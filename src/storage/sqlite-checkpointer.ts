import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL back into the database file from a thread of its own. SQLite otherwise does this
 * inside whichever commit crosses the threshold, stalling the event loop for milliseconds (the copy
 * and its fsync) in the middle of a webhook burst. PASSIVE never blocks the writer; the writer's own
 * auto-checkpoint stays on at a higher threshold as a safety net.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 0');
let stopping = false;
const timer = setInterval(() => {
  if (stopping) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { /* busy: try again at the next tick */ }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stop') { stopping = true; clearInterval(timer); try { db.close(); } catch {} parentPort.close(); }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 50): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on('error', () => undefined);
  return {
    stop: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await worker.terminate();
    },
  };
}
