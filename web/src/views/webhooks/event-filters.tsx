import { Field } from '../../ui/field';

export interface EventFilter {
  type: string;
  status: string;
  /** `clockify` or `custom:<sourceId>`; empty for all. */
  source: string;
  from: string;
  to: string;
}

export const NO_FILTER: EventFilter = { type: '', status: '', source: '', from: '', to: '' };

export function activeFilterCount(filter: EventFilter): number {
  return Object.values(filter).filter(Boolean).length;
}

const STATUSES = [
  { value: 'received', label: 'Received (waiting)' },
  { value: 'processed', label: 'Processed' },
  { value: 'failed', label: 'Failed' },
  { value: 'skipped', label: 'Skipped' },
];

export function EventFilters({
  filter,
  onChange,
  types,
  sources,
}: {
  filter: EventFilter;
  onChange: (next: EventFilter) => void;
  types: string[];
  sources?: { id: string; name: string }[];
}) {
  const set = (key: keyof EventFilter) => (event: Event) =>
    onChange({ ...filter, [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const count = activeFilterCount(filter);
  return (
    <details class="filters disclosure" open={count > 0 || undefined}>
      <summary>Filters{count > 0 ? ` (${count} on)` : ''}</summary>
      <div class="filters-grid">
        <Field label="Event type">
          {({ id }) => (
            <select id={id} class="select" value={filter.type} onChange={set('type')}>
              <option value="">All types</option>
              {types.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {({ id }) => (
            <select id={id} class="select" value={filter.status} onChange={set('status')}>
              <option value="">Any status</option>
              {STATUSES.map((status) => (
                <option key={status.value} value={status.value}>
                  {status.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {sources ? (
          <Field label="Sent by">
            {({ id }) => (
              <select id={id} class="select" value={filter.source} onChange={set('source')}>
                <option value="">Anyone</option>
                <option value="clockify">Clockify</option>
                {sources.map((source) => (
                  <option key={source.id} value={`custom:${source.id}`}>
                    {source.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="From">
          {({ id }) => <input id={id} class="input" type="datetime-local" value={filter.from} onChange={set('from')} />}
        </Field>
        <Field label="To">{({ id }) => <input id={id} class="input" type="datetime-local" value={filter.to} onChange={set('to')} />}</Field>
      </div>
      {count > 0 ? (
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      ) : null}
    </details>
  );
}
