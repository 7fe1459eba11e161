/**
 * Two instances of one edition behind the same Redis share one per-workspace budget: driven together
 * far above Clockify's 50 requests per second, the sandbox never sees more than 50 in any second and
 * never answers 429.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEdition } from '../../src/edition.js';
import type { RunningEdition } from '../../src/edition.js';
import { flushPrefix, describeWithRedis, redisUrl } from '../helpers/redis.js';
import { freePort, startStack } from '../helpers/stack.js';
import { jobsSettled } from '../lifecycle/support.js';
import type { Stack } from '../helpers/stack.js';

const CALLS = 300;

describeWithRedis('two instances sharing Redis stay under the workspace budget', () => {
  // A key of its own keeps this test's Redis counters apart from any other run on the same Redis.
  const addonKey = `uw-budget-${randomBytes(4).toString('hex')}`;
  let stack: Stack;
  let second: RunningEdition;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({
      editions: ['universal-webhook'],
      env: { REDIS_URL: redisUrl, UW_ADDON_KEY: addonKey },
      sandbox: { seed: { seed: 606, users: 2, projects: 2, timeEntries: 5 } },
    });
    const first = stack.edition('universal-webhook');
    // Same configuration and database, another port: a second replica behind the load balancer.
    second = await startEdition('universal-webhook', first.runtime.config, { logger: stack.logs.logger, port: await freePort() });
    ({ workspaceId } = await stack.install('universal-webhook'));
    // The install's own background work (webhook registration, bootstrap) runs in this same process,
    // next to the sandbox: finished first, it cannot stall the sandbox's clock during the burst (a
    // stalled event loop stamps requests that arrived apart as if they arrived together).
    await jobsSettled(stack.edition('universal-webhook'), 60_000);
  }, 90_000);
  afterAll(async () => {
    await second?.stop();
    await stack?.close();
    await flushPrefix(`clockify:rl:${addonKey}`);
  });

  it(`${CALLS} explorer calls offered at once through both instances: at most 50 per second and no 429`, async () => {
    const token = await stack.userToken('universal-webhook', 'OWNER');
    const instances = [stack.edition('universal-webhook').url, second.url];
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CALLS }, async (_, index) => {
        const response = await fetch(`${instances[index % instances.length]}/ui/api-explorer/execute`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ operationId: 'getTags' }),
        });
        return { status: response.status, body: (await response.json()) as { status: number; attempts: number } };
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    expect(results.every((result) => result.status === 200 && result.body.status === 200)).toBe(true);
    const log = stack.sandbox.requestLog().filter((record) => record.workspaceId === workspaceId);
    expect(log.filter((record) => record.status === 429)).toEqual([]);
    const peak = stack.sandbox.maxRequestsPerSecond(workspaceId);
    expect(peak).toBeLessThanOrEqual(50);
    // The offered load was all at once; the budget, not the load, set the pace.
    expect(peak).toBeGreaterThanOrEqual(30);
    expect(seconds).toBeGreaterThan((CALLS / 50) * 0.8);
    console.info(`[shared budget] ${CALLS} calls in ${seconds.toFixed(1)} s through 2 instances; sandbox peak ${peak}/s, 429s: 0`);
  });
});
