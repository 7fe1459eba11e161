import type { HttpMethod } from '../../../../api/types';
import { HTTP_METHODS } from '../../../../lib/flow-constants';
import { Button } from '../../../../ui/button';
import { Field } from '../../../../ui/field';
import { Icon } from '../../../../ui/icons';
import { CredentialPicker } from '../../credential-picker';
import { JsonField } from '../../json-field';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';

/** A request to another service: method, URL, credential, headers and body (templates anywhere). */
export function HttpEditor({ step: action, onChange, readOnly, onValidity, title }: StepEditorProps<'http'>) {
  const headers = Object.entries(action.headers ?? {});
  const setHeaders = (entries: [string, string][]) => onChange({ ...action, headers: Object.fromEntries(entries) });
  return (
    <div class="stack-sm">
      <div class="http-line">
        <Field label="Method">
          {({ id }) => (
            <select
              id={id}
              class="select"
              value={action.method}
              onChange={(event) => onChange({ ...action, method: event.currentTarget.value as HttpMethod })}
            >
              {HTTP_METHODS.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="URL" required hint="Public http(s) addresses only; templates allowed after the host.">
          {({ id, describedBy }) => (
            <TemplateInput
              id={id}
              describedBy={describedBy}
              label={`${title}: URL`}
              value={action.url}
              onChange={(url) => onChange({ ...action, url })}
              placeholder="https://hooks.example.com/…"
            />
          )}
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
              <input
                class="input mono"
                value={name}
                placeholder="name"
                onInput={(event) => setHeaders(headers.map((h, i) => (i === index ? [event.currentTarget.value, h[1]] : h)))}
              />
            </label>
            <label class="grow">
              <span class="visually-hidden">Header {index + 1} value</span>
              <TemplateInput
                label={`${title}: header ${name || index + 1}`}
                value={value}
                onChange={(text) => setHeaders(headers.map((h, i) => (i === index ? [h[0], text] : h)))}
              />
            </label>
            {readOnly ? null : (
              <button
                type="button"
                class="icon-button"
                aria-label={`Remove header ${name || index + 1}`}
                onClick={() => setHeaders(headers.filter((_, i) => i !== index))}
              >
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
        <JsonField
          label="Body"
          value={action.body}
          readOnly={readOnly}
          pickLabel={`${title}: body`}
          onValidity={(error) => onValidity('body', error)}
          onChange={(body) => onChange({ ...action, body })}
        />
      ) : null}
    </div>
  );
}
