import { useState } from 'preact/hooks';
import type { BackfillPreview, FlowDefinition } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { navigate } from '../../hooks/use-route';
import { triggerEvents } from '../../lib/flow-draft';
import { routeHref } from '../../lib/route';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { ErrorNotice } from '../../ui/feedback';
import { Field } from '../../ui/field';

const BACKFILL_LIMIT = 500;

/**
 * "Run now" for admins: a real run on a sample of a trigger event, or a backfill of the newest N
 * stored events after a preview of how many will run. Both go through the server's job queue; the
 * runs then show on the Runs tab.
 */
export function RunNow({ flowId, definition }: { flowId: string; definition: FlowDefinition }) {
  const { api, notify } = useApp();
  const path = `/ui/flows/${encodeURIComponent(flowId)}`;
  const events = triggerEvents(definition.trigger);
  const hasSample = definition.trigger.kind === 'clockify' && events.length > 0;
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<'sample' | 'backfill'>(hasSample ? 'sample' : 'backfill');
  const [eventType, setEventType] = useState(events[0] ?? '');
  const [last, setLast] = useState(10);
  const [preview, setPreview] = useState<BackfillPreview | undefined>(undefined);
  const validLast = Number.isInteger(last) && last >= 1 && last <= BACKFILL_LIMIT;

  const check = useAction(async () => setPreview(await api.get<BackfillPreview>(`${path}/backfill/preview`, { query: { last } })));
  const start = useAction(async () => {
    if (mode === 'sample') {
      await api.post(`${path}/run`, { eventType });
      notify('Run queued: it appears under Runs in a moment.');
    } else {
      const result = await api.post<{ queued: number }>(`${path}/backfill`, { last });
      notify(`Backfill queued ${result.queued} run${result.queued === 1 ? '' : 's'}.`);
    }
    setOpen(false);
    navigate(routeHref('flows', flowId, 'runs'));
  });
  const close = () => {
    setOpen(false);
    setPreview(undefined);
  };

  const confirmLabel = mode === 'sample' ? 'Run now' : preview ? `Run on ${preview.toRun} event${preview.toRun === 1 ? '' : 's'}` : 'Run';
  const canConfirm = mode === 'sample' ? eventType !== '' : !!preview && preview.toRun > 0;
  return (
    <>
      <Button size="sm" icon="play" onClick={() => setOpen(true)}>
        Run now
      </Button>
      <Dialog
        open={open}
        title={`Run "${definition.name || 'Untitled flow'}" now`}
        onClose={close}
        footer={
          <>
            <Button onClick={close}>Cancel</Button>
            <Button variant="primary" busy={start.busy} disabled={!canConfirm} onClick={() => void start.run()}>
              {confirmLabel}
            </Button>
          </>
        }
      >
        <div class="stack-sm">
          <p>The actions really run, in Clockify and anywhere else they call, whether the flow is enabled or not.</p>
          <Field label="Run on">
            {({ id }) => (
              <select
                id={id}
                class="select"
                value={mode}
                onChange={(event) => {
                  setMode(event.currentTarget.value as 'sample' | 'backfill');
                  setPreview(undefined);
                }}
              >
                {hasSample ? <option value="sample">A sample event</option> : null}
                <option value="backfill">Latest stored events (backfill)</option>
              </select>
            )}
          </Field>
          {mode === 'sample' ? (
            <Field label="Sample event" hint="The bundled example payload of this event type; its ids may not exist in your workspace.">
              {({ id, describedBy }) => (
                <select
                  id={id}
                  class="select"
                  aria-describedby={describedBy}
                  value={eventType}
                  onChange={(event) => setEventType(event.currentTarget.value)}
                >
                  {events.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <>
              <Field
                label="Number of latest events"
                hint={`Up to ${BACKFILL_LIMIT}. Events this flow already ran on are skipped.`}
                error={validLast ? undefined : `Enter 1 to ${BACKFILL_LIMIT}.`}
              >
                {({ id, describedBy, invalid }) => (
                  <input
                    id={id}
                    class="input"
                    type="number"
                    min={1}
                    max={BACKFILL_LIMIT}
                    value={last}
                    aria-describedby={describedBy}
                    aria-invalid={invalid ? 'true' : undefined}
                    onInput={(event) => {
                      setLast(Number(event.currentTarget.value));
                      setPreview(undefined);
                    }}
                  />
                )}
              </Field>
              <div>
                <Button size="sm" busy={check.busy} disabled={!validLast} onClick={() => void check.run()}>
                  Preview
                </Button>
              </div>
              {preview ? (
                <p data-testid="backfill-preview" role="status">
                  {preview.matching} stored event{preview.matching === 1 ? '' : 's'} match; {preview.alreadyRun} already ran;{' '}
                  {preview.toRun} will run.
                </p>
              ) : null}
              {check.error ? <ErrorNotice error={check.error} compact /> : null}
            </>
          )}
          {start.error ? <ErrorNotice error={start.error} compact /> : null}
        </div>
      </Dialog>
    </>
  );
}
