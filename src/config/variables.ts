import type { EnvVar } from './env-spec.js';
import { parsers } from './env-spec.js';
import { EDITIONS } from '../editions/index.js';
import type { EditionDefinition, SettingDefinition, SettingValue } from '../editions/types.js';
import { PYTHON_EDITION_ALIASES, PYTHON_GLOBAL_ALIASES, PYTHON_SETTING_ALIASES } from './python-compat.js';

const v = <T>(spec: EnvVar<T>): EnvVar<T> => {
  const aliases = PYTHON_GLOBAL_ALIASES[spec.name];
  return aliases ? { ...spec, aliases } : spec;
};
const withAliases = <T>(spec: EnvVar<T>, aliases: string[] | undefined): EnvVar<T> =>
  aliases && aliases.length > 0 ? { ...spec, aliases } : spec;
/** Several Python names for one of ours (e.g. two retention periods): the largest, so nothing is deleted earlier than before. */
const largest = (values: SettingValue[]): SettingValue =>
  values.every((value) => typeof value === 'number') ? Math.max(...(values as number[])) : values[0]!;

/** Variables shared by every edition. Names follow the original Python system where it had them. */
export const globalVariables = {
  NODE_ENV: v({
    name: 'NODE_ENV',
    description: 'development, production or test. production requires ADDON_ENCRYPTION_KEY.',
    example: 'development',
    parse: parsers.oneOf(['development', 'production', 'test'] as const),
    expects: 'development | production | test',
  }),
  LOG_LEVEL: v({
    name: 'LOG_LEVEL',
    description: 'Log verbosity.',
    example: 'info',
    parse: (raw) =>
      parsers.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const)(
        PYTHON_LOG_LEVELS[raw.toLowerCase()] ?? raw.toLowerCase(),
      ),
    expects: "fatal | error | warn | info | debug | trace | silent (or Python's WARNING, CRITICAL)",
  }),
  LOG_FORMAT: v({
    name: 'LOG_FORMAT',
    description: 'Log lines as JSON (for collectors) or pretty (one readable line each; text is an alias).',
    example: 'json',
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      return parsers.oneOf(['json', 'pretty'] as const)(value === 'text' ? 'pretty' : value);
    },
    expects: 'json | pretty | text',
  }),
  LOG_SECRET_KEYS: v({
    name: 'LOG_SECRET_KEYS',
    description:
      'Extra field names whose values are always redacted from logs, stored histories and error bodies (comma-separated), on top of the built-in ones (authToken, token, secret, password, authorization, ...).',
    parse: parsers.list,
    expects: 'name,name',
  }),
  HOST: v({
    name: 'HOST',
    description: 'Interface the HTTP servers listen on.',
    example: '0.0.0.0',
    parse: parsers.string,
    expects: 'an interface address',
  }),
  DATA_DIR: v({
    name: 'DATA_DIR',
    description: 'Folder for the embedded databases, the development encryption key and sandbox keys.',
    example: './data',
    parse: parsers.string,
    expects: 'a folder path',
  }),
  REDIS_URL: v({
    name: 'REDIS_URL',
    description: 'Redis for rate limits shared by several instances. Unset: limits are per process.',
    parse: parsers.string,
    expects: 'redis://host:port',
  }),
  USE_REDIS: v({
    name: 'USE_REDIS',
    description:
      "false: run without Redis even though REDIS_URL is set (the Python system's switch). Default: Redis is used whenever REDIS_URL is set.",
    parse: parsers.boolean,
    expects: 'true | false',
  }),
  REQUIRE_SIGNATURE_VERIFICATION: v({
    name: 'REQUIRE_SIGNATURE_VERIFICATION',
    description:
      'Verify Clockify signatures on lifecycle and webhook calls. Only a development setup may turn this off; production refuses to start without it.',
    example: 'true',
    parse: parsers.boolean,
    expects: 'true | false',
    combine: (values) => values.some(Boolean),
  }),
  TOKEN_CLOCK_SKEW_SECONDS: v({
    name: 'TOKEN_CLOCK_SKEW_SECONDS',
    description:
      'Clock difference tolerated between Clockify and this server on token times: a token issued (iat) further in the future, or expired (exp) longer ago, is refused.',
    example: '60',
    parse: parsers.integer(0, 600),
    expects: 'seconds, 0..600',
  }),
  CLOCKIFY_API_BASE_URL: v({
    name: 'CLOCKIFY_API_BASE_URL',
    description:
      "Backend URL used when a token carries no backendUrl claim (a bare https://api.clockify.me, the Python system's form, means https://api.clockify.me/api).",
    example: 'https://api.clockify.me/api',
    parse: (raw) => withApiPath(parsers.httpUrl(raw)),
    expects: 'an http(s) URL',
  }),
  CLOCKIFY_PUBLIC_KEY: v({
    name: 'CLOCKIFY_PUBLIC_KEY',
    description: 'PEM text of the key that signs Clockify tokens; replaces the bundled Clockify key (for the sandbox).',
    parse: (raw) => {
      if (!raw.includes('BEGIN PUBLIC KEY')) throw new Error('not a PEM public key');
      return raw.replace(/\\n/g, '\n');
    },
    expects: 'a PEM "-----BEGIN PUBLIC KEY-----" block',
  }),
  CLOCKIFY_PUBLIC_KEY_PATH: v({
    name: 'CLOCKIFY_PUBLIC_KEY_PATH',
    description: 'File holding that PEM key instead.',
    parse: parsers.string,
    expects: 'a file path',
  }),
  CLOCKIFY_JWKS_URL: v({
    name: 'CLOCKIFY_JWKS_URL',
    description: 'Optional JWKS endpoint; keys are cached and refreshed on an unknown kid.',
    parse: parsers.httpUrl,
    expects: 'an http(s) URL',
  }),
  CLOCKIFY_ALLOWED_HOSTS: v({
    name: 'CLOCKIFY_ALLOWED_HOSTS',
    description: "Extra host[:port] entries the API client may call besides Clockify's own hosts (comma-separated).",
    parse: parsers.list,
    expects: 'host[:port],host[:port]',
  }),
  ADDON_ENCRYPTION_KEY: v({
    name: 'ADDON_ENCRYPTION_KEY',
    description:
      'AES-256 key for tokens and secrets at rest: 64 hex characters or base64 of 32 bytes. Required in production; development generates one in DATA_DIR.',
    secret: true,
    parse: (raw) => parseKey(raw),
    expects: '32 bytes as 64 hex characters or base64',
  }),
  RATE_LIMIT_RPS: v({
    name: 'RATE_LIMIT_RPS',
    description: 'Calls per second to Clockify per workspace, all callers together (Clockify allows 50).',
    example: '50',
    parse: parsers.number(1, 1000),
    expects: 'a number 1..1000',
  }),
  BOOTSTRAP_RATE_LIMIT_RPS: v({
    name: 'BOOTSTRAP_RATE_LIMIT_RPS',
    description: 'Budget of background work (bootstrap) per workspace per second.',
    example: '25',
    parse: parsers.number(1, 1000),
    expects: 'a number 1..1000',
  }),
  BOOTSTRAP_MAX_PAGES: v({
    name: 'BOOTSTRAP_MAX_PAGES',
    description: 'Upper bound of pages per operation for every workspace (the max_pages setting can only lower it).',
    example: '1000',
    parse: parsers.integer(1, 1_000_000),
    expects: 'an integer 1..1000000',
  }),
  DB_POOL_SIZE: v({
    name: 'DB_POOL_SIZE',
    description: 'PostgreSQL connections per edition and instance (request handling and the job worker share them).',
    example: '20',
    parse: parsers.integer(1, 500),
    expects: 'an integer 1..500',
  }),
  BOOTSTRAP_CONCURRENCY: v({
    name: 'BOOTSTRAP_CONCURRENCY',
    description: 'Operations one bootstrap fetches at the same time (one page in flight each); the rate limit still sets the pace.',
    example: '4',
    parse: parsers.integer(1, 16),
    expects: 'an integer 1..16',
  }),
  WEBHOOK_DEDUP_WINDOW_HOURS: v({
    name: 'WEBHOOK_DEDUP_WINDOW_HOURS',
    description: 'A delivery identical to one received within this window is acknowledged and ignored.',
    example: '24',
    parse: parsers.number(0, 24 * 365),
    expects: 'hours, 0..8760',
  }),
  WEBHOOK_RECONCILE_INTERVAL_MINUTES: v({
    name: 'WEBHOOK_RECONCILE_INTERVAL_MINUTES',
    description:
      "How often each installation reads Clockify's webhook delivery logs for deliveries that failed and recovers them (also done after every start and database outage). 0: only then.",
    example: '60',
    parse: parsers.number(0, 7 * 24 * 60),
    expects: 'minutes, 0..10080',
  }),
  WEBHOOK_RECONCILE_AFTER_FAILURES: v({
    name: 'WEBHOOK_RECONCILE_AFTER_FAILURES',
    description:
      "This many 5xx answers to Clockify's webhooks within a minute schedule an early reading of the delivery logs (5 s later, then at most once a minute while failures go on). 0: only after starts, database outages and on the interval.",
    example: '10',
    parse: parsers.integer(0, 100_000),
    expects: 'an integer 0..100000',
  }),
  WORKER_CONCURRENCY: v({
    name: 'WORKER_CONCURRENCY',
    description: 'Jobs one instance runs at once per edition.',
    example: '8',
    parse: parsers.integer(0, 256),
    expects: 'an integer 0..256 (0 disables the worker)',
  }),
  JOB_LEASE_SECONDS: v({
    name: 'JOB_LEASE_SECONDS',
    description: 'A claimed job whose instance stops renewing its lease for this long is taken over by another.',
    example: '30',
    parse: parsers.integer(2, 3600),
    expects: 'an integer 2..3600',
  }),
  JOB_MAX_ATTEMPTS: v({
    name: 'JOB_MAX_ATTEMPTS',
    description: 'Attempts before a job is moved to the dead state.',
    example: '5',
    parse: parsers.integer(1, 100),
    expects: 'an integer 1..100',
  }),
  RETENTION_INTERVAL_MINUTES: v({
    name: 'RETENTION_INTERVAL_MINUTES',
    description: 'How often the retention clean-up runs (one instance at a time).',
    example: '60',
    parse: parsers.number(0.05, 24 * 60),
    expects: 'minutes',
  }),
  SHUTDOWN_TIMEOUT_MS: v({
    name: 'SHUTDOWN_TIMEOUT_MS',
    description: 'How long SIGTERM waits for in-flight requests and jobs.',
    example: '10000',
    parse: parsers.integer(0, 600_000),
    expects: 'milliseconds',
  }),
  OUTBOUND_HTTP_ALLOWLIST: v({
    name: 'OUTBOUND_HTTP_ALLOWLIST',
    description:
      "Hosts or CIDRs that flows' HTTP actions and event forwarding may reach even though they are private or loopback (comma-separated). Public addresses need no entry.",
    parse: parsers.list,
    expects: 'host,10.0.0.0/8,…',
  }),
  HTTP_REQUEST_TIMEOUT_SECONDS: v({
    name: 'HTTP_REQUEST_TIMEOUT_SECONDS',
    description:
      'A request whose headers and body have not all arrived after this long is answered 408 and its connection closed (slow clients, slow-loris).',
    example: '30',
    parse: parsers.number(1, 600),
    expects: 'seconds, 1..600',
  }),
  TRUST_PROXY: v({
    name: 'TRUST_PROXY',
    description: 'Trust X-Forwarded-* from a reverse proxy in front.',
    example: 'false',
    parse: parsers.boolean,
    expects: 'true | false',
  }),
  SSE_MAX_STREAMS_PER_USER: v({
    name: 'SSE_MAX_STREAMS_PER_USER',
    description: 'Live event streams (GET /ui/webhooks/stream) one user may hold open in one edition; one more is answered 429.',
    example: '5',
    parse: parsers.integer(1, 10_000),
    expects: 'an integer 1..10000',
  }),
  SSE_MAX_STREAMS_PER_WORKSPACE: v({
    name: 'SSE_MAX_STREAMS_PER_WORKSPACE',
    description: 'Live event streams all users of one workspace may hold open in one edition; one more is answered 429.',
    example: '50',
    parse: parsers.integer(1, 100_000),
    expects: 'an integer 1..100000',
  }),
  COST_BUDGET_BURST: v({
    name: 'COST_BUDGET_BURST',
    description:
      'Expensive requests (flow dry runs, Run now and backfills, API explorer calls, event searches, live streams, schedule previews) one member may make at once, per workspace and edition; beyond it they refill at COST_BUDGET_PER_MINUTE and the rest is answered 429 with Retry-After.',
    example: '30',
    parse: parsers.integer(1, 1_000_000),
    expects: 'an integer 1..1000000',
  }),
  COST_BUDGET_PER_MINUTE: v({
    name: 'COST_BUDGET_PER_MINUTE',
    description:
      'Expensive requests one member may make per minute once the burst is spent (one every 2 s by default: more than anyone clicking).',
    example: '30',
    parse: parsers.number(1, 1_000_000),
    expects: 'a number 1..1000000',
  }),
  COST_BUDGET_IP_BURST: v({
    name: 'COST_BUDGET_IP_BURST',
    description:
      "Requests to /ui routes with a missing or refused token one IP address may make at once (and, counted apart, webhook bodies refused before any check: too deep, not JSON, too large); beyond that budget every /ui request (or webhook) from it is answered 429 before its token (or body) is even read. Behind a proxy set TRUST_PROXY, or every client shares the proxy's address.",
    example: '20',
    parse: parsers.integer(1, 1_000_000),
    expects: 'an integer 1..1000000',
  }),
  COST_BUDGET_IP_PER_MINUTE: v({
    name: 'COST_BUDGET_IP_PER_MINUTE',
    description: 'Refused-token requests per minute one IP address may make once its burst is spent.',
    example: '20',
    parse: parsers.number(1, 1_000_000),
    expects: 'a number 1..1000000',
  }),
  COST_BUDGET_REFUSAL_DELAY_MS: v({
    name: 'COST_BUDGET_REFUSAL_DELAY_MS',
    description:
      'How long a 429 of the cost budget is held before it is sent (at most until the next token; at most 4 held per member or address, the rest answered at once), so a client that ignores Retry-After cannot loop on refusals. 0: answer at once.',
    example: '1000',
    parse: parsers.integer(0, 60_000),
    expects: 'milliseconds, 0..60000',
  }),
  SSE_MAX_STREAMS_PER_PROCESS: v({
    name: 'SSE_MAX_STREAMS_PER_PROCESS',
    description:
      'Live event streams one process holds open, all editions and workspaces together (each is a connection and a file descriptor); one more is answered 429.',
    example: '1000',
    parse: parsers.integer(1, 1_000_000),
    expects: 'an integer 1..1000000',
  }),
};

