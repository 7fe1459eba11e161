import { Counter, Histogram, type Registry } from 'prom-client';

/** How long calls wait for the per-workspace budget. No workspace label: cardinality stays fixed. */
export interface RateLimitMetrics {
  waitSeconds: Histogram<'lane'>;
  waits: Counter<'lane'>;
}

/** Safe to call more than once per registry: existing metrics are reused. */
export function createRateLimitMetrics(registry: Registry): RateLimitMetrics {
  const waitSeconds =
    (registry.getSingleMetric('clockify_rate_limit_wait_seconds') as Histogram<'lane'> | undefined) ??
    new Histogram({
      name: 'clockify_rate_limit_wait_seconds',
      help: 'Time an outgoing Clockify call waited for its workspace budget (0 when it went straight through).',
      labelNames: ['lane'] as const,
      buckets: [0, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  const waits =
    (registry.getSingleMetric('clockify_rate_limit_waits_total') as Counter<'lane'> | undefined) ??
    new Counter({
      name: 'clockify_rate_limit_waits_total',
      help: 'Outgoing Clockify calls that had to wait for their workspace budget.',
      labelNames: ['lane'] as const,
      registers: [registry],
    });
  return { waitSeconds, waits };
}

export function observeWait(metrics: RateLimitMetrics | undefined, lane: string, waitedMs: number): void {
  if (!metrics) return;
  metrics.waitSeconds.observe({ lane }, waitedMs / 1000);
  if (waitedMs > 0) metrics.waits.inc({ lane });
}
