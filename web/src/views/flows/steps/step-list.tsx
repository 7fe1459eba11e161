import { useRef } from 'preact/hooks';
import type { FlowStep } from '../../../api/types';
import { useApp } from '../../../app-context';
import { capability, useCapabilities } from '../../../hooks/use-capabilities';
import { useStableKeys } from '../../../hooks/use-stable-keys';
import { ACTION_ID_REGEX, ACTION_KINDS, STEP_KINDS } from '../../../lib/flow-constants';
import type { StepKind } from '../../../lib/flow-constants';
import { moveItem } from '../../../lib/flow-draft';
import { Field } from '../../../ui/field';
import { Icon } from '../../../ui/icons';
import { StepConditions } from '../conditions-editor';
import { STEP_EDITORS } from './editors';
import { STEP_KIND_INFO, kindInfo } from './kinds';
import { useTemplateScope } from './scope';
import { canHoldSteps } from './tree';
import type { StepEditorProps, StepListComponent, Validity } from './types';
import { FailureHandling } from './failure-handling';
import { MoveMenu } from './move-menu';

interface ListProps {
  steps: FlowStep[];
  onChange: (next: FlowStep[]) => void;
  readOnly: boolean;
  onValidity: Validity;
  /** "Step" at the top; "Step 2, then" for a branch's list: each card is titled `${title} ${n}`. */
  title: string;
  /** The list's name for the add menu, e.g. "Then". */
  label: string;
  depth: number;
}

/**
 * A list of steps (the flow's own, or one a branch or loop holds): each step as a card drawn by its
 * kind's editor from the registry, moved, removed, and new ones added from the kinds on offer.
 */
export function StepList({ steps, onChange, readOnly, onValidity, title, label, depth }: ListProps) {
  const keys = useStableKeys(steps.length);
  const scope = useTemplateScope();
  const set = (index: number, step: FlowStep) => onChange(steps.map((s, i) => (i === index ? step : s)));
  // Nested lists render through this, one level deeper; editors never import the list themselves.
  const nestedRef = useRef<StepListComponent | null>(null);
  if (!nestedRef.current) {
    nestedRef.current = function NestedList(props) {
      return <StepList {...props} readOnly={readOnly} onValidity={onValidity} depth={depth + 1} />;
    };
  }
  return (
    <div class="step-list stack-sm" role="group" aria-label={depth === 1 ? 'Steps' : `${title} steps`}>
      {steps.length === 0 ? (
        <p class="muted small">{depth === 1 ? 'No steps yet. Add what the flow should do.' : 'No steps here yet.'}</p>
      ) : null}
      <ol class="actions-list">
        {steps.map((step, index) => (
          <li key={keys.at(index)}>
            <StepCard
              step={step}
              index={index}
              total={steps.length}
              title={`${title} ${index + 1}`}
              depth={depth}
              takenTwice={scope.stepIds.filter((id) => id === step.id).length > 1}
              readOnly={readOnly}
              StepList={nestedRef.current!}
              onValidity={(key, error) => onValidity(`${keys.at(index)}:${key}`, error)}
              onChange={(next) => set(index, next)}
              onRemove={() => {
                keys.remove(index);
                onChange(steps.filter((_, i) => i !== index));
              }}
              onMove={(to) => {
                keys.move(index, to);
                onChange(moveItem(steps, index, to));
              }}
            />
          </li>
        ))}
      </ol>
      {readOnly ? null : <AddStep label={label} depth={depth} taken={scope.stepIds} onAdd={(step) => onChange([...steps, step])} />}
    </div>
  );
}

