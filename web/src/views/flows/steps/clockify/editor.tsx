import { useId } from 'preact/hooks';
import { useNames } from '../../../../hooks/use-names';
import { idKindOf } from '../../../../lib/names';
import type { NameIndex } from '../../../../lib/names';
import { MethodBadge } from '../../../../ui/badge';
import { Button } from '../../../../ui/button';
import { Field } from '../../../../ui/field';
import { KnownIds } from '../../../../ui/known-ids';
import { IdPicker, NamedValue, holdsSeveral, idKindOfField } from '../../id-picker';
import { JsonField } from '../../json-field';
import { useOperationForm, useOperations } from '../../operations-cache';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';

function paramText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A Clockify API call: the operation, its parameters (templates, ids by name) and the JSON body. */
export function ClockifyEditor({ step: action, onChange, readOnly, onValidity, title }: StepEditorProps<'clockify'>) {
  const operations = useOperations();
  const listId = useId();
  const { form, missing } = useOperationForm(action.operationId);
  const selected = operations?.find((op) => op.operationId === action.operationId);
  const params = action.params ?? {};
  const specParams = (form?.parameters ?? []).filter((param) => param.name !== 'workspaceId' && param.in !== 'header');
  const extraNames = Object.keys(params).filter((name) => !specParams.some((param) => param.name === name));
  const setParam = (name: string, text: string) => {
    const next = { ...params };
    if (text === '') delete next[name];
    else next[name] = text;
    onChange({ ...action, params: next });
  };
  const names = useNames();
  // An id parameter shows the name of the id it holds and offers the entities by name.
  const paramInput = (name: string, id: string, describedBy: string | undefined, placeholder?: string) => {
    const kind = idKindOf(name, selected?.path);
    const text = paramText(params[name]);
    const pick = (picked: string) => {
      const existing = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      setParam(
        name,
        holdsSeveral(name) && !existing.includes(picked) ? [...existing, picked].join(',') : holdsSeveral(name) ? text : picked,
      );
    };
    return (
      <>
        <TemplateInput
          id={id}
          describedBy={describedBy}
          label={`${title}: ${name}`}
          value={text}
          onChange={(next) => setParam(name, next)}
          placeholder={placeholder}
        />
        <NamedValue value={text} names={names} />
        {kind && kind !== 'workspace' && !readOnly ? (
          <IdPicker kind={kind} names={names} selected={text} label={`${title}: pick ${name} by name`} onPick={pick} />
        ) : null}
      </>
    );
  };
  return (
    <div class="stack-sm">
      <Field
        label="Operation"
        required
        hint={
          selected
            ? `${selected.method} ${selected.path}`
            : missing
              ? 'Unknown operation: pick one from the list.'
              : 'Type to search Clockify operations.'
        }
      >
        {({ id, describedBy }) => (
          <div class="operation-input">
            {selected ? <MethodBadge method={selected.method} /> : null}
            <input
              id={id}
              class="input mono"
              list={listId}
              value={action.operationId}
              aria-describedby={describedBy}
              placeholder="e.g. updateTimeEntry"
              onInput={(event) => onChange({ ...action, operationId: event.currentTarget.value.trim() })}
            />
            <datalist id={listId}>
              {(operations ?? []).map((op) => (
                <option key={op.operationId} value={op.operationId}>
                  {`${op.method} ${op.summary}`}
                </option>
              ))}
            </datalist>
          </div>
        )}
      </Field>
      {specParams.length > 0 || extraNames.length > 0 ? (
        <div class="form-grid">
          {specParams.map((param) => (
            <Field
              key={param.name}
              label={<span class="mono">{param.name}</span>}
              required={param.required && param.in === 'path'}
              hint={param.in === 'query' ? 'Query' : undefined}
            >
              {({ id, describedBy }) => paramInput(param.name, id, describedBy, param.in === 'path' ? '{{ event.id }}' : 'optional')}
            </Field>
          ))}
          {extraNames.map((name) => (
            <Field key={name} label={<span class="mono">{name}</span>} hint="Not a parameter of this operation.">
              {({ id, describedBy }) => paramInput(name, id, describedBy)}
            </Field>
          ))}
        </div>
      ) : null}
      {form?.requestBody || action.body !== undefined ? (
        <div class="stack-sm">
          <JsonField
            label="Body"
            value={action.body}
            readOnly={readOnly}
            pickLabel={`${title}: body`}
            hint="JSON; any string may be a template like {{ event.description }}."
            onValidity={(error) => onValidity('body', error)}
            onChange={(body) => onChange({ ...action, body })}
          />
          <BodyIdPickers
            body={action.body}
            names={names}
            title={title}
            readOnly={readOnly}
            onChange={(body) => onChange({ ...action, body })}
          />
          {form?.exampleBody !== undefined && form.exampleBody !== null && !readOnly ? (
            <div>
              <Button size="sm" variant="ghost" onClick={() => onChange({ ...action, body: form.exampleBody })}>
                Use the example body
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The body's top-level id fields (projectId, taskId, tagIds…) by name: each shows the names of the
 * ids it holds and offers the entities to pick from; nested ids are named below.
 */
function BodyIdPickers({
  body,
  names,
  title,
  readOnly,
  onChange,
}: {
  body: unknown;
  names: NameIndex;
  title: string;
  readOnly: boolean;
  onChange: (body: unknown) => void;
}) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return <KnownIds value={body} names={names} label="Names in this body" />;
  const object = body as Record<string, unknown>;
  const fields = Object.keys(object).flatMap((key) => {
    const kind = idKindOfField(key);
    return kind ? [{ key, kind }] : [];
  });
  const pick = (key: string, id: string) => {
    const value = object[key];
    if (!holdsSeveral(key)) return onChange({ ...object, [key]: id });
    const list = Array.isArray(value) ? value : [];
    onChange({ ...object, [key]: list.includes(id) ? list : [...list, id] });
  };
  return (
    <>
      {fields.length > 0 ? (
        <div class="form-grid" role="group" aria-label={`${title}: ids in the body`}>
          {fields.map(({ key, kind }) => (
            <div key={key} class="stack-sm">
              <span class="field-label mono">{key}</span>
              <NamedValue value={object[key]} names={names} />
              {readOnly ? null : (
                <IdPicker
                  kind={kind}
                  names={names}
                  selected={typeof object[key] === 'string' ? (object[key] as string) : undefined}
                  label={`${title}: pick body ${key} by name`}
                  onPick={(id) => pick(key, id)}
                />
              )}
            </div>
          ))}
        </div>
      ) : null}
      <KnownIds value={body} names={names} label="Names in this body" />
    </>
  );
}
