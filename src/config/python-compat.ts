import type { EditionId } from '../editions/types.js';

/**
 * The original Python system's environment variable names (../docs/migrating-from-python.md), so
 * its `.env` keeps working. Each name is either an alias of one of ours (read when ours is unset,
 * warned about at start-up with the preferred name) or accepted and ignored with the reason.
 */

/** Per edition, per structured setting: the Python names of its default. */
export const PYTHON_SETTING_ALIASES: Record<EditionId, Record<string, string[]>> = {
  'api-studio': {
    max_rps: ['API_STUDIO_BOOTSTRAP_MAX_RPS'],
    include_heavy: ['API_STUDIO_BOOTSTRAP_INCLUDE_HEAVY_ENDPOINTS'],
    retention_days: ['API_STUDIO_WEBHOOK_LOG_RETENTION_DAYS', 'API_STUDIO_FLOW_EXECUTION_RETENTION_DAYS'],
  },
  'universal-webhook': {
    max_rps: ['UW_BOOTSTRAP_MAX_RPS'],
    include_heavy: ['UW_BOOTSTRAP_INCLUDE_HEAVY'],
    include_time_entries: ['UW_BOOTSTRAP_INCLUDE_TIME_ENTRIES'],
    time_entry_days_back: ['UW_BOOTSTRAP_TIME_ENTRY_DAYS'],
    max_pages: ['UW_BOOTSTRAP_MAX_PAGES'],
    enable_http_actions: ['UW_ENABLE_GENERIC_HTTP_ACTIONS'],
    retention_days: ['UW_WEBHOOK_LOG_RETENTION_DAYS', 'UW_FLOW_EXECUTION_RETENTION_DAYS'],
  },
  'clockify-addon': {
    run_on_install: ['AUTO_BOOTSTRAP_ON_INSTALL'],
  },
};

export interface EditionIdentityAliases {
  key?: string[];
  baseUrl?: string[];
  port?: string[];
  name?: string[];
  description?: string[];
  vendorName?: string[];
  vendorUrl?: string[];
}

/** Per edition: the Python names of its identity and address variables. */
export const PYTHON_EDITION_ALIASES: Record<EditionId, EditionIdentityAliases> = {
  'api-studio': {},
  'universal-webhook': { key: ['UNIVERSAL_WEBHOOK_ADDON_KEY'] },
  'clockify-addon': {
    key: ['ADDON_KEY'],
    baseUrl: ['BASE_URL'],
    port: ['PORT'],
    name: ['ADDON_NAME'],
    description: ['ADDON_DESCRIPTION'],
    vendorName: ['ADDON_VENDOR_NAME'],
    vendorUrl: ['ADDON_VENDOR_URL'],
  },
};

/** Global variables of ours and their Python names. */
export const PYTHON_GLOBAL_ALIASES: Record<string, string[]> = {
  REQUIRE_SIGNATURE_VERIFICATION: ['API_STUDIO_REQUIRE_SIGNATURE_VERIFICATION', 'UNIVERSAL_WEBHOOK_REQUIRE_SIGNATURE_VERIFICATION'],
  CLOCKIFY_ALLOWED_HOSTS: ['ALLOWED_API_DOMAINS'],
  BOOTSTRAP_CONCURRENCY: ['BOOTSTRAP_BATCH_SIZE'],
};

interface IgnoredVariable {
  reason: string;
  /** Only worth a warning for these values (default: any value). */
  when?: (raw: string) => boolean;
}

const isFalse = (raw: string) => ['0', 'false', 'no', 'off'].includes(raw.trim().toLowerCase());
const notBytes = (bytes: number) => (raw: string) => Number(raw) !== bytes;
const JWKS_REASON =
  "Clockify publishes no such JWKS; tokens are verified with Clockify's published key (CLOCKIFY_PUBLIC_KEY / CLOCKIFY_JWKS_URL)";

/** Python names with no counterpart here, accepted so its `.env` starts, each with why it has no effect. */
export const IGNORED_PYTHON_VARIABLES: Record<string, IgnoredVariable> = {
  CLOCKIFY_ENVIRONMENT: { reason: JWKS_REASON },
  CLOCKIFY_JWKS_DEV_URL: { reason: JWKS_REASON },
  CLOCKIFY_JWKS_PROD_URL: { reason: JWKS_REASON },
  DEBUG: { reason: 'its unauthenticated debug routes are not reproduced: they exposed workspace data to anyone' },
  WEBHOOK_HMAC_SECRET: {
    reason:
      'an HMAC fallback for Clockify webhooks is a forgery path (anyone holding the secret could fake Clockify events); only Clockify-signed webhooks are accepted, custom sources have their own per-source secrets',
  },
  RATE_LIMIT_ENABLED: {
    reason: 'the Clockify budget (RATE_LIMIT_RPS) is always enforced: Clockify answers 429 beyond it anyway',
    when: isFalse,
  },
  API_CALL_MAX_PAYLOAD_BYTES: { reason: 'explorer and API-call bodies are limited to 1 MB (its default)', when: notBytes(1024 * 1024) },
  WEBHOOK_MAX_PAYLOAD_BYTES: { reason: 'webhook bodies are limited to 5 MB (its default)', when: notBytes(5 * 1024 * 1024) },
  WEBHOOK_REQUEST_MAX_RETRIES: {
    reason: "webhook registration calls use the API client's own retry policy (429 and 5xx retried with backoff)",
  },
  WEBHOOK_REQUEST_BACKOFF_BASE: { reason: "webhook registration calls use the API client's own retry policy" },
  WEBHOOK_REQUEST_BACKOFF_CAP: { reason: "webhook registration calls use the API client's own retry policy" },
  UW_ENABLE_CUSTOM_WEBHOOKS: {
    reason: 'custom webhooks are accepted only for sources a workspace admin created; with none, every custom delivery is refused',
    when: isFalse,
  },
  UW_ENABLE_FLOWS: {
    reason: 'flows run only where a workspace created and enabled them; disable them per flow in the sidebar',
    when: isFalse,
  },
};

