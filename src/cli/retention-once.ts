import type { AppConfig } from '../config/index.js';
import { openDatabase } from '../database.js';
import type { EditionId } from '../editions/types.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { runRetention } from '../retention/index.js';
import type { RetentionReport } from '../retention/index.js';
import { DATA_POLICIES } from '../rooms.js';

/**
 * One clean-up of an edition's database, for the command line (`cap retention`): opens the
 * database (migrating it like start-up does), runs, closes. Metrics go nowhere: the process exits.
 */
export async function runRetentionOnce(
  editionId: EditionId,
  config: AppConfig,
  logger: Logger,
  now: number = Date.now(),
): Promise<RetentionReport> {
  const editionConfig = config.editions[editionId];
  const database = await openDatabase(editionConfig.databaseUrl);
  try {
    return await runRetention(
      {
        database,
        dataPolicies: DATA_POLICIES,
        edition: editionConfig.edition,
        editionConfig,
        config,
        metrics: createMetrics(editionId),
        logger: logger.child({ edition: editionId }),
        now: Date.now,
      },
      now,
    );
  } finally {
    await database.close();
  }
}
