import { useState } from 'preact/hooks';
import type { RejectedList } from '../../api/types';
import { useApp } from '../../app-context';
import { useNames } from '../../hooks/use-names';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { sourceLabel } from '../../lib/event-summary';
import { dateTime, relativeTime } from '../../lib/format';
import { Badge } from '../../ui/badge';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { Field } from '../../ui/field';

/** Why a request was refused, in words; the slug stays visible for support. */
const REASONS: Record<string, string> = {
  'invalid-token': 'Bad or unknown signature',
  'invalid-signature': 'Bad signature',
  'unknown-source': 'Unknown source (deleted or mistyped URL)',
  'source-disabled': 'Source is turned off',
  'token-not-for-this-target': 'Signed for another workspace or add-on',
  'not-installed': 'Add-on not installed in the workspace',
  'installation-inactive': 'Add-on is deactivated',
  'missing-event-type': 'No event type header',
  'unknown-event-type': 'Not a Clockify event type',
  'event-mismatch': 'Event type does not match',
  'event-not-subscribed': 'Event not subscribed',
  'malformed-json': 'Body is not JSON',
  'payload-too-large': 'Body too large',
};

export function reasonLabel(reason: string): string {
  return REASONS[reason] ?? reason.replace(/[-_]+/g, ' ');
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/** Requests this add-on refused for the workspace: when, from which source, why, and what came with them. */
export function RejectedRequests() {
  const { api } = useApp();
  const names = useNames();
  const now = useNow(15_000);
  const [reason, setReason] = useState('');
  const list = useResource(
    (signal) => api.get<RejectedList>('/ui/inspector/rejected', { query: { reason: reason || undefined, limit: 50 }, signal }),
    [reason],
  );
  if (list.error && !list.data) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!list.data) {
    return (
      <div class="list-card" style={{ padding: '12px' }}>
        <Skeleton lines={5} label="Loading rejected requests…" />
      </div>
    );
  }
  return (
    <div class="stack-sm">
      <Field label="Reason">
        {({ id }) => (
          <select id={id} class="select" value={reason} onChange={(event) => setReason(event.currentTarget.value)}>
            <option value="">Any reason</option>
            {[...new Set([...list.data!.reasons, ...(reason ? [reason] : [])])].map((slug) => (
              <option key={slug} value={slug}>
                {reasonLabel(slug)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="list-card">
        {list.data.requests.length === 0 ? (
          <EmptyState icon="webhooks" title={reason ? 'None refused for this reason' : 'Nothing refused'}>
            Requests this add-on refuses (a bad signature, an unknown source, another workspace) appear here with the reason.
          </EmptyState>
        ) : (
          <ul class="list" aria-label="Rejected requests, newest first" data-testid="rejected-list">
            {list.data.requests.map((request) => (
              <li key={request.id}>
                <details class="rejected-item">
                  <summary class="list-item">
                    <span class="list-item-main">
                      <span class="list-item-title wrap">{reasonLabel(request.reason)}</span>
                      <span class="list-item-meta">
                        {relativeTime(request.receivedAt, now)} · {sourceLabel(request.source, names)}
                        {request.eventType ? (
                          <>
                            {' '}
                            · <span class="mono">{request.eventType}</span>
                          </>
                        ) : null}{' '}
                        · {size(request.bodyBytes)}
                      </span>
                    </span>
                    <Badge tone="danger">{request.status}</Badge>
                  </summary>
                  <div class="stored-call stack-sm">
                    <p class="small">{request.detail}</p>
                    <p class="muted small">
                      {dateTime(request.receivedAt)} · <code>{request.reason}</code> · body {size(request.bodyBytes)} (not kept)
                    </p>
                    {Object.keys(request.headers).length > 0 ? (
                      <div class="table-wrap">
                        <table class="table">
                          <caption class="visually-hidden">Headers kept (credentials removed)</caption>
                          <tbody>
                            {Object.entries(request.headers).map(([name, value]) => (
                              <tr key={name}>
                                <th scope="row" class="mono">
                                  {name}
                                </th>
                                <td class="mono">{value}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    ) : null}
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