/** Its default keys where they differ from ours: a Python deployment relying on them must set them here. */
export const PYTHON_DEFAULT_KEYS: Partial<Record<EditionId, { ours: string; python: string }>> = {
  'universal-webhook': { ours: 'UW_ADDON_KEY', python: 'universal-webhook-api' },
  'clockify-addon': { ours: 'CLOCKIFY_ADDON_ADDON_KEY', python: 'clockify-python-addon' },
};

/** Known and used by the Python deployment's tooling (docker compose), not by the server: never warned about. */
export const PYTHON_TOOLING_VARIABLES = ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'];

/** Names under these prefixes are ours: one we do not know is probably a typo. */
export const OUR_PREFIXES = [
  'API_STUDIO_',
  'UW_',
  'UNIVERSAL_WEBHOOK_',
  'CLOCKIFY_',
  'BOOTSTRAP_',
  'ADDON_',
  'WEBHOOK_',
  'RATE_LIMIT_',
  'JOB_',
  'DB_',
];

/** The one-line warnings start-up logs for this environment. Pure. */
export function configWarnings(
  source: Record<string, string | undefined>,
  aliasesUsed: ReadonlyMap<string, string>,
  knownNames: ReadonlySet<string>,
  /** Every alias with the name it stands for. */
  aliasTargets: ReadonlyMap<string, string>,
): string[] {
  const warnings: string[] = [];
  if (aliasesUsed.size > 0) {
    const pairs = [...aliasesUsed].map(([alias, preferred]) => `${alias} -> ${preferred}`);
    warnings.push(
      `Read ${aliasesUsed.size} variable(s) under the Python system's names; they keep working, the preferred names are: ${pairs.join(', ')}`,
    );
  }
  const set = (name: string) => source[name] !== undefined && source[name] !== '';
  const ignored = Object.entries(IGNORED_PYTHON_VARIABLES).filter(
    ([name, entry]) => set(name) && (!entry.when || entry.when(source[name]!)),
  );
  for (const [name, entry] of ignored) warnings.push(`${name} is ignored: ${entry.reason}.`);
  for (const [name, raw] of Object.entries(databaseUrls(source))) {
    if (raw && /^(postgres(?:ql)?|sqlite)\+/i.test(raw)) warnings.push(`${name} is a SQLAlchemy URL; read as ${describeUrl(raw)}.`);
  }
  // A Python .env that relied on its default keys would silently publish other keys here.
  const looksPython =
    aliasesUsed.size > 0 ||
    ignored.length > 0 ||
    Object.values(databaseUrls(source)).some((raw) => raw !== undefined && /^(postgres(?:ql)?|sqlite)\+/i.test(raw));
  if (looksPython) {
    for (const entry of Object.values(PYTHON_DEFAULT_KEYS)) {
      const names = [entry!.ours, ...[...aliasTargets].filter(([, preferred]) => preferred === entry!.ours).map(([alias]) => alias)];
      if (!names.some(set))
        warnings.push(
          `${entry!.ours} is not set: the key is not the Python system's default "${entry!.python}". A published key never changes; set ${entry!.ours}=${entry!.python} if that is the key Clockify knows.`,
        );
    }
  }
  const unknown = Object.keys(source)
    .filter((name) => set(name) && OUR_PREFIXES.some((prefix) => name.startsWith(prefix)) && !knownNames.has(name))
    .sort();
  for (const name of unknown) {
    const closest = closestName(name, [...knownNames]);
    const preferred = closest ? aliasTargets.get(closest) : undefined;
    warnings.push(
      `${name} is not a known variable and is ignored${closest ? `; did you mean ${closest}${preferred ? ` (preferred name: ${preferred})` : ''}?` : '.'}`,
    );
  }
  return warnings;
}

function databaseUrls(source: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    API_STUDIO_DB_URL: source.API_STUDIO_DB_URL,
    UNIVERSAL_WEBHOOK_DB_URL: source.UNIVERSAL_WEBHOOK_DB_URL,
    DATABASE_URL: source.DATABASE_URL,
  };
}

/** The scheme and path, never the credentials. */
function describeUrl(raw: string): string {
  const scheme = raw.slice(0, raw.indexOf(':')).replace(/\+.*/, '');
  return scheme.startsWith('sqlite') ? 'a SQLite file' : `a PostgreSQL URL (${scheme}://…)`;
}

/** The known name nearest by edit distance, if near enough to be a likely typo or variant. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(3, Math.floor(name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
