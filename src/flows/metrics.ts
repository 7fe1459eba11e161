import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

export function createFlowMetrics(registry: Registry) {
  return {
    runs: new Counter({ name: 'flow_runs_total', help: 'Flow runs by outcome.', labelNames: ['outcome'], registers: [registry] }),
    actionDuration: new Histogram({
      name: 'flow_action_duration_seconds',
      help: 'Time one action attempt took.',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'flow_action_retries_total',
      help: "Action attempts repeated under the action's retry policy.",
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}

export type FlowMetrics = ReturnType<typeof createFlowMetrics>;
