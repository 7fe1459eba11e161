import { useMemo } from 'preact/hooks';
import { renderValue } from '../../../../../../src/flows/templates';
import type { TemplateContext } from '../../../../../../src/flows/templates';
import { FLOW_LIMITS } from '../../../../lib/flow-constants';
import { Field } from '../../../../ui/field';
import { TemplateInput } from '../template-input';
import { TemplateScopeProvider, previewContext, useTemplateScope } from '../scope';
import type { TemplateScope } from '../scope';
import type { StepEditorProps } from '../types';

/** The list the loop would walk for the sample event (a `$.` path or a template), if it is one. */
function sampleItems(items: string, scope: TemplateScope): unknown[] | undefined {
  if (scope.sample === undefined || !items.trim()) return undefined;
  const template = items.startsWith('$.') ? `{{ ${items.slice(2)} }}` : items;
  const result = renderValue(template, previewContext(scope) as TemplateContext);
  return result.ok && Array.isArray(result.value) ? result.value : undefined;
}

/** "Repeat for each": the list, then steps run once per item; inside them `item` and `loop.index` exist. */
export function ForEachEditor({ step, onChange, title, StepList }: StepEditorProps<'for-each'>) {
  const scope = useTemplateScope();
  const list = useMemo(() => sampleItems(step.items, scope), [step.items, scope]);
  const inner: TemplateScope = { ...scope, item: list ? { example: list[0], count: list.length } : null };
  const pathMode = step.items === '' || step.items.startsWith('$');
  return (
    <div class="stack-sm">
      <div class="form-grid">
        <Field
          label="Repeat for each item of"
          required
          hint={
            list
              ? `${list.length} item${list.length === 1 ? '' : 's'} in the sample event.`
              : 'A list, e.g. $.event.tagIds or {{ steps.find1.tasks }}.'
          }
        >
          {({ id, describedBy }) => (
            <TemplateInput
              id={id}
              describedBy={describedBy}
              jsonPath={pathMode}
              label={`${title}: items`}
              value={step.items}
              placeholder="$.event.tagIds"
              onChange={(items) => onChange({ ...step, items })}
            />
          )}
        </Field>
        <Field label="At most (items)" hint={`Up to ${FLOW_LIMITS.forEachItems}; a longer list fails the step.`}>
          {({ id, describedBy }) => (
            <input
              id={id}
              class="input"
              inputMode="numeric"
              aria-describedby={describedBy}
              value={step.maxItems === undefined ? '' : String(step.maxItems)}
              placeholder={String(FLOW_LIMITS.forEachItems)}
              onInput={(event) => {
                const text = event.currentTarget.value.trim();
                const { maxItems: _previous, ...rest } = step;
                const number = Math.round(Number(text));
                onChange(
                  text === '' || !Number.isFinite(number)
                    ? rest
                    : { ...step, maxItems: Math.max(1, Math.min(FLOW_LIMITS.forEachItems, number)) },
                );
              }}
            />
          )}
        </Field>
      </div>
      <div class="nested-steps" role="group" aria-label={`${title}, for each item`}>
        <span class="field-label">For each item</span>
        <p class="muted small">
          Here {'{{ item }}'} is the current item and {'{{ loop.index }}'} its position (from 0).
        </p>
        <TemplateScopeProvider scope={inner}>
          <StepList
            steps={step.steps}
            title={`${title}, for each item`}
            label={`${title}, for each item`}
            onChange={(steps) => onChange({ ...step, steps })}
          />
        </TemplateScopeProvider>
      </div>
    </div>
  );
}
