/**
 * Redis for tests, at redis://127.0.0.1:6379 (TEST_REDIS_URL overrides it). Same rule as PostgreSQL:
 * unreachable Redis skips the test on a laptop and fails it under CI (CI=true).
 *
 *   describeWithRedis('shared limiter', () => { … });
 *   // or inside one test / beforeEach:  it('…', async (ctx) => { await requireRedis(ctx); … });
 *
 * Use a unique key prefix per test and `flushPrefix(prefix)` afterwards; never FLUSHALL.
 */
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let probe: Promise<boolean> | undefined;

/** Whether Redis answers PING (probed once per test file). */
export function redisAvailable(): Promise<boolean> {
  probe ??= (async () => {
    const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  })();
  return probe;
}

const unavailableMessage = () => `Redis is required under CI but ${redisUrl} is unreachable`;

/**
 * Call at the start of a test (or in beforeEach) with its context: returns when Redis answers,
 * throws under CI when it does not, and otherwise skips the test.
 */
export async function requireRedis(context: { skip: (note?: string) => void }): Promise<void> {
  if (await redisAvailable()) return;
  if (process.env.CI === 'true') throw new Error(unavailableMessage());
  console.warn(`[tests] Redis at ${redisUrl} is unreachable: skipping (this fails under CI=true).`);
  context.skip(`Redis at ${redisUrl} is unreachable`);
}

const reachable = await redisAvailable();

/** A describe block that needs Redis, with the CI-fails / laptop-skips rule. */
export function describeWithRedis(name: string, fn: () => void): void {
  if (reachable) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Redis', () => {
        throw new Error(unavailableMessage());
      });
    });
    return;
  }
  console.warn(`[tests] Redis at ${redisUrl} is unreachable: skipping "${name}" (this fails under CI=true).`);
  describe.skip(name, fn);
}

/** Deletes every key starting with `prefix` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function flushPrefix(prefix: string): Promise<number> {
  if (!prefix) throw new Error('flushPrefix needs a non-empty prefix');
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
