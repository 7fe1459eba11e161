import { Redis } from 'ioredis';
import type { AppConfig, EditionConfig } from './config/index.js';
import { getEdition } from './editions/index.js';
import type { EditionDefinition, EditionId } from './editions/types.js';
import { EventBus } from './events-bus.js';
import { JobQueue } from './jobs/queue.js';
import type { JobHandler } from './jobs/worker.js';
import type { EventConsumer } from './events/consumers.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { watchOutages } from './observability/outages.js';
import type { Metrics } from './observability/metrics.js';
import { createRedactor } from './observability/redact.js';
import type { Redactor } from './observability/redact.js';
import { TokenVerifier } from './clockify/tokens.js';
import { SecretBox, resolveEncryptionKey } from './security/secret-box.js';
import { openDatabase } from './database.js';
import { getCatalog } from './clockify/catalog/index.js';
import type { Catalog } from './clockify/catalog/index.js';
import { createClientMetrics, createClockifyClient } from './clockify/client/index.js';
import type { ClockifyClient } from './clockify/client/index.js';
import { createMemoryRateLimiter, createRateLimitMetrics, createRedisRateLimiter } from './clockify/rate-limit/index.js';
import type { RateLimiter } from './clockify/rate-limit/index.js';
import { createApiCallLogger } from './clockify/api-call-log.js';
import { pausedInstallation } from './lifecycle/paused-installations.js';
import { effectiveSettings } from './lifecycle/settings.js';
import type { WorkspaceSettings } from './lifecycle/settings.js';
import { parseJsonOr } from './util/json.js';
import type { Database } from './storage/database.js';
import type { InstallationHook } from './room.js';
import { DATA_POLICIES } from './rooms.js';
import type { AnyDataPolicy } from './storage/data-policy.js';

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
  catalog: Catalog;
  client: ClockifyClient;
  limiter: RateLimiter;
  /** Effective settings of a workspace (environment defaults + its own), cached for a few seconds. */
  settingsOf(workspaceId: string): Promise<WorkspaceSettings>;
  /** Forget cached settings after a change. */
  invalidateSettings(workspaceId: string): void;
  /** Every table's data policy, as the rooms declare them (the uninstall purge and the retention sweeper iterate these). */
  dataPolicies: readonly AnyDataPolicy[];
  /** Job kinds the worker knows, as the rooms declare them (src/rooms.ts `setupRooms`: one room per kind). */
  jobHandlers: Record<string, JobHandler>;
  /** Rooms that act on every stored webhook event, by their declared order (see CONSUMER_ORDER). */
  consumers: EventConsumer[];
  /** The rooms' lifecycle hooks, run inside the lifecycle transaction (enqueue a bootstrap, cancel one). */
  hooks: { installed: InstallationHook[]; deleted: InstallationHook[] };
  /** Run when the edition stops, in reverse order of registration. */
  onClose(task: () => Promise<void> | void): void;
  close(): Promise<void>;
  now(): number;
}

export interface RuntimeOptions {
  logger: Logger;
  now?: () => number;
}

/** Editions sharing a process share the development key: one warning is enough. */
const warnedAboutKeys = new Set<string>();

