import { useId } from 'preact/hooks';
import type { FindEntity, FindStep } from '../../../../api/types';
import { useNames } from '../../../../hooks/use-names';
import { Field } from '../../../../ui/field';
import { IdPicker } from '../../id-picker';
import { JsonField } from '../../json-field';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';
import { FIND_ENTITIES, FIND_IF_MISSING } from '../../../../lib/flow-constants';
import { FIND_ENTITY_LABELS, canCreate, findFields } from './kind';

/** One object for "no extra fields", so the JSON field does not see a new value on every render. */
const NO_FIELDS: Record<string, unknown> = {};

const IF_MISSING_LABELS: Record<FindStep['ifMissing'], string> = {
  fail: 'Fail the step',
  continue: 'Continue without it',
  create: 'Create it',
};

/** "Find in workspace": an entity by a field's value; when none matches: fail, continue, or create it. */
export function FindEditor({ step, onChange, readOnly, onValidity, title }: StepEditorProps<'find'>) {
  const fieldsId = useId();
  const names = useNames();
  const creatable = canCreate(step.entity);
  const setEntity = (entity: FindEntity) => {
    const next: FindStep = {
      ...step,
      entity,
      by: { ...step.by, field: findFields(entity).includes(step.by.field) ? step.by.field : findFields(entity)[0]! },
    };
    if (!FIND_ENTITIES[entity].needsProject) delete next.projectId;
    if (!canCreate(entity) && next.ifMissing === 'create') {
      next.ifMissing = 'fail';
      delete next.create;
    }
    onChange(next);
  };
  return (
    <div class="stack-sm">
      <div class="form-grid">
        <Field label="Find a">
          {({ id }) => (
            <select id={id} class="select" value={step.entity} onChange={(event) => setEntity(event.currentTarget.value as FindEntity)}>
              {(Object.keys(FIND_ENTITIES) as FindEntity[]).map((entity) => (
                <option key={entity} value={entity}>
                  {FIND_ENTITY_LABELS[entity]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Whose field">
          {({ id }) => (
            <>
              <input
                id={id}
                class="input mono"
                list={fieldsId}
                value={step.by.field}
                spellcheck={false}
                onInput={(event) => onChange({ ...step, by: { ...step.by, field: event.currentTarget.value.trim() } })}
              />
              <datalist id={fieldsId}>
                {findFields(step.entity).map((field) => (
                  <option key={field} value={field} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <Field label="Equals" required hint="Text or a template, e.g. {{ event.description | trim }}.">
        {({ id, describedBy }) => (
          <TemplateInput
            id={id}
            describedBy={describedBy}
            label={`${title}: value to find`}
            value={step.by.value}
            onChange={(value) => onChange({ ...step, by: { ...step.by, value } })}
          />
        )}
      </Field>
      {FIND_ENTITIES[step.entity].needsProject ? (
        <Field label="In project" required hint="The project id (or a template giving it).">
          {({ id, describedBy }) => (
            <>
              <TemplateInput
                id={id}
                describedBy={describedBy}
                label={`${title}: project`}
                value={step.projectId ?? ''}
                placeholder="{{ event.projectId }}"
                onChange={(projectId) => onChange({ ...step, projectId })}
              />
              {readOnly ? null : (
                <IdPicker
                  kind="project"
                  names={names}
                  selected={step.projectId}
                  label={`${title}: pick the project by name`}
                  onPick={(projectId) => onChange({ ...step, projectId })}
                />
              )}
            </>
          )}
        </Field>
      ) : null}
      <Field
        label="If none is found"
        hint={creatable ? undefined : `A ${FIND_ENTITY_LABELS[step.entity].toLowerCase()} cannot be created by a flow.`}
      >
        {({ id, describedBy }) => (
          <select
            id={id}
            class="select"
            aria-describedby={describedBy}
            value={step.ifMissing}
            onChange={(event) => {
              const ifMissing = event.currentTarget.value as FindStep['ifMissing'];
              const { create: _previous, ...rest } = step;
              onChange(ifMissing === 'create' ? { ...step, ifMissing } : { ...rest, ifMissing });
            }}
          >
            {FIND_IF_MISSING.filter((choice) => choice !== 'create' || creatable).map((choice) => (
              <option key={choice} value={choice}>
                {IF_MISSING_LABELS[choice]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {step.ifMissing === 'create' ? (
        <JsonField
          label="Also set when creating (optional)"
          value={step.create ?? NO_FIELDS}
          readOnly={readOnly}
          pickLabel={`${title}: create fields`}
          rows={3}
          hint={`JSON fields besides the ${step.by.field || 'name'}, e.g. { "color": "#03A9F4" }; strings may be templates.`}
          onValidity={(error) => onValidity('create', error)}
          onChange={(create) => {
            const { create: _previous, ...rest } = step;
            const empty = !create || (typeof create === 'object' && Object.keys(create as object).length === 0);
            onChange(empty ? rest : { ...step, create: create as Record<string, unknown> });
          }}
        />
      ) : null}
      <p class="muted small">
        {step.ifMissing === 'continue'
          ? `Later steps read steps.${step.id}.found (false when missing) and its fields.`
          : `Later steps read its fields as steps.${step.id}.id, steps.${step.id}.name…`}
      </p>
    </div>
  );
}
