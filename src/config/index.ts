import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { EDITIONS } from '../editions/index.js';
import type { EditionDefinition, EditionId, SettingValue } from '../editions/types.js';
import { resourcePath } from '../resources.js';
import { ConfigError, EnvReader } from './env-spec.js';
import { IGNORED_PYTHON_VARIABLES, PYTHON_TOOLING_VARIABLES, configWarnings } from './python-compat.js';
import { allVariables, editionVariables, globalVariables, settingVariable } from './variables.js';

export interface EditionConfig {
  /** The edition's definition with its name and description as configured (the identity its manifest serves). */
  edition: EditionDefinition;
  key: string;
  vendor: { name?: string; url?: string };
  port: number;
  baseUrl: string;
  databaseUrl: string;
  /** Environment defaults of the structured settings; a workspace's own values override them. */
  settingDefaults: Record<string, SettingValue>;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  /** json (default) or pretty. */
  logFormat: 'json' | 'pretty';
  /** Field names redacted everywhere, besides the built-in ones. */
  secretKeys: string[];
  host: string;
  dataDir: string;
  redisUrl?: string;
  /** PostgreSQL pool size per edition. */
  dbPoolSize: number;
  requireSignatureVerification: boolean;
  /** Seconds of clock difference tolerated on Clockify token times (iat, exp, nbf). */
  tokenClockSkewSeconds: number;
  trustProxy: boolean;
  /** Seconds a request may take to arrive in full (headers and body) before it is answered 408. */
  requestTimeoutSeconds: number;
  /** Private or loopback destinations HTTP actions and forwarding may reach anyway. */
  outboundAllowlist: string[];
  clockify: {
    apiBaseUrl: string;
    publicKeyPem: string;
    publicKeySource: 'bundled' | 'CLOCKIFY_PUBLIC_KEY' | 'CLOCKIFY_PUBLIC_KEY_PATH';
    jwksUrl?: string;
    allowedHosts: string[];
  };
  /** Undefined in development: a generated key in dataDir is used instead. */
  encryptionKey?: Buffer;
  rateLimit: { perSecond: number; backgroundPerSecond: number };
  bootstrap: { maxPages: number; concurrency: number };
  webhooks: { dedupWindowHours: number; reconcileIntervalMinutes: number; reconcileAfterFailures: number };
  jobs: { concurrency: number; leaseSeconds: number; maxAttempts: number };
  retention: { intervalMinutes: number };
  shutdownTimeoutMs: number;
  /** Caps on open live event streams (SSE). */
  streams: { perUser: number; perWorkspace: number; perProcess: number };
  /** Token buckets on the expensive routes: per member, and per IP address for refused tokens (src/server/cost-budget.ts). */
  costBudget: { member: { burst: number; perMinute: number }; ip: { burst: number; perMinute: number }; refusalDelayMs: number };
  editions: Record<EditionId, EditionConfig>;
  /** Said once at start-up: Python names read as aliases, variables ignored and why, likely typos. */
  warnings: string[];
}

export interface LoadConfigOptions {
  /** Read variables from a .env file too (process variables win). Default: `.env` in the working directory. */
  dotenvPath?: string | false;
}

