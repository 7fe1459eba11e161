import type { AppConfig } from '../config/index.js';
import { EDITIONS } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import { startEdition } from '../edition.js';
import type { RunningEdition } from '../edition.js';
import type { Logger } from '../observability/logger.js';

/** Once at start-up: Python names read as aliases, variables ignored and why, likely typos (config/python-compat.ts). */
export function logConfigWarnings(config: AppConfig, logger: Logger): void {
  for (const warning of config.warnings ?? []) logger.warn({ configuration: true }, warning);
}

/** Starts the chosen editions in this process and stops them all cleanly on SIGTERM / SIGINT. */
export async function startEditions(config: AppConfig, logger: Logger, editionIds: EditionId[] = EDITIONS.map((e) => e.id)): Promise<RunningEdition[]> {
  const running: RunningEdition[] = [];
  logConfigWarnings(config, logger);
  try {
    for (const id of editionIds) running.push(await startEdition(id, config, { logger }));
  } catch (error) {
    // Never leave half of the editions up.
    await Promise.allSettled(running.map((edition) => edition.stop()));
    throw error;
  }
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5000);
    force.unref();
    void Promise.allSettled(running.map((edition) => edition.stop())).then(() => {
      logger.flush?.();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return running;
}
