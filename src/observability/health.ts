import { sql } from 'kysely';
import type { Runtime } from '../runtime.js';
import { pendingMigrations } from '../storage/database.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
  durationMs: number;
}

async function timed(name: string, check: () => Promise<string | undefined>): Promise<CheckResult> {
  const started = performance.now();
  try {
    const detail = await withTimeout(check(), 2000);
    return { name, ok: true, ...(detail ? { detail } : {}), durationMs: round(performance.now() - started) };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error), durationMs: round(performance.now() - started) };
  }
}

/** Readiness: the database answers, migrations are applied and Redis (when configured) answers. */
export async function readinessChecks(runtime: Runtime): Promise<CheckResult[]> {
  const checks = [
    timed('database', async () => {
      await sql`SELECT 1`.execute(runtime.database.db);
      return runtime.database.dialect;
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
        const answer = await redis.ping();
        if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
        return undefined;
      }),
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
