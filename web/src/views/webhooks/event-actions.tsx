import { useState } from 'preact/hooks';
import type { EventDetail, FlowTrigger } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { navigate } from '../../hooks/use-route';
import { emptyFlow, pendingDraft } from '../../lib/flow-draft';
import { humanizeEvent } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { Button } from '../../ui/button';
import { CopyButton } from '../../ui/copy-button';
import { ConfirmDialog } from '../../ui/dialog';
import { ErrorNotice } from '../../ui/feedback';

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The event as a curl command that sends it to this add-on again. The signature is not stored, so
 * the command reads it from the shell (without a valid one the add-on refuses it, and Rejected says so).
 */
export function eventAsCurl(event: EventDetail['event'], baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '');
  const custom = event.source.startsWith('custom:');
  const url = custom ? `${root}/webhooks/custom/${event.source.slice('custom:'.length)}` : `${root}/webhooks/clockify`;
  const headers = custom
    ? ['content-type: application/json', ...(event.eventType !== 'custom' ? [`x-event-type: ${event.eventType}`] : [])]
    : ['content-type: application/json', `clockify-webhook-event-type: ${event.eventType}`];
  const lines = [
    `curl -X POST ${quote(url)}`,
    ...headers.map((header) => `-H ${quote(header)}`),
    custom ? '-H "webhook-signature: $WEBHOOK_SIGNATURE"' : '-H "Clockify-Signature: $CLOCKIFY_SIGNATURE"',
    `--data-raw ${quote(JSON.stringify(event.payload))}`,
  ];
  return lines.join(' \\\n  ');
}

/** Per event: copy it as curl, start a flow from it, and (admins) run the flows it triggered again. */
export function EventActions({ detail }: { detail: EventDetail }) {
  const { api, me, notify } = useApp();
  const [confirming, setConfirming] = useState(false);
  const { event, flowRuns } = detail;
  const replayAll = useAction(async () => {
    setConfirming(false);
    for (const run of flowRuns) await api.post(`/ui/flows/runs/${encodeURIComponent(run.id)}/replay`, {});
    notify(`${flowRuns.length === 1 ? 'The flow runs' : `${flowRuns.length} flows run`} again on this event.`);
  });
  const createFlow = () => {
    const trigger: FlowTrigger = event.source.startsWith('custom:')
      ? {
          kind: 'custom',
          sourceId: event.source.slice('custom:'.length),
          ...(event.eventType !== 'custom' ? { eventTypes: [event.eventType] } : {}),
        }
      : { kind: 'clockify', events: [event.eventType] };
    pendingDraft.set({ ...emptyFlow(undefined), name: `When ${humanizeEvent(event.eventType).toLowerCase()}`, trigger });
    notify('A new flow was drafted for this kind of event: add what it should do.');
    navigate(routeHref('flows', 'new'));
  };
  return (
    <div class="stack-sm">
      <div class="row event-actions">
        <CopyButton text={eventAsCurl(event, me.edition.baseUrl)} label="Copy as curl" what="curl command" />
        {me.isAdmin ? (
          <Button size="sm" variant="ghost" icon="flows" onClick={createFlow}>
            Create a flow from it
          </Button>
        ) : null}
        {me.isAdmin && flowRuns.length > 0 ? (
          <Button size="sm" variant="ghost" icon="refresh" busy={replayAll.busy} onClick={() => setConfirming(true)}>
            Run its flows again
          </Button>
        ) : null}
      </div>
      {replayAll.error ? <ErrorNotice error={replayAll.error} compact /> : null}
      <ConfirmDialog
        open={confirming}
        title="Run this event's flows again?"
        confirmLabel="Run again"
        busy={replayAll.busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void replayAll.run()}
      >
        <p>
          {flowRuns.length === 1 ? 'The flow that ran' : `The ${flowRuns.length} flows that ran`} on this event run again with their current
          definition: their steps are sent again and may change data in Clockify a second time.
        </p>
      </ConfirmDialog>
    </div>
  );
}
