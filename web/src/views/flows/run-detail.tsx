import { STEP_KIND_INFO } from './steps/kinds';
import type { FlowRunDetail } from '../../api/types';
import { useApp } from '../../app-context';
import { useLive } from '../../hooks/use-live';
import { useNames } from '../../hooks/use-names';
import { useResource } from '../../hooks/use-resource';
import { dateTime, duration } from '../../lib/format';
import { routeHref } from '../../lib/route';
import { StatusBadge } from '../../ui/badge';
import { LinkButton } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice, Notice, Skeleton } from '../../ui/feedback';
import { JsonView } from '../../ui/json-view';
import { KnownIds } from '../../ui/known-ids';
import { runDuration } from './run-list';
import { RetryRun } from './retry-run';

/** One execution: what started it, each step's input, request and response, and Retry for admins. */
export function RunDetail({ flowId, runId }: { flowId: string; runId: string }) {
  const { api, me } = useApp();
  const names = useNames();
  const path = `/ui/flows/runs/${encodeURIComponent(runId)}`;
  const detail = useResource((signal) => api.get<FlowRunDetail>(path, { signal }), [path]);
  useLive('flow-run', (data) => {
    if (data.runId === runId || data.id === runId) detail.reload();
  });
  const back = (
    <LinkButton href={routeHref('flows', flowId, 'runs')} icon="back" size="sm" variant="ghost">
      All runs
    </LinkButton>
  );
  if (detail.error && !detail.data) {
    return (
      <div class="stack-sm">
        {back}
        <ErrorNotice
          error={detail.error}
          title={detail.error.status === 404 ? 'Run not found' : undefined}
          onRetry={detail.error.status === 404 ? undefined : detail.reload}
        />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <div class="stack">
        {back}
        <Card>
          <Skeleton lines={8} label="Loading the run…" />
        </Card>
      </div>
    );
  }
  const { run, actions } = detail.data;
  return (
    <div data-testid="run-detail">
      <div class="page-header">
        <div>
          {back}
          <h1>Run {run.id.slice(-8)}</h1>
          <p class="row">
            <StatusBadge status={run.status} />
            <span class="muted small">{dateTime(run.startedAt)}</span>
          </p>
        </div>
      </div>
      <div class="stack">
        {me.isAdmin && run.status !== 'running' && run.status !== 'waiting' ? (
          <RetryRun flowId={flowId} runId={run.id} ranVersion={run.flowVersion} />
        ) : null}
        <Card title="Summary" id="run-summary" level={2}>
          <dl class="facts">
            <dt>Conditions</dt>
            <dd>{run.matched ? 'Matched' : 'Did not match: no action ran'}</dd>
            <dt>Duration</dt>
            <dd>{duration(runDuration(run))}</dd>
            {typeof run.flowVersion === 'number' ? (
              <>
                <dt>Flow version</dt>
                <dd>{run.flowVersion}</dd>
              </>
            ) : null}
            {typeof run.replayOf === 'string' ? (
              <>
                <dt>Retry of</dt>
                <dd>
                  <a href={routeHref('flows', flowId, 'runs', run.replayOf)}>Run {run.replayOf.slice(-8)}</a>
                </dd>
              </>
            ) : null}
            {run.eventId ? (
              <>
                <dt>Started by</dt>
                <dd>
                  <a href={routeHref('webhooks', run.eventId)}>Webhook event {run.eventId.slice(-8)}</a>
                </dd>
              </>
            ) : null}
          </dl>
          {run.error ? (
            <div style={{ marginTop: '12px' }}>
              <Notice tone="danger" title="The run failed">
                {run.error}
              </Notice>
            </div>
          ) : null}
        </Card>
        {actions.length === 0 ? (
          <Card>
            <p class="muted">{run.matched ? 'No step has run yet.' : 'No step ran because the conditions did not match.'}</p>
          </Card>
        ) : (
          actions.map((action, index) => (
            <Card
              key={`${action.actionId}-${index}`}
              level={2}
              title={
                <>
                  Step {index + 1}: <code>{action.path ?? action.actionId}</code>
                  {action.kind ? <span class="muted small"> · {kindLabel(action.kind)}</span> : null}
                </>
              }
              actions={
                <div class="row">
                  <StatusBadge status={action.status} />
                  <span class="muted small">
                    {duration(action.durationMs)} · {action.attempts} {action.attempts === 1 ? 'attempt' : 'attempts'}
                  </span>
                </div>
              }
            >
              {me.isAdmin ? (
                <div class="stack-sm">
                  <KnownIds value={action.request} names={names} label="Names in this request" />
                  <h3 class="section-label">Input</h3>
                  {action.input === null ? (
                    <p class="muted small">Not recorded (the run is older than step inputs).</p>
                  ) : (
                    <JsonView value={action.input} label={`Input of ${action.actionId}`} openDepth={1} />
                  )}
                  <h3 class="section-label">Request</h3>
                  <JsonView value={action.request} label={`Request of ${action.actionId}`} openDepth={2} />
                  <h3 class="section-label">Response</h3>
                  <JsonView value={action.response} label={`Response of ${action.actionId}`} openDepth={2} />
                </div>
              ) : (
                <p class="muted small">Requests and answers are shown to workspace owners and admins only.</p>
              )}
            </Card>
          ))
        )}
      </div>
    </div>
  );
}

/** The kind's name people read ("Repeat for each"), or the kind itself when this sidebar does not know it. */
function kindLabel(kind: string): string {
  return (STEP_KIND_INFO as Record<string, { label: string } | undefined>)[kind]?.label ?? kind;
}
