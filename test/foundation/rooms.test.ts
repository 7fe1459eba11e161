/**
 * The edition core collects what rooms declare: a job kind declared by two rooms stops the edition
 * (naming both), consumers run by their declared order, rooms start in order and stop in reverse.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildEditionApp } from '../../src/edition.js';
import { defineRoom } from '../../src/room.js';
import type { RoomDefinition } from '../../src/room.js';
import { ROOMS, setupRooms } from '../../src/rooms.js';
import { createTestRuntime } from '../helpers/runtime.js';

const noop = async () => undefined;

describe('rooms', () => {
  it('an edition whose rooms declare one job kind twice does not start, and the error names both rooms', async () => {
    const copycat = defineRoom({ name: 'copycat', setup: () => ({ jobs: { 'webhook.process': noop } }) });
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite', buildApp: async () => Fastify() });
    try {
      await expect(setupRooms(t.runtime, [...ROOMS, copycat])).rejects.toThrow(
        'job kind "webhook.process" is declared by both room "ingest" and room "copycat"',
      );
    } finally {
      await t.close();
    }
  });

  it('every room of the edition declares its own job kinds (setting them up twice on one runtime fails)', async () => {
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite' });
    try {
      expect(Object.keys(t.runtime.jobHandlers)).toEqual(expect.arrayContaining(['webhook.process', 'bootstrap.run', 'workspace.purge']));
      await expect(buildEditionApp(t.runtime)).rejects.toThrow(/job kind ".+" is declared by both the runtime and room/);
    } finally {
      await t.close();
    }
  });

  it('runs consumers by their declared order, whatever the order of the rooms', async () => {
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite' });
    try {
      // The ingest room (forwarding, order 20) is set up before the flows room (order 10).
      expect(ROOMS.findIndex((room) => room.name === 'ingest')).toBeLessThan(ROOMS.findIndex((room) => room.name === 'flows'));
      expect(t.runtime.consumers.map((entry) => entry.name)).toEqual(['flows', 'forwarding']);
    } finally {
      await t.close();
    }
  });

  it('starts rooms in order and stops them in reverse when the edition closes', async () => {
    const seen: string[] = [];
    const room = (name: string, order: number): RoomDefinition =>
      defineRoom({
        name,
        setup: () => ({
          consumers: [{ name: `${name}-consumer`, order, consume: noop }],
          start: () => void seen.push(`start ${name}`),
          stop: () => void seen.push(`stop ${name}`),
        }),
      });
    const t = await createTestRuntime('clockify-addon', { dialect: 'sqlite', buildApp: async () => Fastify() });
    try {
      await setupRooms(t.runtime, [room('a', 30), room('b', 10), room('c', 20)]);
      expect(t.runtime.consumers.map((entry) => entry.name)).toEqual(['b-consumer', 'c-consumer', 'a-consumer']);
      expect(seen).toEqual(['start a', 'start b', 'start c']);
    } finally {
      await t.close();
    }
    expect(seen).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });
});