export async function createRuntime(editionId: EditionId, config: AppConfig, options: RuntimeOptions): Promise<Runtime> {
  const editionConfig = config.editions[editionId];
  // The configured identity (name, description) when the operator kept the Python system's.
  const edition = editionConfig.edition ?? getEdition(editionId);
  const logger = options.logger.child({ edition: editionId });
  const closers: (() => Promise<void> | void)[] = [];
  const now = options.now ?? Date.now;

  const database = await openDatabase(editionConfig.databaseUrl, { poolSize: config.dbPoolSize });
  closers.push(() => database.close());

  const encryption = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  if (encryption.generated && !warnedAboutKeys.has(encryption.path ?? '')) {
    warnedAboutKeys.add(encryption.path ?? '');
    logger.warn(
      { keyFile: encryption.path },
      'ADDON_ENCRYPTION_KEY is not set: using a development key kept in the data folder. Set it in production.',
    );
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

  const metrics = createMetrics(editionId);
  closers.push(watchOutages({ health: database.health, redis, metrics, logger }));
  const settingsCache = new Map<string, { at: number; settings: WorkspaceSettings }>();
  const settingsOf = async (workspaceId: string): Promise<WorkspaceSettings> => {
    const cached = settingsCache.get(workspaceId);
    if (cached && now() - cached.at < 5000) return cached.settings;
    const row = await database.db
      .selectFrom('installations')
      .select('settings_json')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    const settings = effectiveSettings(edition, editionConfig.settingDefaults, parseJsonOr(row?.settings_json, {}));
    settingsCache.set(workspaceId, { at: now(), settings });
    return settings;
  };
  const limiterMetrics = createRateLimitMetrics(metrics.registry);
  const budgetFor = async (workspaceId: string) => {
    const settings = await settingsOf(workspaceId);
    const maxRps = typeof settings.max_rps === 'number' ? settings.max_rps : undefined;
    return maxRps === undefined ? undefined : { backgroundPerSecond: Math.min(maxRps, config.rateLimit.perSecond) };
  };
  // Clockify counts arrivals, the limiter grants: between the two lies however long the call took to
  // leave this process and travel, which no margin bounds (a busy event loop delays sends by hundreds
  // of ms). The answer does bound it, so each call counts from its answer (untilSettled).
  const limiter: RateLimiter = redis
    ? createRedisRateLimiter({
        redis,
        keyPrefix: `clockify:rl:${editionConfig.key}`,
        perSecond: config.rateLimit.perSecond,
        backgroundPerSecond: config.rateLimit.backgroundPerSecond,
        budgetFor,
        metrics: limiterMetrics,
        untilSettled: true,
      })
    : createMemoryRateLimiter({
        perSecond: config.rateLimit.perSecond,
        backgroundPerSecond: config.rateLimit.backgroundPerSecond,
        budgetFor,
        metrics: limiterMetrics,
        untilSettled: true,
      });
  closers.push(async () => {
    await limiter.close?.();
  });
  const client = createClockifyClient({
    allowedHosts: config.clockify.allowedHosts,
    limiter,
    metrics: createClientMetrics(metrics.registry),
    onCall: createApiCallLogger(database, logger),
  });

  const bus = new EventBus();
  if (redis) {
    await bus
      .connectRedis(redis, `cap:live:${editionConfig.key}`, (error) => logger.warn({ err: error }, 'live event relay error'))
      .catch((error) => logger.warn({ err: error }, 'live events stay per instance: Redis publish/subscribe is unavailable'));
    closers.push(() => bus.close());
  }

  const runtime: Runtime = {
    edition,
    editionConfig,
    config,
    logger,
    metrics,
    database,
    queue: new JobQueue(database, {
      leaseMs: config.jobs.leaseSeconds * 1000,
      maxAttempts: config.jobs.maxAttempts,
      now,
      waitingWorkspaces: pausedInstallation,
    }),
    box: new SecretBox(encryption.key),
    tokens: new TokenVerifier({
      addonKey: editionConfig.key,
      publicKeyPem: config.clockify.publicKeyPem,
      jwksUrl: config.clockify.jwksUrl,
      clockSkewSeconds: config.tokenClockSkewSeconds,
      now,
      skipSignature: !config.requireSignatureVerification,
    }),
    redactor: createRedactor(config.secretKeys),
    redis,
    bus,
    catalog: getCatalog(),
    client,
    limiter,
    settingsOf,
    invalidateSettings: (workspaceId) => settingsCache.delete(workspaceId),
    dataPolicies: DATA_POLICIES,
    jobHandlers: {},
    hooks: { installed: [], deleted: [] },
    consumers: [],
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
