import { useState } from 'preact/hooks';
import type { FlowImportPreview } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { navigate } from '../../hooks/use-route';
import { routeHref } from '../../lib/route';
import { Button, LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice } from '../../ui/feedback';
import { Field } from '../../ui/field';

/** An exported file is small; a bigger one is not a flow. */
const MAX_FILE_BYTES = 512 * 1024;

/** Import a flow file: pick it, see how its ids map to this workspace (or are flagged), then create it switched off. */
export function ImportFlow() {
  const { api, notify } = useApp();
  const [document, setDocument] = useState<unknown>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<FlowImportPreview | null>(null);
  const check = useAction(async (doc: unknown) => {
    setPreview(await api.post<FlowImportPreview>('/ui/flows/import', { document: doc }));
  });
  const create = useAction(async () => {
    const result = await api.post<FlowImportPreview>('/ui/flows/import', { document, confirm: true });
    notify(`Imported "${result.created!.name}" (switched off).`);
    navigate(routeHref('flows', result.created!.id));
  });
  const pick = (file: File | undefined) => {
    setPreview(null);
    setDocument(undefined);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES)
      return setFileError(`The file is ${Math.ceil(file.size / 1024)} KB; an exported flow is at most ${MAX_FILE_BYTES / 1024} KB.`);
    file.text().then(
      (text) => {
        try {
          const parsed: unknown = JSON.parse(text);
          setFileError(undefined);
          setDocument(parsed);
          void check.run(parsed);
        } catch {
          setFileError("This file is not JSON: pick a file exported from a flow's History.");
        }
      },
      () => setFileError('The file could not be read.'),
    );
  };
  return (
    <div data-testid="import-flow">
      <div class="page-header">
        <div>
          <LinkButton href={routeHref('flows')} icon="back" size="sm" variant="ghost">
            All flows
          </LinkButton>
          <h1>Import a flow</h1>
          <p>
            A file exported from a flow's History, from this workspace or another one. Ids of projects, clients, tags, users and tasks are
            matched here by name.
          </p>
        </div>
      </div>
      <div class="stack">
        <Card>
          <Field label="Flow file (.json)" error={fileError}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                class="input"
                type="file"
                accept=".json,application/json"
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                onChange={(event) => pick(event.currentTarget.files?.[0])}
              />
            )}
          </Field>
        </Card>
        {check.error ? <ErrorNotice error={check.error} title="This file cannot be imported" compact /> : null}
        {preview ? (
          <Card title={`"${preview.name}"`} level={2}>
            <div class="stack-sm" data-testid="import-preview">
              <p class="muted small">
                From {preview.source.sameEdition ? 'this add-on' : `the ${preview.source.edition} add-on`},{' '}
                {preview.source.sameWorkspace ? 'this workspace' : 'another workspace'}.
              </p>
              {preview.mapped.length > 0 ? (
                <>
                  <h3 class="section-label">Matched here by name</h3>
                  <ul aria-label="Matched ids">
                    {preview.mapped.map((m) => (
                      <li key={m.from}>
                        {m.type === 'workspace' ? 'The workspace' : `${m.type.replace(/s$/, '')} "${m.name}"`}
                        {m.from === m.to ? ' (same id)' : ''}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {preview.unmapped.length > 0 ? (
                <Notice
                  tone="warn"
                  title={`${preview.unmapped.length} ${preview.unmapped.length === 1 ? 'id is' : 'ids are'} not found here`}
                >
                  <ul aria-label="Ids not found here">
                    {preview.unmapped.map((u) => (
                      <li key={u.id}>
                        <span class="mono">{u.id}</span>
                        {u.name ? ` (${u.type?.replace(/s$/, '')} "${u.name}")` : ''}: {u.reason}
                      </li>
                    ))}
                  </ul>
                  <p>The flow keeps these ids as they are; edit them after the import.</p>
                </Notice>
              ) : null}
              {preview.problems.length > 0 ? (
                <Notice tone="danger" title="This add-on would refuse the flow as it is">
                  <ul>
                    {preview.problems.slice(0, 10).map((p, index) => (
                      <li key={index}>
                        <span class="mono">{p.field}</span> {p.message}
                      </li>
                    ))}
                  </ul>
                </Notice>
              ) : null}
              {create.error ? <ErrorNotice error={create.error} compact /> : null}
              <div class="row">
                <Button variant="primary" busy={create.busy} disabled={preview.problems.length > 0} onClick={() => void create.run()}>
                  Create flow (switched off)
                </Button>
              </div>
            </div>
          </Card>
        ) : null}
      </div>
    </div>
  );
}
