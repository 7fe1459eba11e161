/**
 * Clockify counts a call when it arrives, not when the add-on's limiter let it go. A call that took
 * long on its way (a busy event loop, a slow network: here the sandbox's added latency) must not let
 * the next second's calls meet it inside one of Clockify's seconds. Against the sandbox's strict
 * sliding second at 2 calls per second: one slow call, then two quick ones, and no 429.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { flushPrefix, describeWithRedis, redisUrl } from '../../helpers/redis.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';

const BUDGET = 2;

async function slowCallThenTwoQuickOnes(env: Record<string, string>): Promise<{ stack: Stack; statuses: number[]; answers: number[] }> {
  const stack = await startStack({
    editions: ['universal-webhook'],
    env: { RATE_LIMIT_RPS: String(BUDGET), ...env },
    sandbox: { seed: { users: 1, projects: 1, timeEntries: 0 }, rateLimitPerSecond: BUDGET },
    // No webhook registrations after the install: the calls below are the workspace's only ones.
    worker: false,
  });
  const { workspaceId } = await stack.install('universal-webhook');
  const token = await stack.userToken('universal-webhook', 'OWNER');
  const since = stack.sandbox.requestLog().length;
  const call = async () => {
    const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { token, body: { operationId: 'getTags' } });
    expect(response.status).toBe(200);
    return (response.body as { status: number }).status;
  };
  // The first call reaches Clockify 400 ms after it was let go; the next ones at once.
  stack.sandbox.setFaults({ latencyMs: 400 });
  const answers = [await call()];
  stack.sandbox.setFaults({ latencyMs: 0 });
  answers.push(await call(), await call());
  const statuses = stack.sandbox
    .requestLog()
    .slice(since)
    .filter((record) => record.workspaceId === workspaceId && record.path.endsWith('/tags'))
    .map((record) => record.status);
  return { stack, statuses, answers };
}

describe('a call that arrives late at Clockify (in-process budget)', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
  });

  it("does not make the next calls meet it in one of Clockify's seconds: no 429", async () => {
    const result = await slowCallThenTwoQuickOnes({});
    stack = result.stack;
    expect(result.answers).toEqual([200, 200, 200]);
    // Each call went once: none was refused and sent again.
    expect(result.statuses).toEqual([200, 200, 200]);
  });
});

describeWithRedis('a call that arrives late at Clockify (budget shared through Redis)', () => {
  const addonKey = `uw-late-${randomBytes(4).toString('hex')}`;
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    await flushPrefix(`clockify:rl:${addonKey}`);
  });

  it("does not make the next calls meet it in one of Clockify's seconds: no 429", async () => {
    const result = await slowCallThenTwoQuickOnes({ REDIS_URL: redisUrl, UW_ADDON_KEY: addonKey });
    stack = result.stack;
    expect(result.answers).toEqual([200, 200, 200]);
    expect(result.statuses).toEqual([200, 200, 200]);
  });
});
