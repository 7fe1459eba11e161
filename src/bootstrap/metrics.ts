import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

export interface BootstrapMetrics {
  pages: Counter;
  entities: Counter;
  errors: Counter<'operation'>;
  runDuration: Histogram;
  runs: Counter<'outcome'>;
}

/** Bootstrap's metrics on the edition's registry; created once per registry (a second room reuses them). */
export function bootstrapMetrics(registry: Registry): BootstrapMetrics {
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  return {
    pages:
      existing<Counter>('bootstrap_pages_total') ??
      new Counter({ name: 'bootstrap_pages_total', help: 'Pages fetched from Clockify by workspace bootstraps.', registers: [registry] }),
    entities:
      existing<Counter>('bootstrap_entities_total') ??
      new Counter({
        name: 'bootstrap_entities_total',
        help: 'Entities stored in the workspace cache by bootstraps.',
        registers: [registry],
      }),
    errors:
      existing<Counter<'operation'>>('bootstrap_errors_total') ??
      new Counter({
        name: 'bootstrap_errors_total',
        help: 'Bootstrap steps that failed, by operation.',
        labelNames: ['operation'],
        registers: [registry],
      }),
    runDuration:
      existing<Histogram>('bootstrap_run_duration_seconds') ??
      new Histogram({
        name: 'bootstrap_run_duration_seconds',
        help: 'From a bootstrap run starting to its end (resumes included).',
        buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
        registers: [registry],
      }),
    runs:
      existing<Counter<'outcome'>>('bootstrap_runs_total') ??
      new Counter({
        name: 'bootstrap_runs_total',
        help: 'Bootstrap runs finished, by outcome.',
        labelNames: ['outcome'],
        registers: [registry],
      }),
  };
}
