import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter, type RateLimiter } from '../../../src/clockify/rate-limit/index.js';

const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = 6379;

/** PING over a plain socket, so an absent Redis costs one short timeout and no reconnect noise. */
function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: REDIS_HOST, port: REDIS_PORT });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

describe('Redis rate limiter without Redis', () => {
  it('falls back to an in-process budget instead of failing calls', async () => {
    // A port nothing listens on; no reconnects, so the client gives up at once.
    const client = new Redis({ host: REDIS_HOST, port: 1, lazyConnect: false, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => {});
    const limiter = createRedisRateLimiter({
      redis: client,
      keyPrefix: `test:clockify-rl:${randomUUID()}`,
      perSecond: 2,
      windowSeconds: 60,
    });
    try {
      await limiter.acquire('ws', 'interactive');
      await limiter.acquire('ws', 'interactive');
      // The fallback still enforces the budget.
      const signal = AbortSignal.timeout(200);
      const third = await limiter.acquire('ws', 'interactive', signal).catch((error: unknown) => error);
      expect(signal.aborted).toBe(true);
      expect(third).toBe(signal.reason);
    } finally {
      await limiter.close?.();
      client.disconnect();
    }
  });
});

const redisUp = await redisAnswers();
const unreachable = `Redis at ${REDIS_HOST}:${REDIS_PORT} is unreachable`;

if (!redisUp && process.env.CI === 'true') {
  describe('Redis rate limiter', () => {
    it('needs Redis in CI', () => {
      throw new Error(`${unreachable}; CI=true requires it for the shared rate-limit tests`);
    });
  });
} else if (!redisUp) {
  console.warn(`[redis-limiter.test] skipped: ${unreachable}. Start redis-server (or set CI=true to make this a failure).`);
  describe.skip(`Redis rate limiter (skipped: ${unreachable})`, () => {
    it('shares one budget between processes', () => {});
  });
} else {
  describe('Redis rate limiter', () => {
    const clients: Redis[] = [];
    const limiters: RateLimiter[] = [];
    const prefixes: string[] = [];

    function newClient(): Redis {
      const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    }

    /** A limiter as another process would make it: its own connection, the same key prefix. */
    function limiterOf(
      keyPrefix: string,
      options: { perSecond?: number; backgroundPerSecond?: number; windowSeconds?: number; untilSettled?: boolean } = {},
    ): RateLimiter {
      prefixes.push(keyPrefix);
      const limiter = createRedisRateLimiter({ redis: newClient(), keyPrefix, fallbackToMemory: false, ...options });
      limiters.push(limiter);
      return limiter;
    }

    /** Resolves 'blocked' when the acquisition is still waiting once `ms` have passed. The window is far longer, so this is not a timing race. */
    function outcome(promise: Promise<unknown>, signal: AbortSignal): Promise<'granted' | 'blocked'> {
      return promise.then(
        () => 'granted' as const,
        (error: unknown) => {
          if (signal.aborted) return 'blocked' as const;
          throw error;
        },
      );
    }

    beforeAll(async () => {
      await newClient().ping();
    });

    afterAll(async () => {
      for (const limiter of limiters) await limiter.close?.();
      // The Redis may be shared with other work: leave nothing behind.
      const cleaner = clients[0]!;
      for (const prefix of prefixes) {
        const keys = await cleaner.keys(`${prefix}:*`);
        if (keys.length > 0) await cleaner.del(...keys);
      }
      await Promise.all(clients.map((client) => client.quit()));
    });

    it('shares one budget between two limiter instances', async () => {
      const prefix = `test:clockify-rl:${randomUUID()}`;
      // A long window: whatever is refused below stays refused for the whole test.
      const processA = limiterOf(prefix, { perSecond: 5, windowSeconds: 60 });
      const processB = limiterOf(prefix, { perSecond: 5, windowSeconds: 60 });

      await Promise.all([1, 2, 3].map(() => processA.acquire('ws', 'interactive')));
      await Promise.all([1, 2].map(() => processB.acquire('ws', 'interactive')));

      const signalA = AbortSignal.timeout(300);
      const signalB = AbortSignal.timeout(300);
      const [sixthA, sixthB] = await Promise.all([
        outcome(processA.acquire('ws', 'interactive', signalA), signalA),
        outcome(processB.acquire('ws', 'interactive', signalB), signalB),
      ]);
      expect([sixthA, sixthB]).toEqual(['blocked', 'blocked']);

      // Other workspaces and other key prefixes are separate budgets.
      await expect(processB.acquire('other-ws', 'interactive')).resolves.toHaveProperty('settled');
      const unrelated = limiterOf(`test:clockify-rl:${randomUUID()}`, { perSecond: 5, windowSeconds: 60 });
      await expect(unrelated.acquire('ws', 'interactive')).resolves.toHaveProperty('settled');
    });

    it('shares the background share too', async () => {
      const prefix = `test:clockify-rl:${randomUUID()}`;
      const processA = limiterOf(prefix, { perSecond: 10, backgroundPerSecond: 2, windowSeconds: 60 });
      const processB = limiterOf(prefix, { perSecond: 10, backgroundPerSecond: 2, windowSeconds: 60 });
      await processA.acquire('ws', 'background');
      await processB.acquire('ws', 'background');
      const signal = AbortSignal.timeout(300);
      expect(await outcome(processA.acquire('ws', 'background', signal), signal)).toBe('blocked');
      // The interactive lane still has room in the shared budget.
      await expect(processB.acquire('ws', 'interactive')).resolves.toHaveProperty('settled');
    });

    it('counted from when calls settled, holds the place of a call another instance has not settled', async () => {
      const prefix = `test:clockify-rl:${randomUUID()}`;
      const processA = limiterOf(prefix, { perSecond: 1, windowSeconds: 1, untilSettled: true });
      const processB = limiterOf(prefix, { perSecond: 1, windowSeconds: 1, untilSettled: true });
      const onItsWay = await processA.acquire('ws', 'interactive');
      // Longer than the window: counted from its grant, the place would be free by now.
      const signal = AbortSignal.timeout(2_500);
      expect(await outcome(processB.acquire('ws', 'interactive', signal), signal)).toBe('blocked');
      onItsWay.settled();
      await expect(processB.acquire('ws', 'interactive')).resolves.toHaveProperty('settled');
    });

    it('waits for the next window instead of failing', async () => {
      const prefix = `test:clockify-rl:${randomUUID()}`;
      const limiter = limiterOf(prefix, { perSecond: 2, windowSeconds: 1 });
      const results = await Promise.allSettled([1, 2, 3].map(() => limiter.acquire('ws', 'interactive')));
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    });
  });
}
