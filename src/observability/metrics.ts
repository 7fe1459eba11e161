import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SeriesHistogram } from './series-histogram.js';
import { registerPythonMetricAliases } from './python-metric-aliases.js';

/**
 * The product's metrics, one registry per edition (labelled `edition`), so each edition's /metrics
 * speaks for itself even when the three run in one process. Labels have small fixed value sets:
 * event types and operation ids yes, workspace ids never.
 */
export function createMetrics(edition: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ edition });
  collectDefaultMetrics({ register: registry });
  const startedAt = Date.now();

  new Gauge({
    name: 'addon_uptime_seconds',
    help: 'Seconds since the edition started.',
    registers: [registry],
    collect() {
      this.set((Date.now() - startedAt) / 1000);
    },
  });

  registerPythonMetricAliases(registry);

  return {
    registry,
    /** Labels: method, route, status_class. */
    httpRequestDuration: new SeriesHistogram(
      'http_request_duration_seconds',
      'HTTP requests served, by route.',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registry,
    ),
    webhooksReceived: new Counter({
      name: 'webhooks_received_total',
      help: 'Webhooks accepted and stored.',
      labelNames: ['event_type', 'source'],
      registers: [registry],
    }),
    webhooksDuplicate: new Counter({
      name: 'webhooks_duplicates_total',
      help: 'Webhook deliveries acknowledged as duplicates and not processed again.',
      labelNames: ['event_type', 'source'],
      registers: [registry],
    }),
    webhooksRecovered: new Counter({
      name: 'webhooks_recovered_total',
      help: "Webhook deliveries that had failed, recovered from Clockify's delivery logs.",
      labelNames: ['event_type'],
      registers: [registry],
    }),
    webhooksRejected: new Counter({
      name: 'webhooks_rejected_total',
      help: 'Webhooks refused, by reason.',
      labelNames: ['reason', 'source'],
      registers: [registry],
    }),
    webhookProcessing: new Histogram({
      name: 'webhook_processing_seconds',
      help: 'From a webhook being stored to its processing finished.',
      labelNames: ['event_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    lifecycleEvents: new Counter({
      name: 'lifecycle_events_total',
      help: 'Lifecycle calls from Clockify, by type and outcome.',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    tokenRejections: new Counter({
      name: 'token_rejections_total',
      help: 'Tokens refused, by reason and where they were presented.',
      labelNames: ['reason', 'context'],
      registers: [registry],
    }),
    costBudgetRefusals: new Counter({
      name: 'cost_budget_refusals_total',
      help: 'Requests answered 429 by the cost budget (src/server/cost-budget.ts), by budget (member or ip).',
      labelNames: ['budget'],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'jobs_total',
      help: 'Jobs finished, by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Time a job attempt ran.',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    retentionRowsDeleted: new Counter({
      name: 'retention_rows_deleted_total',
      help: 'Rows removed by the retention clean-up.',
      labelNames: ['table'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
