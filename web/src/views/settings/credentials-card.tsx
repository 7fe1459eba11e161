import type { Credential } from '../../api/types';
import { useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { dateTime } from '../../lib/format';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ConfirmDialog } from '../../ui/dialog';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { Field } from '../../ui/field';

/** What the API says about a credential: never its value. */
export type { Credential };

const KIND_TEXT: Record<Credential['kind'], string> = {
  header: 'Header',
  bearer: 'Bearer token',
  basic: 'Basic auth',
  query: 'Query parameter',
};

/** Where a credential goes, in words. */
export function credentialPlace(credential: Pick<Credential, 'kind' | 'fieldName'>): string {
  if (credential.kind === 'header') return `header ${credential.fieldName}`;
  if (credential.kind === 'query') return `?${credential.fieldName}=`;
  return `Authorization: ${credential.kind === 'bearer' ? 'Bearer' : 'Basic'}`;
}

/** Secrets HTTP actions use by name. Write-only: a value goes in, and is never shown again. */
export function CredentialsCard() {
  const { api, me, notify } = useApp();
  const credentials = useResource((signal) => api.get<{ credentials: Credential[] }>('/ui/credentials', { signal }), []);
  const [editing, setEditing] = useState<Credential | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);
  const remove = useAction(async () => {
    if (!deleting) return;
    await api.delete(`/ui/credentials/${encodeURIComponent(deleting.id)}`);
    credentials.update((current) => current && { credentials: current.credentials.filter((c) => c.id !== deleting.id) });
    notify(`Credential ${deleting.name} deleted.`);
    setDeleting(null);
  });
  const saved = (credential: Credential) => {
    credentials.update((current) => ({
      credentials: [...(current?.credentials ?? []).filter((c) => c.id !== credential.id), credential].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    }));
    notify(`Credential ${credential.name} saved.`);
    setEditing(null);
  };
  return (
    <Card
      title="Credentials"
      id="credentials"
      subtitle="API keys and tokens for HTTP actions. Use one in a flow as {{ credentials.name }} or pick it in the action. A value is never shown again."
      actions={
        me.isAdmin && editing === null ? (
          <Button size="sm" variant="primary" icon="plus" onClick={() => setEditing('new')}>
            New credential
          </Button>
        ) : null
      }
    >
      <div class="stack">
        {editing !== null ? (
          <CredentialForm existing={editing === 'new' ? null : editing} onCancel={() => setEditing(null)} onSaved={saved} />
        ) : null}
        {credentials.error && !credentials.data ? (
          <ErrorNotice error={credentials.error} onRetry={credentials.reload} />
        ) : !credentials.data ? (
          <Skeleton lines={3} label="Loading credentials…" />
        ) : credentials.data.credentials.length === 0 ? (
          <EmptyState icon="key" title="No credentials yet">
            {me.isAdmin
              ? 'Add the keys your HTTP actions need, instead of writing them into the flow.'
              : 'A workspace admin can add credentials here.'}
          </EmptyState>
        ) : (
          <ul class="source-list" aria-label="Credentials">
            {credentials.data.credentials.map((credential) => (
              <li key={credential.id} class="source">
                <div class="row-between">
                  <div class="stack-xs">
                    <strong class="mono">{credential.name}</strong>
                    <span class="row">
                      <Badge tone="info">{KIND_TEXT[credential.kind]}</Badge>
                      <span class="muted small mono">{credentialPlace(credential)}</span>
                    </span>
                  </div>
                  {me.isAdmin ? (
                    <div class="row">
                      <Button size="sm" variant="ghost" icon="key" onClick={() => setEditing(credential)}>
                        Replace value
                      </Button>
                      <Button size="sm" variant="ghost" icon="trash" onClick={() => setDeleting(credential)}>
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </div>
                <span class="muted small">Last changed {dateTime(credential.updatedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'this credential'}?`}
        confirmLabel="Delete credential"
        danger
        busy={remove.busy}
        onCancel={() => {
          remove.clearError();
          setDeleting(null);
        }}
        onConfirm={() => void remove.run()}
      >
        <p>Flows that use it fail until a credential of that name exists again.</p>
        {remove.error ? <ErrorNotice error={remove.error} compact /> : null}
      </ConfirmDialog>
    </Card>
  );
}

function CredentialForm({
  existing,
  onCancel,
  onSaved,
}: {
  existing: Credential | null;
  onCancel: () => void;
  onSaved: (credential: Credential) => void;
}) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Credential['kind']>(existing?.kind ?? 'bearer');
  const [fieldName, setFieldName] = useState('');
  const [value, setValue] = useState('');
  const [username, setUsername] = useState('');
  const secret = kind === 'basic' ? { username: username.trim(), password: value } : { value };
  const save = useAction(async () => {
    const result = existing
      ? await api.put<{ credential: Credential }>(`/ui/credentials/${encodeURIComponent(existing.id)}`, secret)
      : await api.post<{ credential: Credential }>('/ui/credentials', {
          name: name.trim(),
          kind,
          ...(kind === 'header' || kind === 'query' ? { fieldName: fieldName.trim() } : {}),
          ...secret,
        });
    setValue('');
    onSaved(result.credential);
  });
  const errorFor = (field: string) => save.error?.fieldErrors.find((error) => error.field.endsWith(field))?.message;
  const complete =
    value !== '' &&
    (kind !== 'basic' || username.trim() !== '') &&
    (existing !== null || (name.trim() !== '' && (kind === 'bearer' || kind === 'basic' || fieldName.trim() !== '')));
  return (
    <form
      class="subform stack-sm"
      aria-label={existing ? `Replace the value of ${existing.name}` : 'New credential'}
      autocomplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <div class="form-grid">
        {existing ? null : (
          <>
            <Field label="Name" required error={errorFor('name')} hint="Letters, digits and _; flows use {{ credentials.name }}.">
              {({ id, describedBy }) => (
                <input
                  id={id}
                  class="input mono"
                  value={name}
                  maxLength={60}
                  aria-describedby={describedBy}
                  onInput={(event) => setName(event.currentTarget.value)}
                />
              )}
            </Field>
            <Field label="Kind">
              {({ id }) => (
                <select id={id} class="select" value={kind} onChange={(event) => setKind(event.currentTarget.value as Credential['kind'])}>
                  <option value="bearer">Bearer token (Authorization: Bearer …)</option>
                  <option value="header">Header (a name and a value)</option>
                  <option value="basic">Basic auth (username and password)</option>
                  <option value="query">Query parameter (?name=value)</option>
                </select>
              )}
            </Field>
            {kind === 'header' || kind === 'query' ? (
              <Field
                label={kind === 'header' ? 'Header name' : 'Parameter name'}
                required
                error={errorFor('fieldName')}
                hint={kind === 'header' ? 'e.g. X-API-Key' : 'e.g. api_key'}
              >
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    class="input mono"
                    value={fieldName}
                    maxLength={100}
                    aria-describedby={describedBy}
                    onInput={(event) => setFieldName(event.currentTarget.value)}
                  />
                )}
              </Field>
            ) : null}
          </>
        )}
        {kind === 'basic' ? (
          <Field label="Username" required error={errorFor('username')}>
            {({ id, describedBy }) => (
              <input
                id={id}
                class="input"
                value={username}
                maxLength={200}
                aria-describedby={describedBy}
                onInput={(event) => setUsername(event.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        <Field
          label={kind === 'basic' ? 'Password' : existing ? 'New value' : 'Value'}
          required
          error={errorFor(kind === 'basic' ? 'password' : 'value')}
          hint="Stored encrypted; it cannot be shown again."
        >
          {({ id, describedBy }) => (
            <input
              id={id}
              type="password"
              class="input mono"
              autocomplete="new-password"
              value={value}
              maxLength={4096}
              aria-describedby={describedBy}
              onInput={(event) => setValue(event.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      {save.error ? <ErrorNotice error={save.error} compact /> : null}
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={save.busy} disabled={!complete}>
          {existing ? 'Replace value' : 'Save credential'}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
