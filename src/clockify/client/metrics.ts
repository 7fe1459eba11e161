import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Prometheus metrics of the API client. Labels stay low-cardinality: operation id (168 at most),
 * status class, lane, retry reason; never workspace ids.
 */
export interface ClientMetrics {
  requests: Counter<'operation' | 'status_class' | 'lane'>;
  duration: Histogram<'operation' | 'lane'>;
  retries: Counter<'reason'>;
}

/** Safe to call more than once per registry: existing metrics are reused. */
export function createClientMetrics(registry: Registry): ClientMetrics {
  return {
    requests: reuse(
      registry,
      'clockify_api_requests_total',
      () =>
        new Counter({
          name: 'clockify_api_requests_total',
          help: 'Calls to the Clockify API, by operation, outcome (2xx, 4xx, 5xx, network, timeout, aborted, refused) and lane.',
          labelNames: ['operation', 'status_class', 'lane'] as const,
          registers: [registry],
        }),
    ),
    duration: reuse(
      registry,
      'clockify_api_request_duration_seconds',
      () =>
        new Histogram({
          name: 'clockify_api_request_duration_seconds',
          help: 'Time of a Clockify API call including retries and rate-limit waits.',
          labelNames: ['operation', 'lane'] as const,
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        }),
    ),
    retries: reuse(
      registry,
      'clockify_api_retries_total',
      () =>
        new Counter({
          name: 'clockify_api_retries_total',
          help: 'Clockify API attempts that were retried, by reason (429, 5xx, network, timeout).',
          labelNames: ['reason'] as const,
          registers: [registry],
        }),
    ),
  };
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
