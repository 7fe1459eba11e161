import type { WaitStep } from '../../../../api/types';
import { FLOW_LIMITS } from '../../../../lib/flow-constants';
import { Field } from '../../../../ui/field';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';

const UNITS = [
  { key: 'days', label: 'Days' },
  { key: 'hours', label: 'Hours' },
  { key: 'minutes', label: 'Minutes' },
] as const;

/** "Wait": for a duration or until a time (ISO 8601 or a template); the run resumes on its own. */
export function WaitEditor({ step, onChange, title }: StepEditorProps<'wait'>) {
  const mode = step.until !== undefined ? 'until' : 'for';
  const setMode = (next: 'for' | 'until') => {
    const { for: _for, until: _until, ...rest } = step;
    onChange(next === 'until' ? { ...rest, until: '' } : { ...rest, for: { hours: 1 } });
  };
  const setUnit = (unit: keyof NonNullable<WaitStep['for']>, text: string) => {
    const number = Math.max(0, Math.round(Number(text) || 0));
    const next = { ...(step.for ?? {}) };
    if (number > 0) next[unit] = number;
    else delete next[unit];
    onChange({ ...step, for: next });
  };
  return (
    <div class="stack-sm">
      <div class="segmented" role="radiogroup" aria-label={`${title}: wait how`}>
        <label class="check">
          <input type="radio" name={`${title}-wait`} checked={mode === 'for'} onChange={() => setMode('for')} />
          For a while
        </label>
        <label class="check">
          <input type="radio" name={`${title}-wait`} checked={mode === 'until'} onChange={() => setMode('until')} />
          Until a time
        </label>
      </div>
      {mode === 'for' ? (
        <div class="wait-units">
          {UNITS.map((unit) => (
            <Field key={unit.key} label={unit.label}>
              {({ id }) => (
                <input
                  id={id}
                  class="input"
                  inputMode="numeric"
                  value={step.for?.[unit.key] ? String(step.for[unit.key]) : ''}
                  placeholder="0"
                  onInput={(event) => setUnit(unit.key, event.currentTarget.value)}
                />
              )}
            </Field>
          ))}
        </div>
      ) : (
        <Field
          label="Until"
          required
          hint="An ISO 8601 time such as 2026-05-01T09:00:00Z, or a template like {{ event.timeInterval.end }}."
        >
          {({ id, describedBy }) => (
            <TemplateInput
              id={id}
              describedBy={describedBy}
              label={`${title}: until`}
              value={step.until ?? ''}
              onChange={(until) => onChange({ ...step, until })}
            />
          )}
        </Field>
      )}
      <p class="muted small">At most {FLOW_LIMITS.waitDays} days. The run shows as waiting and resumes on its own, even after a restart.</p>
    </div>
  );
}
