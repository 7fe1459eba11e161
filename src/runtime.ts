import { Redis } from 'ioredis';
import type { AppConfig, EditionConfig } from './config/index.js';
import { getEdition } from './editions/index.js';
import type { EditionDefinition, EditionId } from './editions/types.js';
import { EventBus } from './events-bus.js';
import { JobQueue } from './jobs/queue.js';
import type { JobHandler } from './jobs/worker.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import type { Metrics } from './observability/metrics.js';
import { createRedactor } from './observability/redact.js';
import type { Redactor } from './observability/redact.js';
import { TokenVerifier } from './clockify/tokens.js';
import { SecretBox, resolveEncryptionKey } from './security/secret-box.js';
import { openDatabase } from './storage/database.js';
import type { Database } from './storage/database.js';

/**
 * Everything one edition's rooms share: its definition and configuration, storage, queue, token
 * checks, logger and metrics. Rooms receive it and own their routes, job handlers and tables.
 */
export interface Runtime {
  edition: EditionDefinition;
  editionConfig: EditionConfig;
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  queue: JobQueue;
  box: SecretBox;
  tokens: TokenVerifier;
  redactor: Redactor;
  redis?: Redis;
  bus: EventBus;
  /** Job kinds the worker knows, filled in by the rooms as they register. */
  jobHandlers: Record<string, JobHandler>;
  /** Run when the edition stops, in reverse order of registration. */
  onClose(task: () => Promise<void> | void): void;
  close(): Promise<void>;
  now(): number;
}

export interface RuntimeOptions {
  logger: Logger;
  now?: () => number;
}

export async function createRuntime(editionId: EditionId, config: AppConfig, options: RuntimeOptions): Promise<Runtime> {
  const edition = getEdition(editionId);
  const editionConfig = config.editions[editionId];
  const logger = options.logger.child({ edition: editionId });
  const closers: (() => Promise<void> | void)[] = [];
  const now = options.now ?? Date.now;

  const database = await openDatabase(editionConfig.databaseUrl);
  closers.push(() => database.close());

  const encryption = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  if (encryption.generated) {
    logger.warn({ keyFile: encryption.path }, 'ADDON_ENCRYPTION_KEY is not set: using a development key kept in the data folder. Set it in production.');
  }

  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
    await redis.connect().catch((error) => logger.error({ err: error }, 'redis is unreachable; /ready reports it'));
    const client = redis;
    closers.push(async () => {
      await client.quit().catch(() => client.disconnect());
    });
  }

  const runtime: Runtime = {
    edition,
    editionConfig,
    config,
    logger,
    metrics: createMetrics(editionId),
    database,
    queue: new JobQueue(database, { leaseMs: config.jobs.leaseSeconds * 1000, maxAttempts: config.jobs.maxAttempts, now }),
    box: new SecretBox(encryption.key),
    tokens: new TokenVerifier({ addonKey: editionConfig.key, publicKeyPem: config.clockify.publicKeyPem, jwksUrl: config.clockify.jwksUrl, now }),
    redactor: createRedactor(),
    redis,
    bus: new EventBus(),
    jobHandlers: {},
    onClose: (task) => closers.push(task),
    async close() {
      for (const task of closers.splice(0).reverse()) {
        try {
          await task();
        } catch (error) {
          logger.warn({ err: error }, 'error while closing');
        }
      }
    },
    now,
  };
  return runtime;
}