/** Environment → typed configuration. Throws a ConfigError naming every bad variable; never returns half a config. */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): AppConfig {
  const dotenvPath = options.dotenvPath === undefined ? resolve('.env') : options.dotenvPath;
  const fromFile = dotenvPath && existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const source = { ...fromFile, ...env };
  const reader = new EnvReader(source);
  const g = globalVariables;

  const nodeEnv = reader.withDefault(g.NODE_ENV, 'development');
  const dataDir = resolve(reader.withDefault(g.DATA_DIR, './data'));
  const publicKey = readPublicKey(reader);
  const encryptionKey = reader.optional(g.ADDON_ENCRYPTION_KEY);
  const requireSignatureVerification = reader.withDefault(g.REQUIRE_SIGNATURE_VERIFICATION, true);

  if (nodeEnv === 'production') {
    if (!encryptionKey && !reader.problems.some((p) => p.name === g.ADDON_ENCRYPTION_KEY.name)) {
      reader.problems.push({
        name: g.ADDON_ENCRYPTION_KEY.name,
        message: `required when NODE_ENV=production; expected ${g.ADDON_ENCRYPTION_KEY.expects}`,
      });
    }
    if (!requireSignatureVerification) {
      reader.problems.push({ name: g.REQUIRE_SIGNATURE_VERIFICATION.name, message: 'must be true when NODE_ENV=production' });
    }
  }

  const editions = {} as Record<EditionId, EditionConfig>;
  for (const edition of EDITIONS) {
    const vars = editionVariables(edition);
    const port = reader.withDefault(vars.port, edition.defaultPort);
    const settingDefaults: Record<string, SettingValue> = {};
    for (const setting of edition.settings) {
      settingDefaults[setting.id] = reader.withDefault(settingVariable(edition, setting), setting.default);
    }
    const name = reader.withDefault(vars.name, edition.name);
    const description = reader.withDefault(vars.description, edition.description);
    const vendorName = reader.optional(vars.vendorName);
    const vendorUrl = reader.optional(vars.vendorUrl);
    editions[edition.id] = {
      edition: name === edition.name && description === edition.description ? edition : { ...edition, name, description },
      key: reader.withDefault(vars.key, edition.key),
      vendor: { ...(vendorName ? { name: vendorName } : {}), ...(vendorUrl ? { url: vendorUrl } : {}) },
      port,
      baseUrl: reader.withDefault(vars.baseUrl, `http://localhost:${port}`),
      databaseUrl: reader.withDefault(vars.dbUrl, `sqlite:${resolve(dataDir, edition.defaultDbFile)}`),
      settingDefaults,
    };
  }

  const perSecond = reader.withDefault(g.RATE_LIMIT_RPS, 50);
  const config: AppConfig = {
    env: nodeEnv,
    logLevel: reader.withDefault(g.LOG_LEVEL, 'info'),
    logFormat: reader.withDefault(g.LOG_FORMAT, 'json'),
    secretKeys: reader.withDefault(g.LOG_SECRET_KEYS, []),
    host: reader.withDefault(g.HOST, '0.0.0.0'),
    dataDir,
    // USE_REDIS=false keeps a REDIS_URL from being used (the Python system's switch; its .env sets both).
    redisUrl: reader.optional(g.USE_REDIS) === false ? undefined : reader.optional(g.REDIS_URL),
    dbPoolSize: reader.withDefault(g.DB_POOL_SIZE, 20),
    requireSignatureVerification,
    tokenClockSkewSeconds: reader.withDefault(g.TOKEN_CLOCK_SKEW_SECONDS, 60),
    trustProxy: reader.withDefault(g.TRUST_PROXY, false),
    requestTimeoutSeconds: reader.withDefault(g.HTTP_REQUEST_TIMEOUT_SECONDS, 30),
    outboundAllowlist: reader.withDefault(g.OUTBOUND_HTTP_ALLOWLIST, []),
    clockify: {
      apiBaseUrl: reader.withDefault(g.CLOCKIFY_API_BASE_URL, 'https://api.clockify.me/api'),
      publicKeyPem: publicKey.pem,
      publicKeySource: publicKey.source,
      jwksUrl: reader.optional(g.CLOCKIFY_JWKS_URL),
      allowedHosts: reader.withDefault(g.CLOCKIFY_ALLOWED_HOSTS, []),
    },
    encryptionKey,
    rateLimit: {
      perSecond,
      // The default follows a lowered RATE_LIMIT_RPS; only an explicit larger value is an error.
      backgroundPerSecond: reader.withDefault(g.BOOTSTRAP_RATE_LIMIT_RPS, Math.min(25, perSecond)),
    },
    bootstrap: { maxPages: reader.withDefault(g.BOOTSTRAP_MAX_PAGES, 1000), concurrency: reader.withDefault(g.BOOTSTRAP_CONCURRENCY, 4) },
    webhooks: {
      dedupWindowHours: reader.withDefault(g.WEBHOOK_DEDUP_WINDOW_HOURS, 24),
      reconcileIntervalMinutes: reader.withDefault(g.WEBHOOK_RECONCILE_INTERVAL_MINUTES, 60),
      reconcileAfterFailures: reader.withDefault(g.WEBHOOK_RECONCILE_AFTER_FAILURES, 10),
    },
    jobs: {
      concurrency: reader.withDefault(g.WORKER_CONCURRENCY, 8),
      leaseSeconds: reader.withDefault(g.JOB_LEASE_SECONDS, 30),
      maxAttempts: reader.withDefault(g.JOB_MAX_ATTEMPTS, 5),
    },
    retention: { intervalMinutes: reader.withDefault(g.RETENTION_INTERVAL_MINUTES, 60) },
    shutdownTimeoutMs: reader.withDefault(g.SHUTDOWN_TIMEOUT_MS, 10_000),
    streams: {
      perUser: reader.withDefault(g.SSE_MAX_STREAMS_PER_USER, 5),
      perWorkspace: reader.withDefault(g.SSE_MAX_STREAMS_PER_WORKSPACE, 50),
      perProcess: reader.withDefault(g.SSE_MAX_STREAMS_PER_PROCESS, 1000),
    },
    costBudget: {
      member: { burst: reader.withDefault(g.COST_BUDGET_BURST, 30), perMinute: reader.withDefault(g.COST_BUDGET_PER_MINUTE, 30) },
      ip: { burst: reader.withDefault(g.COST_BUDGET_IP_BURST, 20), perMinute: reader.withDefault(g.COST_BUDGET_IP_PER_MINUTE, 20) },
      refusalDelayMs: reader.withDefault(g.COST_BUDGET_REFUSAL_DELAY_MS, 1000),
    },
    editions,
    warnings: [],
  };
  if (config.rateLimit.backgroundPerSecond > config.rateLimit.perSecond) {
    reader.problems.push({
      name: g.BOOTSTRAP_RATE_LIMIT_RPS.name,
      message: `must not exceed RATE_LIMIT_RPS (${config.rateLimit.perSecond})`,
    });
  }
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  const variables = allVariables();
  const aliasTargets = new Map(variables.flatMap((variable) => (variable.aliases ?? []).map((alias) => [alias, variable.name] as const)));
  const known = new Set([
    ...variables.map((variable) => variable.name),
    ...aliasTargets.keys(),
    ...Object.keys(IGNORED_PYTHON_VARIABLES),
    ...PYTHON_TOOLING_VARIABLES,
  ]);
  config.warnings = configWarnings(source, reader.aliasesUsed, known, aliasTargets);
  return config;
}

function readPublicKey(reader: EnvReader): { pem: string; source: AppConfig['clockify']['publicKeySource'] } {
  const inline = reader.optional(globalVariables.CLOCKIFY_PUBLIC_KEY);
  if (inline) return { pem: inline, source: 'CLOCKIFY_PUBLIC_KEY' };
  const path = reader.optional(globalVariables.CLOCKIFY_PUBLIC_KEY_PATH);
  if (path) {
    try {
      const pem = readFileSync(path, 'utf8');
      if (!pem.includes('BEGIN PUBLIC KEY')) throw new Error('the file holds no PEM public key');
      return { pem, source: 'CLOCKIFY_PUBLIC_KEY_PATH' };
    } catch (error) {
      reader.problems.push({
        name: 'CLOCKIFY_PUBLIC_KEY_PATH',
        message: `${error instanceof Error ? error.message : error}; expected a readable PEM file`,
      });
    }
  }
  return { pem: readFileSync(resourcePath('clockify', 'public-key.pem'), 'utf8'), source: 'bundled' };
}

export { ConfigError } from './env-spec.js';