/** Variables each edition has under its own prefix or legacy name (and the Python system's names as aliases). */
export function editionVariables(edition: EditionDefinition) {
  const python = PYTHON_EDITION_ALIASES[edition.id] ?? {};
  return {
    baseUrl: withAliases(
      v({
        name: edition.baseUrlEnv,
        description: `Public URL of ${edition.name} as Clockify reaches it (manifest baseUrl). Default http://localhost:${edition.defaultPort}.`,
        parse: parsers.httpUrl,
        expects: 'an http(s) URL',
      }),
      python.baseUrl,
    ),
    dbUrl: v({
      name: edition.dbUrlEnv,
      description: `Database of ${edition.name}: postgres://… in production; default sqlite:DATA_DIR/${edition.defaultDbFile}. SQLAlchemy URLs (postgresql+asyncpg://…, sqlite+aiosqlite:///./file.db) are read too.`,
      parse: parsers.databaseUrl,
      expects: 'postgres://user@host/db or sqlite:path',
    }),
    port: withAliases(
      v({
        name: `${edition.envPrefix}_PORT`,
        description: `Port of ${edition.name}.`,
        example: String(edition.defaultPort),
        parse: parsers.integer(0, 65535),
        expects: 'a port 0..65535',
      }),
      python.port,
    ),
    key: withAliases(
      v({
        name: `${edition.envPrefix}_ADDON_KEY`,
        description: `Add-on key of ${edition.name} in its manifest (must be unique in the marketplace; a published key never changes).`,
        example: edition.key,
        parse: (raw) => {
          if (!/^[a-zA-Z0-9._-]{2,50}$/.test(raw)) throw new Error('bad key');
          return raw;
        },
        expects: '2..50 characters of letters, digits, . _ -',
      }),
      python.key,
    ),
    name: withAliases(
      v({
        name: `${edition.envPrefix}_ADDON_NAME`,
        description: `Name of ${edition.name} in its manifest and listing.`,
        example: edition.name,
        parse: (raw) => {
          if (raw.trim().length === 0 || raw.length > 50) throw new Error('not 1..50 characters');
          return raw;
        },
        expects: '1..50 characters',
      }),
      python.name,
    ),
    description: withAliases(
      v({
        name: `${edition.envPrefix}_ADDON_DESCRIPTION`,
        description: `Description of ${edition.name} in its manifest.`,
        parse: (raw) => {
          if (raw.length > 1000) throw new Error('longer than 1000 characters');
          return raw;
        },
        expects: 'text up to 1000 characters',
      }),
      python.description,
    ),
    vendorName: withAliases(
      v({
        name: `${edition.envPrefix}_VENDOR_NAME`,
        description: `Vendor of ${edition.name}, shown by GET / and /openapi.json (the manifest has no vendor field: Clockify takes it from the developer account).`,
        parse: parsers.string,
        expects: 'text',
      }),
      python.vendorName,
    ),
    vendorUrl: withAliases(
      v({
        name: `${edition.envPrefix}_VENDOR_URL`,
        description: `Vendor web site of ${edition.name}, shown beside the vendor name.`,
        parse: parsers.httpUrl,
        expects: 'an http(s) URL',
      }),
      python.vendorUrl,
    ),
  };
}

