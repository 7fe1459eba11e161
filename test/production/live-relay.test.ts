import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/events-bus.js';
import { eventually } from '../helpers/stack.js';
import { redisUrl, requireRedis } from '../helpers/redis.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';

describe('live events across instances (Redis publish/subscribe)', () => {
  const opened: TestRuntime[] = [];
  afterEach(async () => {
    for (const runtime of opened.splice(0)) await runtime.close();
  });

  it('an event published by one instance reaches the streams held open by another, once, and only for its workspace', async (context) => {
    await requireRedis(context);
    const first = await createTestRuntime('universal-webhook', { dialect: 'sqlite', env: { REDIS_URL: redisUrl } });
    opened.push(first);
    const second = await createTestRuntime('universal-webhook', { dialect: 'sqlite', env: { REDIS_URL: redisUrl } });
    opened.push(second);
    // Redis subscriptions are ready once connectRedis resolved inside createRuntime.
    const heardBySecond: LiveEvent[] = [];
    const heardByFirst: LiveEvent[] = [];
    const otherWorkspace: LiveEvent[] = [];
    const workspaceId = `ws-${Date.now()}`;
    second.runtime.bus.subscribe(workspaceId, (event) => heardBySecond.push(event));
    first.runtime.bus.subscribe(workspaceId, (event) => heardByFirst.push(event));
    second.runtime.bus.subscribe(`${workspaceId}-other`, (event) => otherWorkspace.push(event));

    first.runtime.bus.publish({ kind: 'webhook', workspaceId, data: { id: 'e1', eventType: 'NEW_TIME_ENTRY' } });

    await eventually(() => heardBySecond.length === 1);
    expect(heardBySecond[0]).toEqual({ kind: 'webhook', workspaceId, data: { id: 'e1', eventType: 'NEW_TIME_ENTRY' } });
    // The publisher hears its own event once (locally), not again through Redis.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardByFirst).toHaveLength(1);
    expect(heardBySecond).toHaveLength(1);
    expect(otherWorkspace).toEqual([]);
  });
});
