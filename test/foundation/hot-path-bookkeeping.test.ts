/**
 * The bookkeeping every request pays for, made cheap: request ids, the request's logger, and the
 * request-duration histogram. Each must behave exactly as what it replaced.
 */
import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { nextRequestId } from '../../src/server/request-ids.js';
import { LazyChildLogger } from '../../src/observability/lazy-child-logger.js';
import { SeriesHistogram } from '../../src/observability/series-histogram.js';
import { captureLogger } from '../helpers/logs.js';

describe('request ids', () => {
  it('are unique and fit the x-request-id pattern the server accepts back', () => {
    const ids = Array.from({ length: 10_000 }, nextRequestId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});

describe('the request logger', () => {
  it('logs with the request id bound, like a pino child', () => {
    const logs = captureLogger('info');
    const child = new LazyChildLogger(logs.logger, { requestId: 'req-1' }, {});
    child.warn({ reason: 'expired' }, 'token rejected');
    child.debug('below the level');
    const lines = logs.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'req-1', reason: 'expired', msg: 'token rejected', level: 'warn' });
    expect(child.bindings()).toMatchObject({ requestId: 'req-1' });
    expect(child.isLevelEnabled('debug')).toBe(false);
    expect(child.isLevelEnabled('warn')).toBe(true);
  });

  it('honours a level given for the child', () => {
    const logs = captureLogger('info');
    const child = new LazyChildLogger(logs.logger, { requestId: 'req-2' }, { level: 'error' });
    expect(child.level).toBe('error');
    expect(child.isLevelEnabled('warn')).toBe(false);
    child.warn('dropped');
    child.error('kept');
    child.child({ step: 'inner' }).error('nested');
    expect(logs.lines().map((line) => [line.msg, line.requestId])).toEqual([
      ['kept', 'req-2'],
      ['nested', 'req-2'],
    ]);
  });
});

describe('the request-duration histogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    const reference = new Registry();
    const ours = new Registry();
    for (const registry of [reference, ours]) registry.setDefaultLabels({ edition: 'api-studio' });
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests served, by route.',
      labelNames: ['method', 'route', 'status_class'],
      buckets,
      registers: [reference],
    });
    const series = new SeriesHistogram('http_request_duration_seconds', 'HTTP requests served, by route.', buckets, ours);
    // Values on, between, below and above the bounds, in three series.
    const observations: [string, string, string, number][] = [];
    for (let index = 0; index < 300; index++) {
      const route = ['/webhooks/clockify', '/healthz', '/api/events'][index % 3]!;
      const value = index % 7 === 0 ? buckets[index % buckets.length]! : (index % 11) * 0.37 * 10 ** -(index % 4);
      observations.push(['POST', route, index % 5 === 0 ? '4xx' : '2xx', value]);
    }
    for (const [method, route, statusClass, value] of observations) {
      histogram.observe({ method, route, status_class: statusClass }, value);
      series.observe(`${method} ${statusClass} ${route}`, () => ({ method, route, status_class: statusClass }), value);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
    // JSON too, but for prom-client's empty exemplar slots (this histogram keeps no exemplars).
    const withoutExemplars = (metrics: { values?: Record<string, unknown>[] }[]) =>
      metrics.map((metric) => ({ ...metric, values: metric.values?.map(({ exemplar: _exemplar, ...value }) => value) }));
    expect(withoutExemplars((await ours.getMetricsAsJSON()) as never)).toEqual(
      withoutExemplars((await reference.getMetricsAsJSON()) as never),
    );
    expect(await ours.metrics()).toContain(
      'http_request_duration_seconds_count{edition="api-studio",method="POST",route="/healthz",status_class="2xx"} 80',
    );
  });
});
