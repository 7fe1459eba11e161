import { useState } from 'preact/hooks';
import type { CustomSource, FlowTrigger } from '../../api/types';
import { useApp } from '../../app-context';
import { useResource } from '../../hooks/use-resource';
import { Field } from '../../ui/field';
import { ScheduleTriggerForm, defaultScheduleTrigger } from './schedule-trigger';

/** When the flow runs: one or more Clockify events, or (Universal Webhook) a custom source. */
export function TriggerEditor({
  trigger,
  onChange,
  readOnly,
}: {
  trigger: FlowTrigger;
  onChange: (next: FlowTrigger) => void;
  readOnly: boolean;
}) {
  const { me } = useApp();
  const custom = me.edition.capabilities.customWebhooks;
  const [filter, setFilter] = useState('');
  const events = me.edition.events;
  const shown = events.filter((name) => name.toLowerCase().includes(filter.trim().toLowerCase().replace(/\s+/g, '_')));

  return (
    <fieldset class="fieldset" disabled={readOnly}>
      <legend>When</legend>
      <div class="segmented-radio" role="radiogroup" aria-label="Trigger kind">
        <label class="check">
          <input
            type="radio"
            name="trigger-kind"
            checked={trigger.kind === 'clockify'}
            onChange={() => onChange({ kind: 'clockify', events: [] })}
          />
          A Clockify event
        </label>
        {custom ? (
          <label class="check">
            <input
              type="radio"
              name="trigger-kind"
              checked={trigger.kind === 'custom'}
              onChange={() => onChange({ kind: 'custom', sourceId: '' })}
            />
            A webhook from a custom source
          </label>
        ) : null}
        <label class="check">
          <input
            type="radio"
            name="trigger-kind"
            checked={trigger.kind === 'schedule'}
            onChange={() => onChange(defaultScheduleTrigger())}
          />
          On a schedule
        </label>
      </div>
      {trigger.kind === 'schedule' ? (
        <ScheduleTriggerForm trigger={trigger} onChange={onChange} />
      ) : trigger.kind === 'clockify' ? (
        <div class="stack-sm">
          {events.length > 8 ? (
            <label class="search-field">
              <span class="visually-hidden">Filter events</span>
              <input
                class="input"
                type="search"
                placeholder="Filter events"
                value={filter}
                onInput={(event) => setFilter(event.currentTarget.value)}
              />
            </label>
          ) : null}
          <div class="event-grid" role="group" aria-label="Clockify events">
            {shown.map((name) => {
              const checked = trigger.events.includes(name);
              return (
                <label key={name} class={`event-option${checked ? ' is-checked' : ''}`}>
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={() =>
                      onChange({ kind: 'clockify', events: checked ? trigger.events.filter((e) => e !== name) : [...trigger.events, name] })
                    }
                  />
                  <span class="mono">{name}</span>
                </label>
              );
            })}
          </div>
          <p class="field-hint">
            {trigger.events.length === 0
              ? 'Choose at least one event.'
              : `Runs on ${trigger.events.length} ${trigger.events.length === 1 ? 'event' : 'events'}.`}
          </p>
        </div>
      ) : (
        <CustomTrigger trigger={trigger} onChange={onChange} />
      )}
    </fieldset>
  );
}

function CustomTrigger({
  trigger,
  onChange,
}: {
  trigger: Extract<FlowTrigger, { kind: 'custom' }>;
  onChange: (next: FlowTrigger) => void;
}) {
  const { api } = useApp();
  const sources = useResource((signal) => api.get<{ sources: CustomSource[] }>('/ui/sources', { signal }), []);
  // The text is kept as typed ("a, b, "); the trigger gets the parsed list.
  const [typesText, setTypesText] = useState((trigger.eventTypes ?? []).join(', '));
  return (
    <div class="form-grid">
      <Field
        label="Source"
        required
        hint={sources.data?.sources.length === 0 ? 'Create a source in Settings first.' : undefined}
        error={sources.error?.detail}
      >
        {({ id, describedBy }) => (
          <select
            id={id}
            class="select"
            aria-describedby={describedBy}
            value={trigger.sourceId}
            onChange={(event) => onChange({ ...trigger, sourceId: event.currentTarget.value })}
          >
            <option value="">Choose a source…</option>
            {(sources.data?.sources ?? []).map((source) => (
              <option key={source.id} value={source.id}>
                {source.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Event types (optional)" hint="Comma-separated; empty means every event of the source.">
        {({ id, describedBy }) => (
          <input
            id={id}
            class="input"
            aria-describedby={describedBy}
            value={typesText}
            onInput={(event) => {
              setTypesText(event.currentTarget.value);
              const types = event.currentTarget.value
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean);
              onChange({ kind: 'custom', sourceId: trigger.sourceId, ...(types.length > 0 ? { eventTypes: types } : {}) });
            }}
          />
        )}
      </Field>
    </div>
  );
}
