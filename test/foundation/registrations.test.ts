import { describe, expect, it } from 'vitest';
import { buildEditionApp } from '../../src/edition.js';
import type { EventConsumer } from '../../src/ingest/consumers.js';
import { insertByOrder, registerOnce } from '../../src/registrations.js';
import { createTestRuntime } from '../helpers/runtime.js';

const consumer = (name: string): EventConsumer => ({ name, consume: async () => undefined });

describe('room registrations', () => {
  it('refuses a job kind registered twice', () => {
    const registry: Record<string, number> = {};
    registerOnce(registry, 'webhook.process', 1, 'job kind');
    expect(() => registerOnce(registry, 'webhook.process', 2, 'job kind')).toThrow('job kind "webhook.process" is registered twice');
    expect(registry).toEqual({ 'webhook.process': 1 });
  });

  it('orders consumers by their declared order, not by who registered first; unordered ones last', () => {
    const list: EventConsumer[] = [];
    const orders = new WeakMap<EventConsumer, number>();
    insertByOrder(list, consumer('forwarding'), 20, orders);
    list.push(consumer('pushed-by-hand'));
    insertByOrder(list, consumer('flows'), 10, orders);
    insertByOrder(list, consumer('late-flows-peer'), 10, orders);
    expect(list.map((entry) => entry.name)).toEqual(['flows', 'late-flows-peer', 'forwarding', 'pushed-by-hand']);
  });

  it('an edition whose rooms register a job kind twice does not start', async () => {
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite' });
    try {
      // Flows run before forwarding although the ingest room (forwarding) is created first.
      expect(t.runtime.consumers.map((entry) => entry.name)).toEqual(['flows', 'forwarding']);
      // Creating the rooms again on the same runtime registers every kind a second time.
      await expect(buildEditionApp(t.runtime)).rejects.toThrow(/job kind ".+" is registered twice/);
    } finally {
      await t.close();
    }
  });
});
