import type { AppConfig } from '../config/index.js';
import type { EditionId } from '../editions/types.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { Room } from '../room.js';
import type { Runtime } from '../runtime.js';
import { openDatabase } from '../storage/database.js';
import { RetentionScheduler } from './scheduler.js';
import { runRetention } from './sweeper.js';
import type { RetentionReport } from './sweeper.js';

/**
 * The retention clean-up as a room: no routes, a timer that runs it every
 * RETENTION_INTERVAL_MINUTES (one instance per period, through a lease), stopped with the edition.
 */
export function retentionRoom(runtime: Runtime): Room {
  const scheduler = new RetentionScheduler(runtime, { intervalMs: runtime.config.retention.intervalMinutes * 60_000 });
  scheduler.start();
  runtime.onClose(() => scheduler.stop());
  return { name: 'retention' };
}

/**
 * One clean-up of an edition's database, for the command line (`cap retention`): opens the
 * database (migrating it like start-up does), runs, closes. Metrics go nowhere: the process exits.
 */
export async function runRetentionOnce(editionId: EditionId, config: AppConfig, logger: Logger, now: number = Date.now()): Promise<RetentionReport> {
  const editionConfig = config.editions[editionId];
  const database = await openDatabase(editionConfig.databaseUrl);
  try {
    return await runRetention(
      { database, edition: editionConfig.edition, editionConfig, config, metrics: createMetrics(editionId), logger: logger.child({ edition: editionId }), now: Date.now },
      now,
    );
  } finally {
    await database.close();
  }
}

export { runRetention, RETENTION_TABLES } from './sweeper.js';
export type { RetentionDeps, RetentionOptions, RetentionReport, RetentionTable } from './sweeper.js';
export { LeaseLock } from './lease-lock.js';
export { planRetention } from './policy.js';
