import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { ExecuteResult, OperationDocs, OperationForm, OperationParameter } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useNames } from '../../hooks/use-names';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { flowFromCall, pendingDraft } from '../../lib/flow-draft';
import { prettyJson } from '../../lib/format';
import { fillExampleIds, idKindOf } from '../../lib/names';
import type { IdKind, NameIndex } from '../../lib/names';
import { buildParams, enumOf, errorsByParam, initialValues, inputKindOf, parseBody, placeholderOf } from '../../lib/params';
import { routeHref } from '../../lib/route';
import { MethodBadge } from '../../ui/badge';
import { Button, LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { Field } from '../../ui/field';
import { LongText } from '../../ui/hint';
import { JsonTree } from '../../ui/json-tree';
import { FilePicker } from './file-picker';
import { ResponsesCard, SamplesCard } from './operation-docs';
import { pendingCall } from './pending-call';
import { ResponseView } from './response-view';

/** One operation as a form: parameters from the spec, the body editor, Run, and the response. */
export function OperationPanel({ operationId }: { operationId: string }) {
  const { api } = useApp();
  const form = useResource(
    (signal) => api.get<OperationForm>(`/ui/api-explorer/endpoints/${encodeURIComponent(operationId)}`, { signal }),
    [operationId],
  );
  const back = (
    <span class="back-link">
      <LinkButton href={routeHref('explorer')} icon="back" size="sm" variant="ghost">
        All operations
      </LinkButton>
    </span>
  );
  if (form.error && !form.data) {
    return (
      <div class="stack-sm">
        {back}
        <ErrorNotice
          error={form.error}
          title={form.error.status === 404 ? 'Operation not found' : undefined}
          onRetry={form.error.status === 404 ? undefined : form.reload}
        />
      </div>
    );
  }
  if (!form.data) {
    return (
      <Card>
        <Skeleton lines={8} label="Loading the operation…" />
      </Card>
    );
  }
  return (
    <div class="stack">
      {back}
      <OperationFormCard form={form.data} />
    </div>
  );
}

function OperationFormCard({ form }: { form: OperationForm }) {
  const { api, me, notify, announce } = useApp();
  const given = useMemo(() => {
    const handed = pendingCall.get();
    if (handed?.operationId !== form.operationId) return undefined;
    pendingCall.set(null);
    return handed;
  }, [form.operationId]);
  const names = useNames();
  const docs = useResource(
    (signal) => api.get<OperationDocs>(`/ui/api-explorer/docs/${encodeURIComponent(form.operationId)}`, { signal }),
    [form.operationId],
  );
  const [values, setValues] = useState(() => initialValues(form.parameters, form.prefill, given?.params));
  const specExample = form.exampleBody === null || form.exampleBody === undefined ? '' : prettyJson(form.exampleBody);
  // The spec's placeholder ids replaced by real ones of this workspace, once the names are loaded.
  const exampleText = useMemo(
    () =>
      specExample === '' ? '' : prettyJson(fillExampleIds(form.exampleBody, names, { userId: me.userId, workspaceId: me.workspaceId })),
    [specExample, form.exampleBody, names, me],
  );
  const [bodyText, setBodyText] = useState(() => (given?.body !== undefined ? prettyJson(given.body) : exampleText));
  // When the names arrive, an example the user has not edited is filled again with them.
  const shownExample = useRef(exampleText);
  useEffect(() => {
    const previous = shownExample.current;
    shownExample.current = exampleText;
    if (given?.body === undefined) setBodyText((current) => (current === previous ? exampleText : current));
  }, [exampleText, given]);
  const [result, setResult] = useState<ExecuteResult | undefined>(undefined);
  const body = parseBody(bodyText);

  const execute = useAction(async () => {
    if (!body.ok) throw new Error(`The body is not valid JSON: ${body.message}`);
    const outcome = await api.post<ExecuteResult>('/ui/api-explorer/execute', {
      operationId: form.operationId,
      params: buildParams(form.parameters, values),
      ...(form.requestBody && body.value !== undefined ? { body: body.value } : {}),
    });
    setResult(outcome);
    announce(`Response ${outcome.status}, ${outcome.ok ? 'success' : 'error'}.`);
    return outcome;
  });
  const fieldErrors = execute.error ? errorsByParam(execute.error.fieldErrors) : {};

  // "Open in form" from the history while this operation is already open.
  useEffect(
    () =>
      pendingCall.subscribe((call) => {
        if (call?.operationId !== form.operationId) return;
        pendingCall.set(null);
        setValues(initialValues(form.parameters, form.prefill, call.params));
        setBodyText(call.body !== undefined ? prettyJson(call.body) : exampleText);
        setResult(undefined);
      }),
    [form, exampleText],
  );

  const run = (event?: Event) => {
    event?.preventDefault();
    if (form.runnable) void execute.run();
  };
  const saveAsFlow = () => {
    pendingDraft.set(
      flowFromCall(
        {
          operationId: form.operationId,
          params: buildParams(form.parameters, values),
          body: form.requestBody && body.ok ? body.value : undefined,
          summary: form.summary,
        },
        me.edition.events[0],
      ),
    );
    notify('A new flow was drafted from this call: choose its trigger and save it.');
    navigate(routeHref('flows', 'new'));
  };

  const pathParams = form.parameters.filter((param) => param.in === 'path');
  const queryParams = form.parameters.filter((param) => param.in === 'query');
  const headerParams = form.parameters.filter((param) => param.in === 'header');

  return (
    <>
      <Card
        title={form.summary || form.operationId}
        subtitle={
          <span class="op-heading">
            <MethodBadge method={form.method} /> <code>{form.path}</code>
          </span>
        }
      >
        <form
          class="stack"
          onSubmit={run}
          onKeyDown={(event) => {
            // Ctrl/⌘+Enter runs from anywhere in the form, the body editor included.
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) run(event);
          }}
        >
          {form.description ? (
            <details class="disclosure">
              <summary>About this operation</summary>
              <p class="prose">{form.description}</p>
            </details>
          ) : null}
          {form.notRunnableBecause ? (
            <Notice tone="warn" title="You cannot run this operation">
              {form.notRunnableBecause}
            </Notice>
          ) : null}
          <ParamGroup
            title="Path"
            params={pathParams}
            path={form.path}
            names={names}
            values={values}
            errors={fieldErrors}
            onChange={setValues}
          />
          <ParamGroup
            title="Query"
            params={queryParams}
            path={form.path}
            names={names}
            values={values}
            errors={fieldErrors}
            onChange={setValues}
          />
          <ParamGroup
            title="Headers"
            params={headerParams}
            path={form.path}
            names={names}
            values={values}
            errors={fieldErrors}
            onChange={setValues}
          />
          {form.requestBody ? (
            <fieldset class="fieldset">
              <legend>
                Body{' '}
                <span class="muted small">
                  ({form.requestBody.contentType}
                  {form.requestBody.required ? ', required' : ''})
                </span>
              </legend>
              {form.requestBody.contentType === 'multipart/form-data' ? (
                <FilePicker
                  schema={form.requestBody.schema}
                  onFile={(field, file) => {
                    const current =
                      body.ok && body.value !== null && typeof body.value === 'object' ? (body.value as Record<string, unknown>) : {};
                    setBodyText(prettyJson({ ...current, [field]: file }));
                  }}
                />
              ) : null}
              <Field
                label="JSON body"
                error={body.ok ? undefined : `Not valid JSON: ${body.message}`}
                hint="Start from the example; fields Clockify ignores can stay."
              >
                {({ id, describedBy, invalid }) => (
                  <textarea
                    id={id}
                    class="textarea body-editor"
                    spellcheck={false}
                    rows={Math.min(18, Math.max(6, bodyText.split('\n').length + 1))}
                    value={bodyText}
                    aria-describedby={describedBy}
                    aria-invalid={invalid ? 'true' : undefined}
                    onInput={(event) => setBodyText(event.currentTarget.value)}
                  />
                )}
              </Field>
              <div class="row">
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={!body.ok || body.value === undefined}
                  onClick={() => body.ok && setBodyText(prettyJson(body.value))}
                >
                  Format
                </Button>
                <Button size="sm" variant="ghost" disabled={bodyText === exampleText} onClick={() => setBodyText(exampleText)}>
                  Reset to example
                </Button>
              </div>
              <details class="disclosure">
                <summary>Body schema</summary>
                <JsonTree value={form.requestBody.schema} openDepth={1} label="Body schema" />
              </details>
            </fieldset>
          ) : null}
          {execute.error ? <ErrorNotice error={execute.error} title="The call was not sent" compact /> : null}
          <div class="form-actions sticky-actions">
            <Button type="submit" variant="primary" icon="play" busy={execute.busy} disabled={!form.runnable || !body.ok}>
              Run
            </Button>
            {me.isAdmin ? (
              <Button variant="ghost" icon="flows" onClick={saveAsFlow}>
                Save as flow action
              </Button>
            ) : null}
            <span class="muted small hide-narrow">Ctrl+Enter runs</span>
          </div>
        </form>
      </Card>
      {result ? <ResponseView result={result} /> : null}
      {docs.data ? <ResponsesCard docs={docs.data} /> : null}
      {docs.data ? (
        <SamplesCard
          form={form}
          docs={docs.data}
          params={buildParams(form.parameters, values)}
          body={form.requestBody && body.ok ? body.value : undefined}
        />
      ) : null}
    </>
  );
}

