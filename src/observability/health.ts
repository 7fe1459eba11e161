import { sql } from 'kysely';
import type { Runtime } from '../runtime.js';
import { pendingMigrations } from '../storage/database.js';
import { storageUnavailableReason } from '../storage/availability.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Working, but with less than normal (Redis down: the rate budget is counted per instance). Not a readiness failure. */
  degraded?: boolean;
  detail?: string;
  durationMs: number;
}

/** What /health says while Redis is unreachable: the instance works on, with a budget of its own. */
export const REDIS_DEGRADED_DETAIL =
  'Redis is unreachable: the Clockify rate budget is counted by this instance alone (in-process) and live events reach only browsers connected to it';

async function timed(name: string, check: () => Promise<string | undefined>): Promise<CheckResult> {
  const started = performance.now();
  try {
    const detail = await withTimeout(check(), 2000);
    return { name, ok: true, ...(detail ? { detail } : {}), durationMs: round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
      durationMs: round(performance.now() - started),
    };
  }
}

/**
 * Readiness: the database takes writes and migrations are applied. Redis is optional: when it does
 * not answer the check is `degraded`, never failing, so a balancer keeps a healthy instance.
 */
export async function readinessChecks(runtime: Runtime): Promise<CheckResult[]> {
  const { database } = runtime;
  const checks = [
    timed('database', async () => {
      try {
        // During an outage noticed by a request: probe now rather than wait for the next scheduled probe.
        if (!database.health.current.ok && !(await database.health.check()))
          throw new Error(database.health.current.reason ?? 'unavailable');
        if (database.dialect === 'sqlite') {
          // A write lock taken and given back: fails on a read-only file, which SELECT 1 does not notice.
          await database.sqlite!.exclusive((connection) => {
            connection.exec('BEGIN IMMEDIATE');
            connection.exec('ROLLBACK');
          });
        } else {
          await sql`SELECT 1`.execute(database.db);
        }
      } catch (error) {
        const reason = storageUnavailableReason(error);
        if (reason) database.health.noteFailure(reason);
        throw error;
      }
      return database.dialect;
    }),
    timed('migrations', async () => {
      const pending = await pendingMigrations(runtime.database);
      if (pending.length > 0) throw new Error(`pending: ${pending.join(', ')}`);
      return undefined;
    }),
  ];
  if (runtime.redis) {
    const redis = runtime.redis;
    checks.push(
      timed('redis', async () => {
        // Not connected: say so at once instead of waiting for a PING queued behind the reconnection.
        if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
        const answer = await redis.ping();
        if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
        return undefined;
      }).then((check) => (check.ok ? check : { ...check, ok: true, degraded: true, detail: `${REDIS_DEGRADED_DETAIL} (${check.detail})` })),
    );
  }
  return Promise.all(checks);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const round = (value: number) => Math.round(value * 10) / 10;
