import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EndpointList } from '../../api/types';
import { useApp } from '../../app-context';
import { useResource } from '../../hooks/use-resource';
import { routeHref } from '../../lib/route';
import { MethodBadge } from '../../ui/badge';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { Icon } from '../../ui/icons';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Clockify's operations by tag, searchable, with a method filter when the edition can write. */
export function OperationBrowser({ selectedId }: { selectedId?: string }) {
  const { api, me } = useApp();
  const [text, setText] = useState('');
  const [method, setMethod] = useState('');
  const q = useDebounced(text.trim(), 250);
  const list = useResource(
    (signal) => api.get<EndpointList>('/ui/api-explorer/endpoints', { query: { q: q || undefined, method: method || undefined }, signal }),
    [q, method],
  );
  const searching = q !== '' || method !== '';
  const groups = useMemo(() => list.data?.groups ?? [], [list.data]);
  const selectedTag = useMemo(
    () => groups.find((group) => group.operations.some((op) => op.operationId === selectedId))?.tag,
    [groups, selectedId],
  );

  return (
    <div class="stack-sm">
      <div class="search-row">
        <label class="search-field">
          <span class="visually-hidden">Search operations</span>
          <Icon name="search" />
          <input
            class="input"
            type="search"
            placeholder="Search operations"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </label>
        {me.edition.capabilities.explorerWrites ? (
          <label>
            <span class="visually-hidden">HTTP method</span>
            <select class="select method-select" value={method} onChange={(event) => setMethod(event.currentTarget.value)}>
              <option value="">All methods</option>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {list.error && !list.data ? (
        <ErrorNotice error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <div class="list-card" style={{ padding: '12px' }}>
          <Skeleton lines={8} label="Loading operations…" />
        </div>
      ) : groups.length === 0 ? (
        <div class="list-card">
          <EmptyState icon="search" title="No operation matches">
            Try another word, such as "project" or "tag".
          </EmptyState>
        </div>
      ) : (
        <div class="list-card" aria-busy={list.refreshing ? 'true' : 'false'}>
          <p class="list-count muted small" role="status">
            {list.data.total} {list.data.total === 1 ? 'operation' : 'operations'}
          </p>
          {groups.map((group) => (
            <details key={group.tag} class="op-group" open={searching || group.tag === selectedTag || groups.length <= 3}>
              <summary>
                <span>{group.tag}</span>
                <span class="muted small">{group.operations.length}</span>
              </summary>
              <ul>
                {group.operations.map((op) => (
                  <li key={op.operationId}>
                    <a
                      class="op-item"
                      href={routeHref('explorer', op.operationId)}
                      aria-current={op.operationId === selectedId ? 'true' : undefined}
                    >
                      <MethodBadge method={op.method} />
                      <span class="op-text">
                        <span class="op-summary">{op.summary || op.operationId}</span>
                        <span class="op-path">{op.path}</span>
                      </span>
                      {op.needsApiKey ? (
                        <span title="Needs a personal API key: Clockify does not accept an add-on token here" class="op-lock">
                          <Icon name="lock" size={14} />
                          <span class="op-key-note small">API key</span>
                          <span class="visually-hidden">(needs a personal API key)</span>
                        </span>
                      ) : !op.runnable ? (
                        <span title="You cannot run this one" class="op-lock">
                          <Icon name="lock" size={14} />
                          <span class="visually-hidden">(not runnable for you)</span>
                        </span>
                      ) : null}
                    </a>
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </div>
      )}
    </div>
  );
}