/** "Add a step": the kinds of the registry with what each does; kinds that hold steps stop at the depth limit. */
function AddStep({
  label,
  depth,
  taken,
  onAdd,
}: {
  label: string;
  depth: number;
  taken: readonly string[];
  onAdd: (step: FlowStep) => void;
}) {
  const { me } = useApp();
  const http = capability(useCapabilities(), 'httpActions');
  const details = useRef<HTMLDetailsElement>(null);
  const offered = STEP_KINDS.filter((kind) => {
    if (kind === 'http' && !me.edition.capabilities.httpActions) return false;
    return !STEP_KIND_INFO[kind].nested || canHoldSteps(depth);
  });
  const add = (kind: StepKind) => {
    onAdd(STEP_KIND_INFO[kind].blank(taken));
    if (details.current) details.current.open = false;
  };
  return (
    <details class="add-step" ref={details}>
      <summary class="btn btn-sm" aria-label={`Add a step to ${label}`}>
        <Icon name="plus" /> Add a step
      </summary>
      <ul class="add-step-menu">
        {offered.map((kind) => {
          const info = STEP_KIND_INFO[kind];
          const off = kind === 'http' && http?.state === 'off';
          return (
            <li key={kind}>
              <button type="button" class="add-step-choice" disabled={off} onClick={() => add(kind)}>
                <Icon name={info.icon} />
                <span class="stack-xs">
                  <strong>{info.label}</strong>
                  <span class="muted small">{off ? 'Turned off in this workspace (see below).' : info.description}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function StepCard({
  step,
  index,
  total,
  title,
  depth,
  takenTwice,
  readOnly,
  StepList: NestedList,
  onChange,
  onRemove,
  onMove,
  onValidity,
}: {
  step: FlowStep;
  index: number;
  total: number;
  title: string;
  depth: number;
  takenTwice: boolean;
  readOnly: boolean;
  StepList: StepListComponent;
  onChange: (next: FlowStep) => void;
  onRemove: () => void;
  onMove: (to: number) => void;
  onValidity: Validity;
}) {
  const info = kindInfo(step);
  const Editor = (STEP_EDITORS as Record<string, ((props: StepEditorProps) => preact.JSX.Element) | undefined>)[step.kind];
  const idError = !ACTION_ID_REGEX.test(step.id)
    ? 'Start with a letter; letters, digits and _ only (at most 40).'
    : takenTwice
      ? 'Another step already has this id.'
      : undefined;
  const heading = step.name || (info ? info.summary(step as never) : step.kind);
  return (
    <div class={`action-card step-${step.kind}${depth > 1 ? ' is-nested' : ''}`} role="group" aria-label={title}>
      <div class="action-head">
        <span class="step-number" aria-hidden="true">
          {index + 1}
        </span>
        {info ? <Icon name={info.icon} /> : null}
        <span class="grow stack-xs step-heading">
          <strong class="truncate" title={heading}>
            {heading}
          </strong>
          <span class="muted small">{info?.label ?? `Unknown kind "${step.kind}"`}</span>
        </span>
        {readOnly ? null : (
          <div class="row action-tools">
            <button
              type="button"
              class="icon-button"
              aria-label={`Move ${title} up`}
              disabled={index === 0}
              onClick={() => onMove(index - 1)}
            >
              <Icon name="up" />
            </button>
            <button
              type="button"
              class="icon-button"
              aria-label={`Move ${title} down`}
              disabled={index === total - 1}
              onClick={() => onMove(index + 1)}
            >
              <Icon name="down" />
            </button>
            <button type="button" class="icon-button" aria-label={`Remove ${title}`} onClick={onRemove}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </div>
      {readOnly ? null : <MoveMenu step={step} title={title} />}
      <fieldset class="plain-fieldset" disabled={readOnly}>
        <div class="form-grid">
          <Field
            label="Step id"
            required
            error={idError}
            hint={idError ? undefined : `Later steps read its result as steps.${step.id || 'id'}.`}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                class="input mono"
                value={step.id}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                onInput={(event) => onChange({ ...step, id: event.currentTarget.value })}
              />
            )}
          </Field>
          <Field label="Name (optional)">
            {({ id }) => (
              <input
                id={id}
                class="input"
                value={step.name ?? ''}
                onInput={(event) => onChange({ ...step, name: event.currentTarget.value || undefined })}
              />
            )}
          </Field>
        </div>
        {Editor ? (
          <Editor step={step} onChange={onChange} readOnly={readOnly} onValidity={onValidity} title={title} StepList={NestedList} />
        ) : (
          <p class="notice">This editor does not know steps of kind "{step.kind}"; use "Edit as JSON" to change it.</p>
        )}
        <OnlyIf step={step} title={title} readOnly={readOnly} onChange={onChange} />
        {ACTION_KINDS.includes(step.kind) ? <FailureHandling step={step} onChange={onChange} /> : null}
      </fieldset>
    </div>
  );
}

/** "Only if…": the step runs only when its conditions hold (else it is recorded as skipped). */
function OnlyIf({
  step,
  title,
  readOnly,
  onChange,
}: {
  step: FlowStep;
  title: string;
  readOnly: boolean;
  onChange: (next: FlowStep) => void;
}) {
  const on = step.onlyIf !== undefined;
  return (
    <div class="only-if stack-sm">
      <label class="check">
        <input
          type="checkbox"
          checked={on}
          onChange={(event) => {
            const { onlyIf: _previous, ...rest } = step;
            onChange(
              event.currentTarget.checked
                ? { ...step, onlyIf: { mode: 'all', rules: [{ path: '$.event.', op: 'equals', value: '' }] } }
                : (rest as FlowStep),
            );
          }}
        />
        Only if…
      </label>
      {on ? (
        <>
          <p class="muted small">Otherwise this step is skipped. Paths read $.event…, $.steps.&lt;id&gt;… and, in a loop, $.item….</p>
          <StepConditions
            group={step.onlyIf!}
            readOnly={readOnly}
            label={`${title}, only if`}
            onChange={(onlyIf) => onChange({ ...step, onlyIf })}
          />
        </>
      ) : null}
    </div>
  );
}
