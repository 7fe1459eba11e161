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

  /** Two instances of one edition relaying through the same Redis (closed after each test). */
  async function twoInstances(): Promise<[TestRuntime, TestRuntime]> {
    for (let i = 0; i < 2; i++)
      opened.push(await createTestRuntime('universal-webhook', { dialect: 'sqlite', env: { REDIS_URL: redisUrl } }));
    return [opened[opened.length - 2]!, opened[opened.length - 1]!];
  }

  it('an event published by one instance reaches the streams held open by another, once, and only for its workspace', async (context) => {
    await requireRedis(context);
    const [first, second] = await twoInstances();
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

  it('relays a burst published in one turn as one Redis message, in order, and still understands one-event messages', async (context) => {
    await requireRedis(context);
    const [first, second] = await twoInstances();
    const channel = `cap:live:${first.runtime.editionConfig.key}`;
    const { Redis } = await import('ioredis');
    const listener = new Redis(redisUrl);
    const messages: string[] = [];
    try {
      await listener.subscribe(channel);
      const workspaceId = `ws-burst-${Date.now()}`;
      // Other tests' instances of this edition may share the channel: keep this workspace's messages.
      listener.on('message', (_channel: string, message: string) => {
        if (message.includes(workspaceId)) messages.push(message);
      });
      const heard: LiveEvent[] = [];
      second.runtime.bus.subscribe(workspaceId, (event) => heard.push(event));

      for (let i = 0; i < 100; i++) first.runtime.bus.publish({ kind: 'webhook', workspaceId, data: { id: `e${i}` } });
      await eventually(() => heard.length === 100);
      expect(heard.map((event) => event.data.id)).toEqual(Array.from({ length: 100 }, (_, i) => `e${i}`));
      await eventually(() => messages.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(messages).toHaveLength(1);

      // An instance of an earlier release sends one event per message: still heard.
      const publisher = new Redis(redisUrl);
      try {
        await publisher.publish(
          channel,
          JSON.stringify({ origin: 'earlier-release', event: { kind: 'webhook', workspaceId, data: { id: 'old' } } }),
        );
      } finally {
        publisher.disconnect();
      }
      await eventually(() => heard.length === 101);
      expect(heard[100]!.data.id).toBe('old');
    } finally {
      listener.disconnect();
    }
  });
});
