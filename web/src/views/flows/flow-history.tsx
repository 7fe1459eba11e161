import { useEffect, useState } from 'preact/hooks';
import type { FlowVersionList } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { dateTime } from '../../lib/format';
import { lineDiff, stableJson, withContext } from '../../lib/line-diff';
import { routeHref } from '../../lib/route';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ConfirmDialog } from '../../ui/dialog';
import { ErrorNotice, Skeleton } from '../../ui/feedback';

/** Saves a JSON document as a file the browser downloads (the API needs the token, so no plain link). */
function download(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The flow's saved versions: a diff between any two, restore (admins), duplicate and export. */
export function FlowHistory({ flowId, flowName, onRestored }: { flowId: string; flowName: string; onRestored: () => void }) {
  const { api, me, notify } = useApp();
  const path = `/ui/flows/${encodeURIComponent(flowId)}`;
  const list = useResource((signal) => api.get<FlowVersionList>(`${path}/versions`, { signal }), [path]);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [restoring, setRestoring] = useState<number | null>(null);
  useEffect(() => {
    if (!list.data) return;
    setTo(list.data.current);
    setFrom(list.data.versions[1]?.version ?? list.data.current);
    // Only a new current version resets the compared pair, not every reload of the same list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data?.current]);
  const diff = useResource(
    async (signal) => {
      if (!from || !to) return null;
      const [a, b] = await Promise.all([from, to].map((v) => api.get<{ definition: unknown }>(`${path}/versions/${v}`, { signal })));
      return withContext(lineDiff(stableJson(a!.definition), stableJson(b!.definition)));
    },
    [path, from, to],
  );
  const restore = useAction(async (version: number) => {
    await api.post(`${path}/versions/${version}/restore`, {});
    setRestoring(null);
    notify(`Version ${version} restored as a new version.`);
    list.reload();
    onRestored();
  });
  const duplicate = useAction(async () => {
    const copy = await api.post<{ flow: { id: string; name: string } }>(`${path}/duplicate`, {});
    notify(`Created "${copy.flow.name}" (switched off).`);
    navigate(routeHref('flows', copy.flow.id));
  });
  const exportFile = useAction(async () => {
    const document = await api.get<unknown>(`${path}/export`);
    download(`${flowName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'flow'}.flow.json`, document);
    notify('Flow exported.');
  });

  if (list.error && !list.data) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Skeleton lines={5} label="Loading versions…" />;
  const versions = list.data.versions;
  const picker = (label: string, value: number, onChange: (v: number) => void) => (
    <label class="inline-label">
      <span>{label}</span>
      <select class="select" value={String(value)} onChange={(event) => onChange(Number(event.currentTarget.value))}>
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            Version {v.version}
            {v.version === list.data!.current ? ' (current)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
  const changes = diff.data ? diff.data.filter((line) => line.kind === 'added' || line.kind === 'removed').length : 0;
  return (
    <div class="stack" data-testid="flow-history">
      <div class="row">
        {me.isAdmin ? (
          <Button icon="plus" size="sm" busy={duplicate.busy} onClick={() => void duplicate.run()}>
            Duplicate
          </Button>
        ) : null}
        <Button size="sm" busy={exportFile.busy} onClick={() => void exportFile.run()}>
          Export as file
        </Button>
      </div>
      {duplicate.error ? <ErrorNotice error={duplicate.error} compact /> : null}
      {exportFile.error ? <ErrorNotice error={exportFile.error} compact /> : null}
      <Card title="Compare versions" level={2}>
        <div class="stack-sm">
          <div class="row">
            {picker('From', from, setFrom)}
            {picker('To', to, setTo)}
          </div>
          {diff.error ? (
            <ErrorNotice error={diff.error} compact />
          ) : !diff.data ? (
            <Skeleton lines={4} label="Comparing…" />
          ) : changes === 0 ? (
            <p class="muted">{from === to ? 'Pick two different versions.' : 'These versions have the same definition.'}</p>
          ) : (
            <pre class="diff" aria-label={`Changes from version ${from} to version ${to}`} data-testid="version-diff">
              {diff.data.map((line, index) =>
                line.kind === 'gap' ? (
                  <span key={index} class="diff-line diff-gap">
                    {`  … ${line.count} unchanged ${line.count === 1 ? 'line' : 'lines'}`}
                  </span>
                ) : (
                  <span key={index} class={`diff-line diff-${line.kind}`}>
                    {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                    {line.text}
                  </span>
                ),
              )}
            </pre>
          )}
        </div>
      </Card>
      <div class="list-card">
        <ul class="list" aria-label="Versions, newest first" data-testid="version-list">
          {versions.map((v) => (
            <li key={v.version} class="flow-row">
              <div class="list-item">
                <span class="list-item-main">
                  <span class="list-item-title">
                    Version {v.version}
                    {v.version === list.data!.current ? ' · current' : ''}
                  </span>
                  <span class="list-item-meta">
                    {dateTime(v.createdAt)} · {v.enabled ? 'enabled' : 'disabled'} · {v.name}
                  </span>
                </span>
              </div>
              {me.isAdmin && v.version !== list.data!.current ? (
                <div class="flow-toggle">
                  <Button size="sm" onClick={() => setRestoring(v.version)} aria-label={`Restore version ${v.version}`}>
                    Restore
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      <ConfirmDialog
        open={restoring !== null}
        title={`Restore version ${restoring ?? ''}?`}
        confirmLabel="Restore"
        danger={false}
        busy={restore.busy}
        onCancel={() => setRestoring(null)}
        onConfirm={() => void restore.run(restoring!)}
      >
        <p>
          The flow becomes what it was in version {restoring}, saved as a new version; nothing in the history is lost. If that version was
          enabled, the flow runs on events again.
        </p>
        {restore.error ? <ErrorNotice error={restore.error} compact /> : null}
      </ConfirmDialog>
    </div>
  );
}
