import { useEffect, useState } from 'preact/hooks';
import type { CapabilityState, ExecuteResult, FlowTemplate } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { capability, useCapabilities } from '../../hooks/use-capabilities';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { routeHref } from '../../lib/route';
import { Button, LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { EmptyState, ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { BlockedNotice } from '../../ui/blocked-notice';
import { Field } from '../../ui/field';
import { flowOf } from './flow-api';

/** Ready-made flows: pick one, fill in a few values, and it is created, switched off until it has been tried. */
export function TemplatesGallery() {
  const { api, me } = useApp();
  const templates = useResource((signal) => api.get<{ templates: FlowTemplate[] }>('/ui/flows/templates', { signal }), []);
  const [chosen, setChosen] = useState<string | null>(null);
  const capabilities = useCapabilities();
  // A template whose flow needs a capability a setting turns off is shown, disabled, with the reason.
  const blockerOf = (templateId: string) => {
    const needs = capabilities?.templates.find((item) => item.templateId === templateId)?.needs ?? [];
    return needs.map((id) => capability(capabilities, id)).find((state) => state && state.state !== 'on');
  };
  return (
    <div>
      <div class="page-header">
        <div>
          <LinkButton href={routeHref('flows')} icon="back" size="sm" variant="ghost">
            All flows
          </LinkButton>
          <h1>Flow templates</h1>
          <p>Common automations, ready to use. You can change everything afterwards.</p>
        </div>
      </div>
      {!me.isAdmin ? (
        <Notice tone="warn" title="Admins only">
          Only workspace owners and admins can create flows from templates.
        </Notice>
      ) : null}
      {templates.error && !templates.data ? (
        <ErrorNotice error={templates.error} onRetry={templates.reload} />
      ) : !templates.data ? (
        <div class="grid-2">
          {[0, 1, 2, 3].map((index) => (
            <Card key={index}>
              <Skeleton lines={3} />
            </Card>
          ))}
        </div>
      ) : templates.data.templates.length === 0 ? (
        <EmptyState icon="flows" title="No templates for this edition" />
      ) : (
        <ul class="template-grid">
          {templates.data.templates.map((template) => (
            <li key={template.id}>
              <TemplateCard
                template={template}
                open={chosen === template.id}
                onOpen={() => setChosen(chosen === template.id ? null : template.id)}
                canUse={me.isAdmin}
                blocker={blockerOf(template.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TemplateCard({
  template,
  open,
  onOpen,
  canUse,
  blocker,
}: {
  template: FlowTemplate;
  open: boolean;
  onOpen: () => void;
  canUse: boolean;
  blocker?: CapabilityState;
}) {
  const { api, notify } = useApp();
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const create = useAction(async () => {
    const values: Record<string, unknown> = {};
    for (const input of template.requiredInputs) {
      const raw = inputs[input.name] ?? '';
      values[input.name] =
        input.type === 'text-list'
          ? raw
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
          : raw.trim();
    }
    const flow = flowOf(
      await api.post<unknown>(`/ui/flows/templates/${encodeURIComponent(template.id)}`, { inputs: values, enabled: false }),
    );
    notify(`Flow "${flow.name ?? template.name}" created, switched off: try a dry run, then enable it.`);
    navigate(routeHref('flows', flow.id));
  });
  // Only errors about an input on screen go beside it; any other error is shown above the buttons.
  const inputNames = new Set(template.requiredInputs.map((input) => input.name));
  const fieldErrors = Object.fromEntries(
    (create.error?.fieldErrors ?? [])
      .map((error) => [error.field.split('.').pop() ?? error.field, error.message])
      .filter(([name]) => inputNames.has(name as string)),
  );
  return (
    <div class={`card template-card${open ? ' is-open' : ''}`}>
      <div class="card-body stack-sm">
        <h2 class="template-title">{template.name}</h2>
        <p class="muted">{template.description}</p>
        {blocker ? <BlockedNotice capability={blocker} title={`Needs "${blocker.label}", which is off`} /> : null}
        {canUse && !open ? (
          <div>
            <Button variant="primary" size="sm" onClick={onOpen} aria-expanded="false" disabled={!!blocker}>
              Use this template
            </Button>
          </div>
        ) : null}
        {open ? (
          <form
            class="stack-sm"
            onSubmit={(event) => {
              event.preventDefault();
              void create.run();
            }}
          >
            {template.requiredInputs.map((input) => (
              <TemplateInputField
                key={input.name}
                input={input}
                value={inputs[input.name] ?? ''}
                error={fieldErrors[input.name]}
                onChange={(value) => setInputs({ ...inputs, [input.name]: value })}
              />
            ))}
            {create.error && Object.keys(fieldErrors).length === 0 ? <ErrorNotice error={create.error} compact /> : null}
            <div class="form-actions">
              <Button type="submit" variant="primary" busy={create.busy}>
                Create flow (off)
              </Button>
              <Button variant="ghost" onClick={onOpen}>
                Cancel
              </Button>
            </div>
          </form>
        ) : null}
      </div>
    </div>
  );
}

const ENTITY_SOURCES: Record<string, { entityType: string; operationId: string }> = {
  'project-id': { entityType: 'projects', operationId: 'getProjects' },
  'tag-id': { entityType: 'tags', operationId: 'getTags' },
};

function TemplateInputField({
  input,
  value,
  error,
  onChange,
}: {
  input: FlowTemplate['requiredInputs'][number];
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const entities = ENTITY_SOURCES[input.type];
  const hint =
    input.type === 'text-list'
      ? 'One per line.'
      : input.type === 'url'
        ? 'A public https:// address.'
        : input.type === 'time-zone'
          ? 'A time zone name, e.g. Europe/Berlin or America/New_York.'
          : entities
            ? 'Pick from your workspace or paste an id.'
            : undefined;
  return (
    <Field label={input.label} required hint={hint} error={error}>
      {({ id, describedBy, invalid }) =>
        input.type === 'text-list' ? (
          <textarea
            id={id}
            class="textarea textarea-prose"
            rows={4}
            value={value}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(event) => onChange(event.currentTarget.value)}
          />
        ) : entities ? (
          <EntityPicker
            id={id}
            describedBy={describedBy}
            entityType={entities.entityType}
            operationId={entities.operationId}
            value={value}
            onChange={onChange}
          />
        ) : (
          <input
            id={id}
            class="input"
            inputMode={input.type === 'url' ? 'url' : input.type === 'number' ? 'decimal' : undefined}
            value={value}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(event) => onChange(event.currentTarget.value)}
          />
        )
      }
    </Field>
  );
}

/**
 * Projects or tags of the workspace as choices: from the add-on's snapshot when it has one, else
 * read live through the explorer with the user's own rights. Typing an id still works if neither can.
 */
function EntityPicker({
  id,
  describedBy,
  entityType,
  operationId,
  value,
  onChange,
}: {
  id: string;
  describedBy?: string;
  entityType: string;
  operationId: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { api } = useApp();
  const [options, setOptions] = useState<{ id: string; name: string }[] | null>(null);
  useEffect(() => {
    let alive = true;
    const named = (items: unknown[]) =>
      items
        .filter(
          (item): item is { id: string; name?: unknown } =>
            !!item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string',
        )
        .map((item) => ({ id: item.id, name: typeof item.name === 'string' ? item.name : item.id }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const load = async () => {
      try {
        const cached = await api.get<{ items: { id: string; data: unknown }[] }>('/ui/bootstrap/entities', {
          query: { type: entityType, limit: 500 },
        });
        if (cached.items.length > 0) return named(cached.items.map((item) => ({ name: undefined, ...(item.data as object), id: item.id })));
      } catch {
        // No snapshot on this server: ask Clockify.
      }
      const result = await api.post<ExecuteResult>('/ui/api-explorer/execute', { operationId, params: { 'page-size': 200 } });
      return Array.isArray(result.body) ? named(result.body) : [];
    };
    load()
      .then((items) => alive && setOptions(items))
      .catch(() => alive && setOptions([]));
    return () => {
      alive = false;
    };
  }, [api, entityType, operationId]);
  if (options && options.length > 0) {
    return (
      <select id={id} class="select" value={value} aria-describedby={describedBy} onChange={(event) => onChange(event.currentTarget.value)}>
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      id={id}
      class="input mono"
      value={value}
      placeholder={options === null ? 'Loading…' : 'Paste an id'}
      aria-describedby={describedBy}
      onInput={(event) => onChange(event.currentTarget.value)}
    />
  );
}
