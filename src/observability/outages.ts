import { Counter, Gauge } from 'prom-client';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { StorageHealth } from '../storage/availability.js';

/**
 * What an operator sees of an outage besides /ready: one log line when the database becomes
 * unavailable and one when it is back (not one per refused request), and gauges to alert on.
 */
export function watchOutages(input: { health: StorageHealth; redis?: Redis; metrics: Metrics; logger: Logger }): () => void {
  const { health, redis, metrics, logger } = input;
  new Gauge({
    name: 'database_available',
    help: '1 while the database takes writes, 0 during an outage (webhooks answer 503 meanwhile).',
    registers: [metrics.registry],
    collect() {
      this.set(health.current.ok ? 1 : 0);
    },
  });
  const outages = new Counter({
    name: 'database_outages_total',
    help: 'Times the database became unavailable to this process.',
    registers: [metrics.registry],
  });
  if (redis) {
    new Gauge({
      name: 'redis_available',
      help: '1 while Redis answers; 0 while the rate budget and live events fall back to this process alone.',
      registers: [metrics.registry],
      collect() {
        this.set(redis.status === 'ready' ? 1 : 0);
      },
    });
  }
  const offFailed = health.onFailed((reason) => {
    outages.inc();
    logger.error({ reason }, 'database unavailable: requests that need it answer 503 with Retry-After and /ready fails until it is back');
  });
  const offRecovered = health.onRecovered((outage) => {
    logger.warn({ downForMs: Date.now() - outage.since, reason: outage.reason }, 'database available again');
  });
  return () => {
    offFailed();
    offRecovered();
  };
}
