import { STOP_OUTCOMES } from '../../../../lib/flow-constants';
import { Field } from '../../../../ui/field';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';
import { STOP_OUTCOME_LABELS } from './kind';

/** "Stop": ends the run with an outcome and an optional message (a template). */
export function StopEditor({ step, onChange, title }: StepEditorProps<'stop'>) {
  return (
    <div class="form-grid">
      <Field label="End the run">
        {({ id }) => (
          <select
            id={id}
            class="select"
            value={step.outcome}
            onChange={(event) => onChange({ ...step, outcome: event.currentTarget.value as typeof step.outcome })}
          >
            {STOP_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {STOP_OUTCOME_LABELS[outcome]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Message (optional)" hint="Shown in the run history.">
        {({ id, describedBy }) => (
          <TemplateInput
            id={id}
            describedBy={describedBy}
            mono={false}
            label={`${title}: message`}
            value={step.message ?? ''}
            onChange={(message) => {
              const { message: _previous, ...rest } = step;
              onChange(message ? { ...step, message } : rest);
            }}
          />
        )}
      </Field>
    </div>
  );
}
