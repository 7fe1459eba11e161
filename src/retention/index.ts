import { defineRoom } from '../room.js';
import { RetentionScheduler } from './scheduler.js';
import { RETENTION_EXEMPTIONS } from './tables.js';

/**
 * The retention clean-up as a room: no routes, a timer that runs it every
 * RETENTION_INTERVAL_MINUTES (one instance per period, through a lease), stopped with the edition.
 * What it removes comes from every room's data policies (`runtime.dataPolicies`).
 */
export const retentionRoom = defineRoom({
  name: 'retention',
  exemptions: RETENTION_EXEMPTIONS,
  setup: (runtime) => {
    const scheduler = new RetentionScheduler(runtime, { intervalMs: runtime.config.retention.intervalMinutes * 60_000 });
    return { start: () => scheduler.start(), stop: () => scheduler.stop() };
  },
});

export { runRetention, sweptTables } from './sweeper.js';
export type { RetentionDeps, RetentionOptions, RetentionReport, RetentionTable } from './sweeper.js';
export { LeaseLock } from './lease-lock.js';
export { planRetention } from './policy.js';