function ParamGroup({
  title,
  params,
  path,
  names,
  values,
  errors,
  onChange,
}: {
  title: string;
  params: OperationParameter[];
  path: string;
  names: NameIndex;
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
}) {
  if (params.length === 0) return null;
  const input = (param: OperationParameter) => (
    <ParamInput
      key={param.name}
      param={param}
      idKind={idKindOf(param.name, path)}
      names={names}
      value={values[param.name] ?? ''}
      error={errors[param.name]}
      onChange={(value) => onChange({ ...values, [param.name]: value })}
    />
  );
  const required = params.filter((param) => param.required || param.in === 'path');
  const optional = params.filter((param) => !required.includes(param));
  // Optional parameters are folded away (a long list pushed Run out of sight at 400 px); open when one is set or wrong.
  const optionalInUse = optional.some((param) => (values[param.name] ?? '') !== '' || errors[param.name]);
  return (
    <fieldset class="fieldset">
      <legend>{title} parameters</legend>
      {required.length > 0 ? <div class="form-grid">{required.map(input)}</div> : null}
      {optional.length > 0 ? (
        <details class="disclosure" open={optionalInUse || (required.length === 0 && optional.length <= 3) ? true : undefined}>
          <summary>
            Optional ({optional.length})
            {optionalInUse ? `, ${optional.filter((param) => (values[param.name] ?? '') !== '').length} set` : ': not sent unless set'}
          </summary>
          <div class="form-grid">{optional.map(input)}</div>
        </details>
      ) : null}
    </fieldset>
  );
}

