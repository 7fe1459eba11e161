import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * The Python system's metric names (its architecture document), so its dashboards and alerts keep
 * working: each is computed at scrape time from our own counters, never counted twice. Where it used
 * one name per value (`flows_executed_completed`, `webhooks_received_{event_type}`) the alias is one
 * counter with a label. `addon_uptime_seconds` and `webhooks_received_total{event_type}` are ours
 * already. Mapping documented in docs/production.md ("Metric names of the Python system").
 */
interface Alias {
  name: string;
  help: string;
  labelNames?: string[];
  /** Our counter it is computed from. */
  source: string;
  /** Labels of the alias for a sample of the source; undefined leaves the sample out. */
  map(labels: Record<string, string | number>): Record<string, string> | undefined;
}

const FLOW_STATUS: Record<string, string> = { succeeded: 'completed', failed: 'failed', dead: 'failed' };

export const PYTHON_METRIC_ALIASES: readonly Alias[] = [
  {
    name: 'flows_executed_total',
    help: "Flow runs, by status (completed, failed): the Python system's flows_executed_total/_completed/_failed. Alias of flow_runs_total.",
    labelNames: ['status'],
    source: 'flow_runs_total',
    map: (l) => (FLOW_STATUS[String(l.outcome)] ? { status: FLOW_STATUS[String(l.outcome)]! } : undefined),
  },
  {
    name: 'api_calls_total',
    help: 'Calls to the Clockify API (explorer, flows, bootstrap, lifecycle). Alias of clockify_api_requests_total summed.',
    source: 'clockify_api_requests_total',
    map: () => ({}),
  },
  {
    name: 'bootstrap_completed',
    help: 'Bootstrap runs finished (completed, with or without warnings). Alias of bootstrap_runs_total.',
    source: 'bootstrap_runs_total',
    map: (l) => (String(l.outcome).startsWith('completed') ? {} : undefined),
  },
  {
    name: 'bootstrap_errors',
    help: 'Bootstrap runs that failed. Alias of bootstrap_runs_total{outcome="failed"}.',
    source: 'bootstrap_runs_total',
    map: (l) => (l.outcome === 'failed' ? {} : undefined),
  },
  {
    name: 'lifecycle_installed_total',
    help: 'Installations applied. Alias of lifecycle_events_total{type="INSTALLED"}.',
    source: 'lifecycle_events_total',
    map: (l) => (l.type === 'INSTALLED' && l.outcome === 'applied' ? {} : undefined),
  },
  {
    name: 'lifecycle_uninstalled_total',
    help: 'Uninstallations applied. Alias of lifecycle_events_total{type="DELETED"}.',
    source: 'lifecycle_events_total',
    map: (l) => (l.type === 'DELETED' && l.outcome === 'applied' ? {} : undefined),
  },
  {
    name: 'lifecycle_settings_updated_total',
    help: 'Settings updates applied. Alias of lifecycle_events_total{type="SETTINGS_UPDATED"}.',
    source: 'lifecycle_events_total',
    map: (l) => (l.type === 'SETTINGS_UPDATED' && l.outcome === 'applied' ? {} : undefined),
  },
];

export function registerPythonMetricAliases(registry: Registry): void {
  for (const alias of PYTHON_METRIC_ALIASES) {
    new Counter({
      name: alias.name,
      help: alias.help,
      labelNames: alias.labelNames ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        const source = registry.getSingleMetric(alias.source);
        if (!source) return;
        const sums = new Map<string, { labels: Record<string, string>; value: number }>();
        for (const sample of (await source.get()).values) {
          const labels = alias.map(sample.labels as Record<string, string | number>);
          if (!labels) continue;
          const key = JSON.stringify(labels);
          const entry = sums.get(key) ?? { labels, value: 0 };
          entry.value += sample.value;
          sums.set(key, entry);
        }
        for (const { labels, value } of sums.values()) this.inc(labels, value);
        // Both statuses always present, so a dashboard's query has a series before the first failure.
        if (alias.labelNames?.includes('status')) for (const status of ['completed', 'failed']) this.inc({ status }, 0);
        else if (sums.size === 0) this.inc(0);
      },
    });
  }
}
