/**
 * Whether an error means "the database cannot take this right now" (unreachable, restarting, full,
 * read-only) rather than "this request is wrong" or a bug. Those answer 503 with Retry-After, so
 * Clockify retries a webhook later instead of counting it delivered, and mark the storage unhealthy
 * for /ready until a probe succeeds again.
 */

/** Network errors of the PostgreSQL client (node's socket codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/**
 * PostgreSQL SQLSTATEs of an unavailable server: class 08 (connection exception), shutdowns and
 * start-up (57P01-57P03), too many connections (53300), disk full (53100), out of memory (53200),
 * and a read-only transaction (25006: a failover left us on a standby).
 */
const POSTGRES_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53100', '53200', '25006']);

/** Messages of node-postgres for a connection that ended or never came. */
const POSTGRES_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /Connection terminated due to connection timeout/i,
  /^terminating connection/,
];

/** SQLite result codes (better-sqlite3's `code`, extended codes included) of a file that cannot be written. */
const SQLITE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|PROTOCOL|NOLFS|LOCKED)/;

/** A short reason when `error` means the database is unavailable, else undefined. */
export function storageUnavailableReason(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    if (SQLITE_CODES.test(code)) return `${code}: ${text}`;
    if (NETWORK_CODES.has(code)) return `${code}: the database server is unreachable`;
    if (code.startsWith('08') || POSTGRES_STATES.has(code)) return `${code}: ${text}`;
  }
  if (POSTGRES_MESSAGES.some((pattern) => pattern.test(text))) return text;
  // AggregateError (a host name resolving to several addresses, all refused) and wrapped causes.
  const nested = (error as { errors?: unknown[]; cause?: unknown }).errors?.[0] ?? (error as { cause?: unknown }).cause;
  return nested && nested !== error ? storageUnavailableReason(nested) : undefined;
}

export interface StorageState {
  ok: boolean;
  /** Epoch ms of the first failure of the current outage. */
  failingSince?: number;
  reason?: string;
}

/**
 * The database's availability as this process sees it. A request that fails for an availability
 * reason marks it failing; from then on a probe runs every few seconds, and the first that succeeds
 * marks it available again and tells the listeners (reconciliation catches up on what Clockify
 * could not deliver meanwhile).
 */
export class StorageHealth {
  private state: StorageState = { ok: true };
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly recoveredListeners = new Set<(outage: { since: number; reason: string }) => void>();
  private readonly failedListeners = new Set<(reason: string) => void>();

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly options: { probeIntervalMs?: number; now?: () => number } = {},
  ) {}

  get current(): StorageState {
    return { ...this.state };
  }

  noteFailure(reason: string): void {
    if (!this.state.ok) return;
    this.state = { ok: false, failingSince: (this.options.now ?? Date.now)(), reason };
    for (const listener of this.failedListeners) listener(reason);
    this.scheduleProbe();
  }

  /** Probes now (while failing): true when the database answers again. */
  async check(): Promise<boolean> {
    if (this.state.ok) return true;
    if (this.probing) return false;
    this.probing = true;
    try {
      await this.probe();
      const outage = { since: this.state.failingSince ?? 0, reason: this.state.reason ?? '' };
      this.state = { ok: true };
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      for (const listener of this.recoveredListeners) listener(outage);
      return true;
    } catch (error) {
      this.state = { ...this.state, reason: storageUnavailableReason(error) ?? (error instanceof Error ? error.message : String(error)) };
      return false;
    } finally {
      this.probing = false;
    }
  }

  onRecovered(listener: (outage: { since: number; reason: string }) => void): () => void {
    this.recoveredListeners.add(listener);
    return () => this.recoveredListeners.delete(listener);
  }

  onFailed(listener: (reason: string) => void): () => void {
    this.failedListeners.add(listener);
    return () => this.failedListeners.delete(listener);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.recoveredListeners.clear();
    this.failedListeners.clear();
    this.state = { ok: true };
  }

  private scheduleProbe(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check().then((ok) => {
        if (!ok) this.scheduleProbe();
      });
    }, this.options.probeIntervalMs ?? 2000);
    this.timer.unref();
  }
}