function ParamInput({
  param,
  idKind,
  names,
  value,
  error,
  onChange,
}: {
  param: OperationParameter;
  idKind?: IdKind;
  names: NameIndex;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const kind = inputKindOf(param);
  const fixed = param.name === 'workspaceId';
  const listId = useId();
  // An id parameter offers the workspace's entities by name (the value stays the id).
  const choices = idKind && idKind !== 'workspace' ? names.list(idKind) : [];
  const named = value
    .split(',')
    .map((item) => names.nameOf(item.trim()))
    .filter(Boolean)
    .join(', ');
  const text = fixed
    ? 'Always your current workspace.'
    : [named ? `= ${named}.` : '', param.description, kind === 'array' ? 'Separate several values with commas.' : '']
        .filter(Boolean)
        .join(' ');
  const hint = text ? <LongText text={text} /> : undefined;
  return (
    <Field label={<span class="mono">{param.name}</span>} required={param.required} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => {
        const common = { id, 'aria-describedby': describedBy, 'aria-invalid': invalid ? ('true' as const) : undefined };
        if (kind === 'enum' || kind === 'boolean') {
          const options = kind === 'boolean' ? ['true', 'false'] : (enumOf(param) ?? []);
          return (
            <select
              {...common}
              class="select"
              value={value}
              onChange={(event) => onChange(event.currentTarget.value)}
              required={param.required}
            >
              <option value="">{param.required ? 'Choose…' : `(${placeholderOf(param)})`}</option>
              {options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          );
        }
        return (
          <>
            <input
              {...common}
              class="input"
              type="text"
              inputMode={kind === 'integer' ? 'numeric' : kind === 'number' ? 'decimal' : undefined}
              value={value}
              readOnly={fixed}
              required={param.required}
              placeholder={param.required ? (choices.length > 0 ? 'Pick by name or paste an id' : '') : placeholderOf(param)}
              list={choices.length > 0 && !fixed ? listId : undefined}
              onInput={(event) => onChange(event.currentTarget.value)}
            />
            {choices.length > 0 && !fixed ? (
              <datalist id={listId}>
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id} label={choice.name} />
                ))}
              </datalist>
            ) : null}
          </>
        );
      }}
    </Field>
  );
}
