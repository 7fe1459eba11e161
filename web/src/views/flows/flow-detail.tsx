import { useId, useState } from 'preact/hooks';
import type { FlowDefinition, FlowRecord } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useResource } from '../../hooks/use-resource';
import { navigate } from '../../hooks/use-route';
import { definitionOf, triggerSummary } from '../../lib/flow-draft';
import { routeHref } from '../../lib/route';
import { Badge } from '../../ui/badge';
import { Button, LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { ConfirmDialog } from '../../ui/dialog';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { Segmented, TabPanel } from '../../ui/segmented';
import { Toggle } from '../../ui/toggle';
import { flowOf } from './flow-api';
import { FlowEditor } from './flow-editor';
import { FlowHistory } from './flow-history';
import { RunList } from './run-list';
import { RunNow } from './run-now';

export function FlowDetail({ flowId, tab }: { flowId: string; tab: 'definition' | 'runs' | 'history' }) {
  const { api, me, notify } = useApp();
  const idPrefix = useId();
  const path = `/ui/flows/${encodeURIComponent(flowId)}`;
  const flow = useResource(async (signal) => flowOf(await api.get<unknown>(path, { signal })), [path]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The editor restarts from the saved definition after each save (its version changes).
  const [editorKey, setEditorKey] = useState(0);
  // Switching a flow on asks first unless a dry run on this page has passed: it acts on real events from then on.
  const [dryRunPassed, setDryRunPassed] = useState(false);
  const [confirmEnable, setConfirmEnable] = useState(false);

  const save = useAction(async (edited: FlowDefinition) => {
    // The switch in the header owns "enabled"; the editor never changes it.
    const definition = { ...edited, enabled: flow.data?.enabled ?? edited.enabled };
    const saved = flowOf(await api.put<unknown>(path, { definition }));
    flow.update(() => ({ ...saved, definition: saved.definition ?? definition }));
    setEditorKey((n) => n + 1);
    notify(`Saved${saved.version ? ` as version ${saved.version}` : ''}.`);
  });
  const toggle = useAction(async (enabled: boolean) => {
    setConfirmEnable(false);
    await api.post(`${path}/${enabled ? 'enable' : 'disable'}`, {});
    flow.update(
      (current) => current && { ...current, enabled, ...(current.definition ? { definition: { ...current.definition, enabled } } : {}) },
    );
    notify(enabled ? 'Flow enabled.' : 'Flow disabled.');
  });
  const remove = useAction(async () => {
    await api.delete(path);
    notify('Flow deleted.');
    navigate(routeHref('flows'));
  });

  const back = (
    <LinkButton href={routeHref('flows')} icon="back" size="sm" variant="ghost">
      All flows
    </LinkButton>
  );
  if (flow.error && !flow.data) {
    return (
      <div class="stack-sm">
        {back}
        <ErrorNotice
          error={flow.error}
          title={flow.error.status === 404 ? 'Flow not found' : undefined}
          onRetry={flow.error.status === 404 ? undefined : flow.reload}
        />
      </div>
    );
  }
  if (!flow.data) {
    return (
      <div class="stack">
        {back}
        <Card>
          <Skeleton lines={8} label="Loading the flow…" />
        </Card>
      </div>
    );
  }
  const record: FlowRecord = flow.data;
  const definition = definitionOf(record);
  const enabled = record.enabled ?? definition.enabled;
  return (
    <div>
      <div class="page-header">
        <div class="grow">
          {back}
          <h1>{definition.name || 'Untitled flow'}</h1>
          <p class="row">
            <Badge tone={enabled ? 'ok' : 'neutral'}>{enabled ? 'enabled' : 'disabled'}</Badge>
            {record.version ? <span class="muted small">version {record.version}</span> : null}
            <span class="muted small mono">{triggerSummary(definition.trigger)}</span>
          </p>
        </div>
        {me.isAdmin ? (
          <div class="row">
            <Toggle
              checked={enabled}
              busy={toggle.busy}
              onChange={(next) => (next && !dryRunPassed ? setConfirmEnable(true) : void toggle.run(next))}
              label="Enabled"
              showLabel
            />
            <RunNow flowId={flowId} definition={definition} />
            <Button variant="danger" size="sm" icon="trash" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          </div>
        ) : null}
      </div>
      {toggle.error ? <ErrorNotice error={toggle.error} compact /> : null}
      {!enabled && me.isAdmin && tab === 'definition' ? (
        <Notice tone="info" title="This flow is off">
          {dryRunPassed
            ? 'The dry run passed: switch "Enabled" on when you are ready.'
            : 'It does not act on events yet. Try it with a dry run below, then switch "Enabled" on.'}
        </Notice>
      ) : null}
      <div class="stack">
        <Segmented
          idPrefix={idPrefix}
          label="Flow sections"
          value={tab}
          onChange={(next) => navigate(next === 'definition' ? routeHref('flows', flowId) : routeHref('flows', flowId, next))}
          options={[
            { value: 'definition', label: 'Definition' },
            { value: 'runs', label: 'Runs' },
            { value: 'history', label: 'History' },
          ]}
        />
        <TabPanel idPrefix={idPrefix} value={tab}>
          {tab === 'runs' ? (
            <RunList flowId={flowId} />
          ) : tab === 'history' ? (
            <FlowHistory
              flowId={flowId}
              flowName={definition.name}
              onRestored={() => {
                flow.reload();
                setEditorKey((n) => n + 1);
              }}
            />
          ) : (
            <FlowEditor
              key={editorKey}
              flowId={flowId}
              initial={definition}
              enabledControl={false}
              readOnly={!me.isAdmin}
              onDryRun={setDryRunPassed}
              onSave={(next) => void save.run(next)}
              saving={save.busy}
              saveError={save.error}
              saveLabel="Save changes"
            />
          )}
        </TabPanel>
      </div>
      <ConfirmDialog
        open={confirmEnable}
        title="Enable without a passing dry run?"
        confirmLabel="Enable anyway"
        danger={false}
        busy={toggle.busy}
        onCancel={() => setConfirmEnable(false)}
        onConfirm={() => void toggle.run(true)}
      >
        <p>No dry run has passed on this page. Once enabled, the flow acts on every matching event and its steps change data for real.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete "${definition.name}"?`}
        confirmLabel="Delete flow"
        busy={remove.busy}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void remove.run()}
      >
        <p>The flow stops running at once. Its past runs stay in the webhook log.</p>
        {remove.error ? <ErrorNotice error={remove.error} compact /> : null}
      </ConfirmDialog>
    </div>
  );
}
