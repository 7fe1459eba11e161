import { StepConditions } from '../../conditions-editor';
import type { StepEditorProps } from '../types';

/** "If / otherwise": a condition group, then two step lists; only one of them runs. */
export function BranchEditor({ step, onChange, readOnly, title, StepList }: StepEditorProps<'branch'>) {
  return (
    <div class="stack-sm">
      <div class="stack-xs">
        <span class="field-label">If</span>
        <StepConditions group={step.if} readOnly={readOnly} label={`${title}, if`} onChange={(group) => onChange({ ...step, if: group })} />
      </div>
      <div class="nested-steps" role="group" aria-label={`${title}, then`}>
        <span class="field-label">Then</span>
        <StepList steps={step.then} title={`${title}, then`} label={`${title}, then`} onChange={(then) => onChange({ ...step, then })} />
      </div>
      <div class="nested-steps" role="group" aria-label={`${title}, otherwise`}>
        <span class="field-label">Otherwise</span>
        <StepList
          steps={step.else ?? []}
          title={`${title}, otherwise`}
          label={`${title}, otherwise`}
          onChange={(steps) => {
            const { else: _previous, ...rest } = step;
            onChange(steps.length > 0 ? { ...step, else: steps } : rest);
          }}
        />
      </div>
    </div>
  );
}
