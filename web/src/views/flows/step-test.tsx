import { useState } from 'preact/hooks';
import type { FlowDefinition, RunPage, StepExecution } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { duration, relativeTime } from '../../lib/format';
import { triggerEvents } from '../../lib/flow-draft';
import { StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice } from '../../ui/feedback';
import { Field } from '../../ui/field';
import { JsonView } from '../../ui/json-view';

/**
 * "Execute this step": one step of the draft on pinned data — the sample, or what the earlier steps
 * returned in a past run. Admins run it (a step that changes data only when they tick the box);
 * members see the preview.
 */
export function StepTestCard({
  definition,
  flowId,
  sample,
}: {
  definition: FlowDefinition;
  flowId?: string;
  sample?: { eventType: string; payload: unknown };
}) {
  const { api, me } = useApp();
  const now = useNow();
  const steps = definition.actions;
  const [stepId, setStepId] = useState('');
  const [from, setFrom] = useState('sample');
  const [send, setSend] = useState(false);
  const [result, setResult] = useState<StepExecution | undefined>(undefined);
  const runs = useResource(
    (signal) =>
      flowId && me.isAdmin
        ? api.get<RunPage>(`/ui/flows/${encodeURIComponent(flowId)}/executions`, { query: { limit: 10 }, signal })
        : Promise.resolve(undefined),
    [flowId],
  );
  const chosen = steps.find((step) => step.id === stepId) ?? steps[0];
  const run = useAction(async () => {
    const pin =
      from === 'sample'
        ? { eventType: sample?.eventType ?? triggerEvents(definition.trigger)[0], ...(sample ? { sample: sample.payload } : {}) }
        : { runId: from };
    const route = me.isAdmin ? 'execute' : 'preview';
    setResult(await api.post<StepExecution>(`/ui/flows/steps/${route}`, { definition, stepId: chosen!.id, send, ...pin }));
  });
  return (
    <Card title="Execute one step" id="step-test" level={3} subtitle="The earlier steps' data is pinned; nothing is recorded.">
      <div class="stack-sm" data-testid="step-test">
        <Field label="Step">
          {({ id }) => (
            <select id={id} class="select" value={chosen?.id ?? ''} onChange={(event) => setStepId(event.currentTarget.value)}>
              {steps.map((step, index) => (
                <option key={step.id} value={step.id}>
                  {index + 1}. {step.name ?? step.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Earlier steps' data from">
          {({ id }) => (
            <select id={id} class="select" value={from} onChange={(event) => setFrom(event.currentTarget.value)}>
              <option value="sample">{sample ? `The ${sample.eventType} sample (dry run)` : 'A sample (dry run)'}</option>
              {(runs.data?.runs ?? []).map((past) => (
                <option key={past.id} value={past.id}>
                  Run {past.id.slice(-8)} · {past.status} · {relativeTime(past.startedAt, now)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {me.isAdmin ? (
          <label class="inline-label">
            <input type="checkbox" checked={send} onChange={(event) => setSend(event.currentTarget.checked)} />
            <span>Really send it if it changes data (a Clockify write, an HTTP request)</span>
          </label>
        ) : null}
        <div>
          <Button icon="play" busy={run.busy} disabled={!chosen} onClick={() => run.run()}>
            {me.isAdmin ? 'Execute step' : 'Preview step'}
          </Button>
        </div>
        {run.error ? <ErrorNotice error={run.error} compact /> : null}
        {result ? <StepOutcome result={result} /> : null}
      </div>
    </Card>
  );
}

function StepOutcome({ result }: { result: StepExecution }) {
  return (
    <div class="stack-sm" data-testid="step-test-result">
      <p class="row">
        <StatusBadge status={result.status} />
        <span class="small">
          {result.mode === 'executed' ? 'Ran for real' : 'Preview: nothing sent'} · {duration(result.durationMs)}
        </span>
      </p>
      {result.mode === 'preview' && result.writes ? (
        <p class="small text-warn">It changes data, so it was not sent. Tick "Really send it" to send it.</p>
      ) : null}
      {result.note ? <p class="small">{result.note}</p> : null}
      {result.error ? <p class="small text-danger">{result.error}</p> : null}
      <h4 class="section-label">Input</h4>
      <JsonView value={result.input} label="Input of the step" />
      <h4 class="section-label">Request</h4>
      <JsonView value={result.request} label="Request of the step" />
      <h4 class="section-label">Output</h4>
      <JsonView value={result.output} label="Output of the step" />
    </div>
  );
}
