import { useState } from 'preact/hooks';
import type { EventDetail, EventRunRef, FlowTrigger, RetryQueued } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { navigate } from '../../hooks/use-route';
import { emptyFlow, pendingDraft } from '../../lib/flow-draft';
import { humanizeEvent } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { Button } from '../../ui/button';
import { CopyButton } from '../../ui/copy-button';
import { ConfirmDialog } from '../../ui/dialog';
import { ErrorNotice, Notice } from '../../ui/feedback';

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

/** The latest run of each flow on the event: the one run again (the server retries no other). */
export function latestRunPerFlow(runs: readonly EventRunRef[]): EventRunRef[] {
  const latest = new Map<string, EventRunRef>();
  for (const run of runs) {
    const known = latest.get(run.flowId);
    // Ids sort by when the run started.
    if (!known || run.id > known.id) latest.set(run.flowId, run);
  }
  return [...latest.values()];
}

/** Per event: copy it as curl, start a flow from it, and (admins) run the flows it triggered again. */
export function EventActions({ detail }: { detail: EventDetail }) {
  const { api, me, notify } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [version, setVersion] = useState<'original' | 'current'>('original');
  const [refused, setRefused] = useState<RetryQueued['skipped']>([]);
  const { event, flowRuns } = detail;
  const latest = latestRunPerFlow(flowRuns);
  const one = latest.length === 1;
  const versions = [...new Set(latest.map((run) => run.flowVersion))]
    .sort((a, b) => a - b)
    .map((version) => `v${version}`)
    .join(', ');
  // Through the one retry route (as the run detail and All runs): the latest run of each flow, once.
  const replayAll = useAction(async () => {
    setConfirming(false);
    setRefused([]);
    const result = await api.post<RetryQueued>('/ui/flows/runs/retry', {
      runIds: latest.map((run) => run.id),
      version,
      include: 'finished',
    });
    setRefused(result.skipped);
    if (result.queued > 0) notify(`${result.queued === 1 ? 'A flow runs' : `${result.queued} flows run`} again on this event.`);
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
      {refused.length > 0 ? (
        <Notice tone="warn" title="Not run again">
          <ul data-testid="replay-refused">
            {refused.map((skip) => (
              <li key={skip.runId}>
                Flow run {skip.runId.slice(-8)}: {skip.reason}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Run this event's flows again?"
        confirmLabel="Run again"
        busy={replayAll.busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void replayAll.run()}
      >
        <p>
          {one ? 'The flow that ran' : `The ${latest.length} flows that ran`} on this event {one ? 'runs' : 'run'} again on it, once each,
          as a new run: {one ? 'its' : 'their'} steps are sent again and may change data in Clockify a second time. Run{' '}
          {one ? 'it' : 'them'} with
        </p>
        <div class="stack-sm" role="radiogroup" aria-label="Version">
          <label class="check">
            <input type="radio" name="replay-version" checked={version === 'original'} onChange={() => setVersion('original')} />
            {one ? `the version it ran (${versions})` : `the version each ran (${versions})`}
          </label>
          <label class="check">
            <input type="radio" name="replay-version" checked={version === 'current'} onChange={() => setVersion('current')} />
            {one ? 'the flow as it is now' : 'each flow as it is now'}
          </label>
        </div>
      </ConfirmDialog>
    </div>
  );
}
