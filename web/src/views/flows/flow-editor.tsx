import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import type { FlowDefinition } from '../../api/types';
import { prettyJson } from '../../lib/format';
import { parseBody } from '../../lib/params';
import { triggerEvents } from '../../lib/flow-draft';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice } from '../../ui/feedback';
import type { ApiError } from '../../api/client';
import { Field } from '../../ui/field';
import { Toggle } from '../../ui/toggle';
import { ActionsEditor } from './actions-editor';
import { ConditionsEditor } from './conditions-editor';
import { DryRunCard } from './dry-run';
import { StepTestCard } from './step-test';
import { FieldPicker } from './field-picker';
import { draftProblems } from './flow-checks';
import { InsertionProvider, useInsertTarget, usePickerDialog } from './insertion';
import { Dialog } from '../../ui/dialog';
import { TriggerEditor } from './trigger-editor';

/**
 * The flow as a form (or as JSON for those who prefer it), with the field picker and the dry run
 * beside it. Saving is the caller's job; the editor only hands over a definition it has checked.
 */
export function FlowEditor({
  initial,
  onSave,
  saving,
  saveError,
  saveLabel,
  readOnly,
  extraActions,
  enabledControl = true,
  onDryRun,
  flowId,
}: {
  initial: FlowDefinition;
  /** A saved flow: its past runs can be pinned when one step is executed. */
  flowId?: string;
  /** Told whether each dry run passed (the flow page lets a disabled flow be enabled once one has). */
  onDryRun?: (passed: boolean) => void;
  /** New flows choose enabled here; a stored flow has its own switch (enable/disable), outside the definition being edited. */
  enabledControl?: boolean;
  onSave: (definition: FlowDefinition) => void;
  saving: boolean;
  saveError?: ApiError;
  saveLabel: string;
  readOnly: boolean;
  extraActions?: ComponentChildren;
}) {
  const [draft, setDraft] = useState<FlowDefinition>(initial);
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [showProblems, setShowProblems] = useState(false);
  const [sample, setSample] = useState<{ eventType: string; payload: unknown } | undefined>(undefined);
  const onValidity = useCallback((key: string, error: string | null) => {
    setInvalid((current) => {
      if ((current[key] ?? null) === error) return current;
      const next = { ...current };
      if (error) next[key] = error;
      else delete next[key];
      return next;
    });
  }, []);
  const problems = draftProblems(draft, Object.keys(invalid).length);
  const comparable = (definition: FlowDefinition) => JSON.stringify(enabledControl ? definition : { ...definition, enabled: undefined });
  const dirty = comparable(draft) !== comparable(initial);

  const toggleJson = () => {
    if (!jsonMode) {
      setJsonText(prettyJson(draft));
      setJsonError(null);
      setJsonMode(true);
      return;
    }
    const parsed = parseBody(jsonText);
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') {
      setJsonError(parsed.ok ? 'The definition must be a JSON object.' : `Not valid JSON: ${parsed.message}`);
      return;
    }
    setDraft(parsed.value as FlowDefinition);
    setInvalid({});
    setJsonMode(false);
  };

  const save = (event: Event) => {
    event.preventDefault();
    if (readOnly) return;
    let definition = draft;
    if (jsonMode) {
      const parsed = parseBody(jsonText);
      if (!parsed.ok) {
        setJsonError(`Not valid JSON: ${parsed.message}`);
        return;
      }
      definition = parsed.value as FlowDefinition;
      setDraft(definition);
    }
    const found = jsonMode ? [] : problems;
    setShowProblems(found.length > 0);
    if (found.length === 0) onSave(definition);
  };

  const events = triggerEvents(draft.trigger);
  return (
    <InsertionProvider>
      <form class="editor-layout" onSubmit={save} noValidate>
        <div class="editor-main stack">
          <Card
            title="Flow"
            id="flow-basics"
            level={3}
            actions={
              <Button size="sm" variant="ghost" onClick={toggleJson} aria-pressed={jsonMode ? 'true' : 'false'}>
                {jsonMode ? 'Back to the form' : readOnly ? 'View as JSON' : 'Edit as JSON'}
              </Button>
            }
          >
            {jsonMode ? (
              <Field
                label="Flow definition (JSON)"
                error={jsonError ?? undefined}
                hint="The same definition the form edits; switch back to check it in the form."
              >
                {({ id, describedBy, invalid: bad }) => (
                  <textarea
                    id={id}
                    class="textarea"
                    rows={24}
                    spellcheck={false}
                    readOnly={readOnly}
                    value={jsonText}
                    aria-describedby={describedBy}
                    aria-invalid={bad ? 'true' : undefined}
                    onInput={(event) => setJsonText(event.currentTarget.value)}
                  />
                )}
              </Field>
            ) : (
              <fieldset class="plain-fieldset stack-sm" disabled={readOnly}>
                <div class="form-grid">
                  <Field label="Name" required>
                    {({ id }) => (
                      <input
                        id={id}
                        class="input"
                        value={draft.name}
                        maxLength={100}
                        placeholder="e.g. Tag entries of project Apollo"
                        onInput={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
                      />
                    )}
                  </Field>
                  {enabledControl ? (
                    <div class="field">
                      <span class="field-label">Status</span>
                      <Toggle
                        checked={draft.enabled}
                        onChange={(enabled) => setDraft({ ...draft, enabled })}
                        label={draft.enabled ? 'Enabled: runs on new events' : 'Disabled: does not run'}
                        showLabel
                        disabled={readOnly}
                      />
                    </div>
                  ) : null}
                </div>
                <Field label="Description (optional)">
                  {({ id }) => (
                    <textarea
                      id={id}
                      class="textarea textarea-prose"
                      rows={2}
                      value={draft.description ?? ''}
                      onInput={(event) => setDraft({ ...draft, description: event.currentTarget.value || undefined })}
                    />
                  )}
                </Field>
              </fieldset>
            )}
          </Card>
          {jsonMode ? null : (
            <>
              <TriggerEditor trigger={draft.trigger} readOnly={readOnly} onChange={(trigger) => setDraft({ ...draft, trigger })} />
              <ConditionsEditor
                group={draft.conditions}
                readOnly={readOnly}
                onChange={(conditions) => setDraft({ ...draft, conditions })}
              />
              <ActionsEditor
                actions={draft.actions}
                readOnly={readOnly}
                onValidity={onValidity}
                sample={sample?.payload}
                onChange={(actions) => setDraft({ ...draft, actions })}
              />
            </>
          )}
          {showProblems && problems.length > 0 ? (
            <div class="notice notice-danger" role="alert">
              <div class="notice-body">
                <p class="notice-title">Before saving:</p>
                <ul class="field-errors">
                  {problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
          {saveError ? <ErrorNotice error={saveError} title="The flow was not saved" /> : null}
          {readOnly ? null : (
            <div class="form-actions sticky-actions">
              <Button type="submit" variant="primary" busy={saving}>
                {saveLabel}
              </Button>
              {extraActions}
              <span class="muted small" aria-live="polite">
                {dirty ? 'Unsaved changes' : ''}
              </span>
            </div>
          )}
        </div>
        <aside class="editor-side stack" aria-label="Helpers">
          {jsonMode || readOnly ? null : (
            <div class="side-picker">
              <FieldPicker
                events={events}
                customSource={draft.trigger.kind === 'custom' && draft.trigger.sourceId ? `custom:${draft.trigger.sourceId}` : undefined}
                onPayload={(payload, eventType) => setSample({ eventType, payload })}
              />
            </div>
          )}
          <DryRunCard definition={draft} sample={sample} onResult={onDryRun} />
          {jsonMode || draft.actions.length === 0 ? null : <StepTestCard definition={draft} flowId={flowId} sample={sample} />}
        </aside>
      </form>
      {jsonMode || readOnly ? null : (
        <PickerDialog
          events={events}
          customSource={draft.trigger.kind === 'custom' && draft.trigger.sourceId ? `custom:${draft.trigger.sourceId}` : undefined}
        />
      )}
    </InsertionProvider>
  );
}

/** The field picker for one field, opened from the field's own button. */
function PickerDialog({ events, customSource }: { events: string[]; customSource?: string }) {
  const { open, close } = usePickerDialog();
  const target = useInsertTarget();
  return (
    <Dialog
      open={open}
      title="Pick an event field"
      onClose={close}
      returnFocus={() => target?.element}
      footer={<Button onClick={close}>Close</Button>}
    >
      {open ? <FieldPicker bare events={events} customSource={customSource} onPicked={close} /> : null}
    </Dialog>
  );
}
