import type { AppConfig } from '../config/index.js';
import { EDITIONS, getEdition } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import { startEdition } from '../edition.js';
import type { RunningEdition } from '../edition.js';
import type { Logger } from '../observability/logger.js';
import { explainListenError } from './ports.js';

export interface StartEditionsOptions {
  /** How to move an edition's port, for the one-line busy-port error (default: its variable). */
  portHint?: (id: EditionId) => string;
  /** Runs after the editions stopped, before the process exits (the demo closes its sandbox here). */
  afterStop?: () => Promise<void>;
  /** Said once on the first signal, for people watching the terminal. */
  onStopping?: () => void;
}

export const portVariableHint = (id: EditionId): string => `set ${getEdition(id).envPrefix}_PORT to a free port`;

/** Once at start-up: Python names read as aliases, variables ignored and why, likely typos (config/python-compat.ts). */
export function logConfigWarnings(config: AppConfig, logger: Logger): void {
  for (const warning of config.warnings ?? []) logger.warn({ configuration: true }, warning);
}

/** Starts the chosen editions in this process and stops them all cleanly on SIGTERM / SIGINT (a second signal exits at once). */
export async function startEditions(
  config: AppConfig,
  logger: Logger,
  editionIds: EditionId[] = EDITIONS.map((e) => e.id),
  options: StartEditionsOptions = {},
): Promise<RunningEdition[]> {
  const running: RunningEdition[] = [];
  logConfigWarnings(config, logger);
  try {
    for (const id of editionIds) {
      try {
        running.push(await startEdition(id, config, { logger }));
      } catch (error) {
        throw explainListenError(error, getEdition(id).name, config.editions[id].port, (options.portHint ?? portVariableHint)(id));
      }
    }
  } catch (error) {
    // Never leave half of the editions up.
    await Promise.allSettled(running.map((edition) => edition.stop()));
    throw error;
  }
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      // Ctrl+C twice: the person does not want to wait for in-flight jobs.
      process.exit(130);
    }
    shuttingDown = true;
    options.onStopping?.();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5000);
    force.unref();
    void Promise.allSettled(running.map((edition) => edition.stop()))
      .then(() => options.afterStop?.())
      .catch(() => undefined)
      .then(() => {
        logger.flush?.();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return running;
}
