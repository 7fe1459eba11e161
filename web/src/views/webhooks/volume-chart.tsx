import { useId, useState } from 'preact/hooks';
import type { Volume } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useResource } from '../../hooks/use-resource';
import { Segmented } from '../../ui/segmented';

const SERIES = [
  { key: 'processed', label: 'handled', className: 'bar-ok' },
  { key: 'skipped', label: 'skipped', className: 'bar-neutral' },
  { key: 'received', label: 'waiting', className: 'bar-info' },
  { key: 'failed', label: 'failed', className: 'bar-danger' },
  { key: 'rejected', label: 'refused', className: 'bar-warn' },
] as const;

/** Volume and outcomes over 24 hours or 7 days: one stacked bar per hour (or 6 hours). */
export function VolumeChart() {
  const { api } = useApp();
  const idPrefix = useId();
  const [range, setRange] = useState<'24h' | '7d'>('24h');
  const volume = useResource((signal) => api.get<Volume>('/ui/inspector/volume', { query: { range }, signal }), [range]);
  useLiveReload(['webhook'], volume.reload);
  const buckets = volume.data?.buckets ?? [];
  const totals = Object.fromEntries(
    SERIES.map((series) => [series.key, buckets.reduce((sum, bucket) => sum + bucket[series.key], 0)]),
  ) as Record<(typeof SERIES)[number]['key'], number>;
  const max = Math.max(1, ...buckets.map((bucket) => SERIES.reduce((sum, series) => sum + bucket[series.key], 0)));
  const period = range === '24h' ? 'the last 24 hours' : 'the last 7 days';
  const summary = `${totals.processed + totals.skipped + totals.received + totals.failed} events in ${period}: ${SERIES.map((series) => `${totals[series.key]} ${series.label}`).join(', ')}.`;
  const width = 100 / Math.max(1, buckets.length);
  return (
    <div class="volume-chart" data-testid="volume-chart">
      <div class="row-between">
        <p class="muted small volume-summary">{volume.data ? summary : 'Loading the volume…'}</p>
        <Segmented
          idPrefix={idPrefix}
          label="Chart period"
          value={range}
          onChange={setRange}
          options={[
            { value: '24h', label: '24 h' },
            { value: '7d', label: '7 d' },
          ]}
        />
      </div>
      <svg class="volume-bars" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={summary}>
        {buckets.map((bucket, index) => {
          let y = 40;
          return SERIES.map((series) => {
            const height = (bucket[series.key] / max) * 38;
            if (height === 0) return null;
            y -= height;
            return (
              <rect
                key={`${index}-${series.key}`}
                class={series.className}
                x={index * width + width * 0.1}
                y={y}
                width={width * 0.8}
                height={height}
              />
            );
          });
        })}
      </svg>
    </div>
  );
}
