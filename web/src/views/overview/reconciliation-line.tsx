import type { ReconciliationStatus } from '../../api/types';
import { useApp } from '../../app-context';
import { useLiveReload } from '../../hooks/use-live';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { dateTime, relativeTime } from '../../lib/format';

/** Deliveries Clockify could not make (we were down) come back from its delivery log: when it was last read, and what it gave back. */
export function ReconciliationLine() {
  const { api } = useApp();
  const now = useNow();
  const status = useResource((signal) => api.get<ReconciliationStatus>('/ui/webhooks/reconciliation', { signal }), []);
  useLiveReload(['webhook'], status.reload);
  const data = status.data;
  if (!data) return null;
  const recovered = data.recoveredTotal === 1 ? '1 recovered' : `${data.recoveredTotal} recovered`;
  return (
    <p class="muted small" data-testid="reconciliation">
      Last checked Clockify's delivery log:{' '}
      {data.lastCheckedAt ? (
        <time dateTime={data.lastCheckedAt} title={dateTime(data.lastCheckedAt)}>
          {relativeTime(data.lastCheckedAt, now)}
        </time>
      ) : (
        'not yet'
      )}{' '}
      — {recovered}
      {data.lastError ? <span> (last check failed, retrying: {data.lastError})</span> : null}
    </p>
  );
}