/** `${PREFIX}_${SETTING_ID}` sets the default of a structured setting before the workspace overrides it. */
export function settingVariable(edition: EditionDefinition, setting: SettingDefinition): EnvVar<SettingValue> {
  const aliases = PYTHON_SETTING_ALIASES[edition.id]?.[setting.id];
  const spec = plainSettingVariable(edition, setting);
  return aliases ? { ...spec, aliases, combine: largest } : spec;
}

function plainSettingVariable(edition: EditionDefinition, setting: SettingDefinition): EnvVar<SettingValue> {
  const name = `${edition.envPrefix}_${setting.id.toUpperCase()}`;
  const description = `Default of the "${setting.name}" setting: ${setting.description}`;
  switch (setting.type) {
    case 'CHECKBOX':
      return { name, description, example: String(setting.default), parse: parsers.boolean, expects: 'true | false' };
    case 'NUMBER':
      return {
        name,
        description,
        example: String(setting.default),
        parse: parsers.number(setting.min ?? -Infinity, setting.max ?? Infinity),
        expects: `a number ${setting.min ?? ''}..${setting.max ?? ''}`,
      };
    case 'DROPDOWN_MULTIPLE':
      return {
        name,
        description,
        example: (setting.default as string[]).join(','),
        parse: parsers.list,
        expects: 'comma-separated values',
      };
    default:
      return { name, description, example: String(setting.default), parse: parsers.string, expects: 'text' };
  }
}

const PYTHON_LOG_LEVELS: Record<string, string> = { warning: 'warn', critical: 'fatal' };

/** Clockify's API lives under /api; the Python system configured the bare host. */
function withApiPath(url: string): string {
  const parsed = new URL(url);
  return /(^|\.)clockify\.me$/.test(parsed.hostname) && (parsed.pathname === '/' || parsed.pathname === '') ? `${url}/api` : url;
}

function parseKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('not 32 bytes');
  return key;
}

/** Every variable, in the order .env.example lists them. */
export function allVariables(): EnvVar<unknown>[] {
  const list: EnvVar<unknown>[] = Object.values(globalVariables) as EnvVar<unknown>[];
  for (const edition of EDITIONS) {
    list.push(...(Object.values(editionVariables(edition)) as EnvVar<unknown>[]));
    for (const setting of edition.settings) list.push(settingVariable(edition, setting) as EnvVar<unknown>);
  }
  return list;
}
