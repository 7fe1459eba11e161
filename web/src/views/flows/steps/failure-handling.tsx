import type { ClockifyAction, FlowStep, HttpAction } from '../../../api/types';
import { Field } from '../../../ui/field';

type ActionStep = ClockifyAction | HttpAction;

/** Retries and "continue on failure", for the steps that send requests. */
export function FailureHandling({ step: anyStep, onChange }: { step: FlowStep; onChange: (next: FlowStep) => void }) {
  const step = anyStep as ActionStep;
  return (
    <details class="disclosure">
      <summary>Failure handling</summary>
      <div class="form-grid">
        <label class="check">
          <input
            type="checkbox"
            checked={!!step.continueOnFailure}
            onChange={(event) => onChange({ ...step, continueOnFailure: event.currentTarget.checked || undefined })}
          />
          Continue with the next step if this one fails
        </label>
        <Field label="Attempts" hint="1 means no retry.">
          {({ id, describedBy }) => (
            <input
              id={id}
              class="input"
              inputMode="numeric"
              aria-describedby={describedBy}
              value={String(step.retry?.attempts ?? 1)}
              onInput={(event) => {
                const attempts = Math.max(1, Math.min(10, Number(event.currentTarget.value) || 1));
                const { retry: _retry, ...rest } = step;
                onChange(attempts <= 1 ? (rest as ActionStep) : { ...step, retry: { attempts, backoffMs: step.retry?.backoffMs ?? 2000 } });
              }}
            />
          )}
        </Field>
        {step.retry ? (
          <Field label="Wait between attempts (ms)">
            {({ id }) => (
              <input
                id={id}
                class="input"
                inputMode="numeric"
                value={String(step.retry?.backoffMs ?? 0)}
                onInput={(event) =>
                  onChange({
                    ...step,
                    retry: {
                      attempts: step.retry?.attempts ?? 2,
                      backoffMs: Math.max(0, Math.min(60_000, Number(event.currentTarget.value) || 0)),
                    },
                  })
                }
              />
            )}
          </Field>
        ) : null}
      </div>
    </details>
  );
}
