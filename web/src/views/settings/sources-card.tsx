import { useState } from 'preact/hooks';
import type { CustomSource } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { dateTime } from '../../lib/format';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { CopyButton } from '../../ui/copy-button';
import { ConfirmDialog } from '../../ui/dialog';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { Field } from '../../ui/field';
import { Toggle } from '../../ui/toggle';
import { SecretReveal } from './secret-reveal';

const MODE_TEXT: Record<CustomSource['signatureMode'], string> = {
  standard: 'Standard Webhooks signature',
  'hmac-sha256': 'HMAC-SHA256 signature',
  none: 'Unsigned',
};

type Pending = { kind: 'rotate' | 'delete'; source: CustomSource } | null;

/** Universal Webhook: the URLs other systems post to, how each one is verified, and its secret. */
export function SourcesCard() {
  const { api, me, notify } = useApp();
  const sources = useResource((signal) => api.get<{ sources: CustomSource[] }>('/ui/sources', { signal }), []);
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [creating, setCreating] = useState(false);

  const replace = (source: CustomSource) =>
    sources.update((current) => current && { sources: current.sources.map((s) => (s.id === source.id ? source : s)) });
  const toggle = useAction(async (source: CustomSource, enabled: boolean) => {
    const result = await api.post<{ source: CustomSource }>(
      `/ui/sources/${encodeURIComponent(source.id)}/${enabled ? 'enable' : 'disable'}`,
      {},
    );
    replace(result.source);
    notify(`${source.name} ${enabled ? 'enabled' : 'disabled'}.`);
  });
  const confirm = useAction(async () => {
    if (!pending) return;
    const { source } = pending;
    if (pending.kind === 'rotate') {
      const result = await api.post<{ source: CustomSource; secret: string }>(`/ui/sources/${encodeURIComponent(source.id)}/rotate`, {});
      replace(result.source);
      setRevealed({ name: source.name, secret: result.secret });
      notify('New secret created; the old one keeps working for 24 hours.');
    } else {
      await api.delete(`/ui/sources/${encodeURIComponent(source.id)}`);
      sources.update((current) => current && { sources: current.sources.filter((s) => s.id !== source.id) });
      notify(`${source.name} deleted.`);
    }
    setPending(null);
  });

  return (
    <Card
      title="Webhook sources"
      id="sources"
      subtitle="Other systems post their webhooks to these URLs; each is verified with its own secret."
      actions={
        me.isAdmin && !creating ? (
          <Button size="sm" variant="primary" icon="plus" onClick={() => setCreating(true)}>
            New source
          </Button>
        ) : null
      }
    >
      <div class="stack">
        {revealed ? (
          <div class="stack-sm">
            <SecretReveal
              once
              secret={revealed.secret}
              what={`Secret of ${revealed.name}`}
              note="Give it to the sending system so it can sign its requests."
            />
            <div>
              <Button size="sm" onClick={() => setRevealed(null)}>
                I have copied it
              </Button>
            </div>
          </div>
        ) : null}
        {creating ? (
          <CreateSourceForm
            onCancel={() => setCreating(false)}
            onCreated={(source, secret) => {
              sources.update((current) => ({ sources: [...(current?.sources ?? []), source] }));
              setCreating(false);
              if (secret) setRevealed({ name: source.name, secret });
              notify(`Source ${source.name} created.`);
            }}
          />
        ) : null}
        {toggle.error ? <ErrorNotice error={toggle.error} compact /> : null}
        {sources.error && !sources.data ? (
          <ErrorNotice error={sources.error} onRetry={sources.reload} />
        ) : !sources.data ? (
          <Skeleton lines={4} label="Loading sources…" />
        ) : sources.data.sources.length === 0 ? (
          <EmptyState icon="webhooks" title="No sources yet">
            {me.isAdmin
              ? 'Create one for each system that should send webhooks here (GitHub, Stripe, your own app…).'
              : 'A workspace admin can add sources here.'}
          </EmptyState>
        ) : (
          <ul class="source-list">
            {sources.data.sources.map((source) => (
              <li key={source.id} class="source">
                <div class="row-between">
                  <div class="stack-xs">
                    <strong>{source.name}</strong>
                    <span class="row">
                      <Badge tone={source.signatureMode === 'none' ? 'warn' : 'info'}>{MODE_TEXT[source.signatureMode]}</Badge>
                      {source.rotating ? (
                        <Badge tone="neutral" title="The previous secret also verifies for 24 hours after a rotation.">
                          rotating
                        </Badge>
                      ) : null}
                      {!source.enabled ? <Badge tone="warn">disabled</Badge> : null}
                    </span>
                  </div>
                  {me.isAdmin ? (
                    <Toggle
                      checked={source.enabled}
                      busy={toggle.busy}
                      onChange={(next) => void toggle.run(source, next)}
                      label={`${source.name} enabled`}
                    />
                  ) : null}
                </div>
                <div class="secret-box">
                  <code aria-label={`URL of ${source.name}`}>{source.url}</code>
                  <CopyButton text={source.url} what={`URL of ${source.name}`} />
                </div>
                <div class="row-between">
                  <span class="muted small">
                    Created {dateTime(source.createdAt)}
                    {source.signatureHeader ? ` · header ${source.signatureHeader}` : ''}
                    {source.timestampHeader ? ` · timestamp ${source.timestampHeader}` : ''}
                  </span>
                  {me.isAdmin ? (
                    <div class="row">
                      {source.signatureMode !== 'none' ? (
                        <Button size="sm" variant="ghost" icon="key" onClick={() => setPending({ kind: 'rotate', source })}>
                          Rotate secret
                        </Button>
                      ) : null}
                      <Button size="sm" variant="ghost" icon="trash" onClick={() => setPending({ kind: 'delete', source })}>
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'rotate' ? `Rotate the secret of ${pending.source.name}?` : `Delete ${pending?.source.name ?? 'this source'}?`
        }
        confirmLabel={pending?.kind === 'rotate' ? 'Rotate secret' : 'Delete source'}
        danger={pending?.kind === 'delete'}
        busy={confirm.busy}
        onCancel={() => {
          confirm.clearError();
          setPending(null);
        }}
        onConfirm={() => void confirm.run()}
      >
        <p>
          {pending?.kind === 'rotate'
            ? 'A new secret is created and shown once. The current one keeps verifying for 24 hours, so the sender can switch without losing events.'
            : 'Its URL stops accepting webhooks at once. Events already received stay in the log.'}
        </p>
        {confirm.error ? <ErrorNotice error={confirm.error} compact /> : null}
      </ConfirmDialog>
    </Card>
  );
}

function CreateSourceForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (source: CustomSource, secret: string | null) => void;
}) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<CustomSource['signatureMode']>('standard');
  const [header, setHeader] = useState('x-signature-256');
  const [timestampHeader, setTimestampHeader] = useState('');
  const [allowUnsigned, setAllowUnsigned] = useState(false);
  const create = useAction(async () => {
    const result = await api.post<{ source: CustomSource; secret: string | null }>('/ui/sources', {
      name: name.trim(),
      signatureMode: mode,
      ...(mode === 'hmac-sha256'
        ? { signatureHeader: header.trim(), ...(timestampHeader.trim() ? { timestampHeader: timestampHeader.trim() } : {}) }
        : {}),
      ...(mode === 'none' ? { allowUnsigned } : {}),
    });
    onCreated(result.source, result.secret);
  });
  const errorFor = (field: string) => create.error?.fieldErrors.find((error) => error.field.endsWith(field))?.message;
  return (
    <form
      class="subform stack-sm"
      aria-label="New webhook source"
      onSubmit={(event) => {
        event.preventDefault();
        void create.run();
      }}
    >
      <div class="form-grid">
        <Field label="Name" required error={errorFor('name')} hint="For you: which system sends here.">
          {({ id, describedBy }) => (
            <input
              id={id}
              class="input"
              value={name}
              maxLength={80}
              aria-describedby={describedBy}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Verification">
          {({ id }) => (
            <select
              id={id}
              class="select"
              value={mode}
              onChange={(event) => setMode(event.currentTarget.value as CustomSource['signatureMode'])}
            >
              <option value="standard">Standard Webhooks (recommended)</option>
              <option value="hmac-sha256">HMAC-SHA256 in a header</option>
              <option value="none">None (unsigned)</option>
            </select>
          )}
        </Field>
        {mode === 'hmac-sha256' ? (
          <Field label="Signature header" error={errorFor('signatureHeader')} hint="e.g. x-hub-signature-256 for GitHub.">
            {({ id, describedBy }) => (
              <input
                id={id}
                class="input mono"
                value={header}
                aria-describedby={describedBy}
                onInput={(event) => setHeader(event.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
        {mode === 'hmac-sha256' ? (
          <Field
            label="Timestamp header (optional)"
            error={errorFor('timestampHeader')}
            hint='The sender signs "timestamp.body"; deliveries older than 5 minutes are refused. Without it, replays are caught for the dedup window only.'
          >
            {({ id, describedBy }) => (
              <input
                id={id}
                class="input mono"
                value={timestampHeader}
                placeholder="x-signature-timestamp"
                aria-describedby={describedBy}
                onInput={(event) => setTimestampHeader(event.currentTarget.value)}
              />
            )}
          </Field>
        ) : null}
      </div>
      {mode === 'none' ? (
        <label class="check warn-check">
          <input type="checkbox" checked={allowUnsigned} onChange={(event) => setAllowUnsigned(event.currentTarget.checked)} />I understand
          that an unsigned source accepts anything from anyone who knows its URL.
        </label>
      ) : null}
      {create.error ? <ErrorNotice error={create.error} compact /> : null}
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={create.busy} disabled={!name.trim() || (mode === 'none' && !allowUnsigned)}>
          Create source
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
