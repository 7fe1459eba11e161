import { useId } from 'preact/hooks';
import type { ClockifyAction, FlowAction, HttpAction, HttpMethod } from '../../api/types';
import { CredentialPicker } from './credential-picker';
import { useApp } from '../../app-context';
import { capability, useCapabilities } from '../../hooks/use-capabilities';
import { useStableKeys } from '../../hooks/use-stable-keys';
import { ACTION_ID_PATTERN, moveItem, newClockifyAction, newHttpAction } from '../../lib/flow-draft';
import { MethodBadge } from '../../ui/badge';
import { BlockedNotice } from '../../ui/blocked-notice';
import { Button } from '../../ui/button';
import { Field } from '../../ui/field';
import { Icon } from '../../ui/icons';
import { useNames } from '../../hooks/use-names';
import { idKindOf } from '../../lib/names';
import type { NameIndex } from '../../lib/names';
import { KnownIds } from '../../ui/known-ids';
import { IdPicker, NamedValue, holdsSeveral, idKindOfField } from './id-picker';
import { PickButton, usePickable } from './insertion';
import { JsonField } from './json-field';
import { useOperationForm, useOperations } from './operations-cache';

type Validity = (key: string, error: string | null) => void;

/** "Then": the actions, run in order; each may use the event and the results of earlier steps. */
export function ActionsEditor({ actions, onChange, readOnly, onValidity }: { actions: FlowAction[]; onChange: (next: FlowAction[]) => void; readOnly: boolean; onValidity: Validity }) {
  const { me } = useApp();
  const http = capability(useCapabilities(), 'httpActions');
  const keys = useStableKeys(actions.length);
  const ids = actions.map((action) => action.id);
  const set = (index: number, action: FlowAction) => onChange(actions.map((a, i) => (i === index ? action : a)));
  return (
    <fieldset class="fieldset">
      <legend>Then</legend>
      {actions.length === 0 ? <p class="muted">No actions yet. Add what the flow should do.</p> : null}
      <ol class="actions-list">
        {actions.map((action, index) => (
          <li key={keys.at(index)}>
            <ActionCard
              action={action}
              index={index}
              total={actions.length}
              otherIds={ids.filter((_, i) => i !== index)}
              readOnly={readOnly}
              onValidity={(key, error) => onValidity(`${keys.at(index)}:${key}`, error)}
              onChange={(next) => set(index, next)}
              onRemove={() => {
                keys.remove(index);
                onChange(actions.filter((_, i) => i !== index));
              }}
              onMove={(to) => {
                keys.move(index, to);
                onChange(moveItem(actions, index, to));
              }}
            />
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <div class="row">
          <Button size="sm" icon="plus" onClick={() => onChange([...actions, newClockifyAction(ids)])}>
            Call Clockify
          </Button>
          {me.edition.capabilities.httpActions ? (
            <Button size="sm" icon="plus" variant="ghost" disabled={http?.state === 'off'} onClick={() => onChange([...actions, newHttpAction(ids)])}>
              Send an HTTP request
            </Button>
          ) : null}
        </div>
      )}
      {!readOnly && http?.state === 'off' ? <BlockedNotice capability={http} title="Sending HTTP requests is off in this workspace" /> : null}
    </fieldset>
  );
}

function ActionCard({ action, index, total, otherIds, readOnly, onChange, onRemove, onMove, onValidity }: {
  action: FlowAction;
  index: number;
  total: number;
  otherIds: string[];
  readOnly: boolean;
  onChange: (next: FlowAction) => void;
  onRemove: () => void;
  onMove: (to: number) => void;
  onValidity: Validity;
}) {
  const title = `Step ${index + 1}`;
  const idError = !ACTION_ID_PATTERN.test(action.id)
    ? 'Start with a letter; letters, digits and _ only (at most 40).'
    : otherIds.includes(action.id)
      ? 'Another step already has this id.'
      : undefined;
  return (
    <div class="action-card" role="group" aria-label={title}>
      <div class="action-head">
        <span class="step-number" aria-hidden="true">
          {index + 1}
        </span>
        <strong class="grow truncate">{action.name || (action.kind === 'clockify' ? action.operationId || 'Clockify call' : `${action.method} request`)}</strong>
        {readOnly ? null : (
          <div class="row action-tools">
            <button type="button" class="icon-button" aria-label={`Move ${title} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
              <Icon name="up" />
            </button>
            <button type="button" class="icon-button" aria-label={`Move ${title} down`} disabled={index === total - 1} onClick={() => onMove(index + 1)}>
              <Icon name="down" />
            </button>
            <button type="button" class="icon-button" aria-label={`Remove ${title}`} onClick={onRemove}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </div>
      <fieldset class="plain-fieldset" disabled={readOnly}>
        <div class="form-grid">
          <Field label="Step id" required error={idError} hint={idError ? undefined : `Later steps read its result as steps.${action.id || 'id'}.`}>
            {({ id, describedBy, invalid }) => (
              <input id={id} class="input mono" value={action.id} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} onInput={(event) => onChange({ ...action, id: event.currentTarget.value })} />
            )}
          </Field>
          <Field label="Name (optional)">
            {({ id }) => <input id={id} class="input" value={action.name ?? ''} onInput={(event) => onChange({ ...action, name: event.currentTarget.value || undefined })} />}
          </Field>
        </div>
        {action.kind === 'clockify' ? (
          <ClockifyActionFields action={action} onChange={onChange} readOnly={readOnly} onValidity={onValidity} title={title} />
        ) : (
          <HttpActionFields action={action} onChange={onChange} readOnly={readOnly} onValidity={onValidity} title={title} />
        )}
        <details class="disclosure">
          <summary>Failure handling</summary>
          <div class="form-grid">
            <label class="check">
              <input type="checkbox" checked={!!action.continueOnFailure} onChange={(event) => onChange({ ...action, continueOnFailure: event.currentTarget.checked || undefined })} />
              Continue with the next step if this one fails
            </label>
            <Field label="Attempts" hint="1 means no retry.">
              {({ id, describedBy }) => (
                <input
                  id={id}
                  class="input"
                  inputMode="numeric"
                  aria-describedby={describedBy}
                  value={String(action.retry?.attempts ?? 1)}
                  onInput={(event) => {
                    const attempts = Math.max(1, Math.min(10, Number(event.currentTarget.value) || 1));
                    const { retry: _retry, ...rest } = action;
                    onChange(attempts <= 1 ? (rest as FlowAction) : { ...action, retry: { attempts, backoffMs: action.retry?.backoffMs ?? 2000 } });
                  }}
                />
              )}
            </Field>
            {action.retry ? (
              <Field label="Wait between attempts (ms)">
                {({ id }) => (
                  <input
                    id={id}
                    class="input"
                    inputMode="numeric"
                    value={String(action.retry?.backoffMs ?? 0)}
                    onInput={(event) => onChange({ ...action, retry: { attempts: action.retry?.attempts ?? 2, backoffMs: Math.max(0, Math.min(60_000, Number(event.currentTarget.value) || 0)) } })}
                  />
                )}
              </Field>
            ) : null}
          </div>
        </details>
      </fieldset>
    </div>
  );
}

/** A text input that accepts `{{ event.… }}` from the field picker at the caret. */
function TemplateInput({ id, value, onChange, label, describedBy, placeholder, mono = true }: { id?: string; value: string; onChange: (value: string) => void; label: string; describedBy?: string; placeholder?: string; mono?: boolean }) {
  const pickable = usePickable('template', label, onChange);
  return (
    <span class="input-with-pick">
      <input id={id} class={`input${mono ? ' mono' : ''}`} value={value} placeholder={placeholder} aria-describedby={describedBy} spellcheck={false} {...pickable.props} onInput={(event) => onChange(event.currentTarget.value)} />
      <PickButton pickable={pickable} />
    </span>
  );
}

function paramText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ClockifyActionFields({ action, onChange, readOnly, onValidity, title }: { action: ClockifyAction; onChange: (next: FlowAction) => void; readOnly: boolean; onValidity: Validity; title: string }) {
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
      const existing = text.split(',').map((item) => item.trim()).filter(Boolean);
      setParam(name, holdsSeveral(name) && !existing.includes(picked) ? [...existing, picked].join(',') : holdsSeveral(name) ? text : picked);
    };
    return (
      <>
        <TemplateInput id={id} describedBy={describedBy} label={`${title}: ${name}`} value={text} onChange={(next) => setParam(name, next)} placeholder={placeholder} />
        <NamedValue value={text} names={names} />
        {kind && kind !== 'workspace' && !readOnly ? <IdPicker kind={kind} names={names} selected={text} label={`${title}: pick ${name} by name`} onPick={pick} /> : null}
      </>
    );
  };
  return (
    <div class="stack-sm">
      <Field label="Operation" required hint={selected ? `${selected.method} ${selected.path}` : missing ? 'Unknown operation: pick one from the list.' : 'Type to search Clockify operations.'}>
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
            <Field key={param.name} label={<span class="mono">{param.name}</span>} required={param.required && param.in === 'path'} hint={param.in === 'query' ? 'Query' : undefined}>
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
          <BodyIdPickers body={action.body} names={names} title={title} readOnly={readOnly} onChange={(body) => onChange({ ...action, body })} />
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
function BodyIdPickers({ body, names, title, readOnly, onChange }: { body: unknown; names: NameIndex; title: string; readOnly: boolean; onChange: (body: unknown) => void }) {
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
              {readOnly ? null : <IdPicker kind={kind} names={names} selected={typeof object[key] === 'string' ? (object[key] as string) : undefined} label={`${title}: pick body ${key} by name`} onPick={(id) => pick(key, id)} />}
            </div>
          ))}
        </div>
      ) : null}
      <KnownIds value={body} names={names} label="Names in this body" />
    </>
  );
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function HttpActionFields({ action, onChange, readOnly, onValidity, title }: { action: HttpAction; onChange: (next: FlowAction) => void; readOnly: boolean; onValidity: Validity; title: string }) {
  const headers = Object.entries(action.headers ?? {});
  const setHeaders = (entries: [string, string][]) => onChange({ ...action, headers: Object.fromEntries(entries) });
  return (
    <div class="stack-sm">
      <div class="http-line">
        <Field label="Method">
          {({ id }) => (
            <select id={id} class="select" value={action.method} onChange={(event) => onChange({ ...action, method: event.currentTarget.value as HttpMethod })}>
              {METHODS.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="URL" required hint="Public http(s) addresses only; templates allowed after the host.">
          {({ id, describedBy }) => <TemplateInput id={id} describedBy={describedBy} label={`${title}: URL`} value={action.url} onChange={(url) => onChange({ ...action, url })} placeholder="https://hooks.example.com/…" />}
        </Field>
      </div>
      <CredentialPicker
        title={title}
        readOnly={readOnly}
        value={action.credential}
        onChange={(credential) => {
          const { credential: _previous, ...rest } = action;
          onChange(credential ? { ...rest, credential } : rest);
        }}
      />
      <div class="stack-sm">
        <span class="field-label">Headers</span>
        {headers.map(([name, value], index) => (
          <div class="header-row" key={index}>
            <label>
              <span class="visually-hidden">Header {index + 1} name</span>
              <input class="input mono" value={name} placeholder="name" onInput={(event) => setHeaders(headers.map((h, i) => (i === index ? [event.currentTarget.value, h[1]] : h)))} />
            </label>
            <label class="grow">
              <span class="visually-hidden">Header {index + 1} value</span>
              <TemplateInput label={`${title}: header ${name || index + 1}`} value={value} onChange={(text) => setHeaders(headers.map((h, i) => (i === index ? [h[0], text] : h)))} />
            </label>
            {readOnly ? null : (
              <button type="button" class="icon-button" aria-label={`Remove header ${name || index + 1}`} onClick={() => setHeaders(headers.filter((_, i) => i !== index))}>
                <Icon name="close" />
              </button>
            )}
          </div>
        ))}
        {readOnly ? null : (
          <div>
            <Button size="sm" variant="ghost" icon="plus" onClick={() => setHeaders([...headers, ['', '']])}>
              Add header
            </Button>
          </div>
        )}
      </div>
      {action.method !== 'GET' ? (
        <JsonField label="Body" value={action.body} readOnly={readOnly} pickLabel={`${title}: body`} onValidity={(error) => onValidity('body', error)} onChange={(body) => onChange({ ...action, body })} />
      ) : null}
    </div>
  );
}
