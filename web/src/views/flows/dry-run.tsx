import { useState } from 'preact/hooks';
import type { DryRunResult, DryRunStep, EventList, FlowDefinition } from '../../api/types';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/use-action';
import { useNow } from '../../hooks/use-now';
import { useResource } from '../../hooks/use-resource';
import { relativeTime } from '../../lib/format';
import { ACTION_KINDS } from '../../lib/flow-constants';
import type { StepKind } from '../../lib/flow-constants';
import { triggerEvents } from '../../lib/flow-draft';
import { STEP_KIND_INFO } from './steps/kinds';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorNotice } from '../../ui/feedback';
import { Field } from '../../ui/field';
import { JsonView } from '../../ui/json-view';

/**
 * Runs the flow as drafted against a sample or a real past event without calling anything: which
 * conditions hold, and the exact requests the actions would send.
 */
/** A dry run passes when its conditions match and every step could be built. */
export function dryRunPassed(result: DryRunResult): boolean {
  return result.matched && result.actions.every((action) => !action.error);
}

export function DryRunCard({
  definition,
  sample,
  onResult,
}: {
  definition: FlowDefinition;
  sample?: { eventType: string; payload: unknown };
  onResult?: (passed: boolean) => void;
}) {
  const { api, announce } = useApp();
  const now = useNow();
  const events = triggerEvents(definition.trigger);
  const source = definition.trigger.kind === 'custom' ? `custom:${definition.trigger.sourceId}` : undefined;
  const [input, setInput] = useState<string>('sample');
  const recent = useResource(
    (signal) => api.get<EventList>('/ui/webhooks/events', { query: { type: events.join(',') || undefined, source, limit: 10 }, signal }),
    [events.join(','), source],
  );
  const [result, setResult] = useState<DryRunResult | undefined>(undefined);
  const run = useAction(async () => {
    const eventType = sample?.eventType ?? events[0];
    const body =
      input === 'sample' ? { definition, eventType, ...(sample ? { sample: sample.payload } : {}) } : { definition, eventId: input };
    const outcome = await api.post<DryRunResult>('/ui/flows/test', body);
    setResult(outcome);
    onResult?.(dryRunPassed(outcome));
    announce(
      outcome.matched
        ? `Dry run: conditions matched, ${outcome.actions.length} actions would run.`
        : 'Dry run: conditions did not match, nothing would be sent.',
    );
  });
  const hasSample = definition.trigger.kind === 'clockify';
  return (
    <Card title="Dry run" id="dry-run" level={3} subtitle="Nothing is sent to Clockify or anywhere else.">
      <div class="stack-sm">
        <Field label="Test with">
          {({ id }) => (
            <select id={id} class="select" value={input} onChange={(event) => setInput(event.currentTarget.value)}>
              {hasSample ? (
                <option value="sample">{sample ? `Sample ${sample.eventType} payload` : 'A sample payload'}</option>
              ) : (
                <option value="sample">The latest event</option>
              )}
              {(recent.data?.events ?? []).map((event) => (
                <option key={event.id} value={event.id}>
                  {event.eventType} · {relativeTime(event.receivedAt, now)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div>
          <Button
            icon="play"
            busy={run.busy}
            disabled={definition.actions.length === 0 || (events.length === 0 && definition.trigger.kind === 'clockify')}
            onClick={() => run.run()}
          >
            Dry run
          </Button>
        </div>
        {run.error ? <ErrorNotice error={run.error} compact /> : null}
        {result ? <DryRunOutcome result={result} /> : null}
      </div>
    </Card>
  );
}

function DryRunOutcome({ result }: { result: DryRunResult }) {
  return (
    <div class="stack-sm" data-testid="dry-run-result">
      <div class="row">
        <Badge tone={result.matched ? 'ok' : 'neutral'}>{result.matched ? 'conditions matched' : 'conditions not matched'}</Badge>
        {result.matched ? (
          <span class="muted small">
            {result.actions.length} {result.actions.length === 1 ? 'step' : 'steps'} would run
          </span>
        ) : null}
      </div>
      {!result.matched ? (
        <p class="dry-run-verdict" data-testid="dry-run-verdict">
          <strong>Nothing would be sent:</strong> the conditions did not match this event, so no step runs.
        </p>
      ) : someError(result.actions) ? (
        <p class="dry-run-verdict text-danger" data-testid="dry-run-verdict">
          <strong>Not everything could be built:</strong> the steps marked below would fail.
        </p>
      ) : null}
      {result.trace.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Conditions checked</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Check</th>
                <th scope="col">Actual</th>
              </tr>
            </thead>
            <tbody>
              {result.trace.map((step, index) => (
                <tr key={index}>
                  <td class="mono">{step.path}</td>
                  <td>
                    <Badge tone={step.matched ? 'ok' : 'danger'}>{`${step.op.replace(/_/g, ' ')} ${step.matched ? '✓' : '✗'}`}</Badge>
                  </td>
                  <td class="mono small">
                    {step.error ? (
                      <span class="text-danger">{step.error}</span>
                    ) : step.actual === undefined ? (
                      '(missing)'
                    ) : (
                      JSON.stringify(step.actual)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {result.actions.map((action) => (
        <DryRunStepView key={action.path ?? action.actionId} step={action} matched={result.matched} />
      ))}
    </div>
  );
}

function someError(steps: readonly DryRunStep[]): boolean {
  return steps.some((step) => !!step.error || someError(step.children ?? []));
}

/** One step of the dry run: what it would send (calls) or do (the others), nested steps inside. */
function DryRunStepView({ step, matched }: { step: DryRunStep; matched: boolean }) {
  const sends = ACTION_KINDS.includes(step.kind as StepKind);
  const label = (STEP_KIND_INFO as Record<string, { label: string } | undefined>)[step.kind]?.label;
  const verdict = !matched
    ? sends
      ? 'would not run (what it would have sent)'
      : 'would not run'
    : step.error
      ? 'could not be built'
      : sends
        ? 'would send'
        : 'would run';
  return (
    <details class="disclosure" open={matched}>
      <summary>
        Step <code>{step.path ?? step.actionId}</code> {label && !sends ? `(${label}) ` : ''}
        {verdict}
      </summary>
      {step.note ? <p class="small">{step.note}</p> : null}
      {step.error ? <p class="text-danger small">{step.error}</p> : null}
      {step.missing.length > 0 ? (
        <p class="text-warn small">Empty because the event has no {step.missing.map((name) => `"${name}"`).join(', ')}.</p>
      ) : null}
      {sends || (step.request !== null && step.request !== undefined) ? (
        <JsonView value={step.request} label={`Request of ${step.actionId}`} />
      ) : null}
      {step.children && step.children.length > 0 ? (
        <div class="nested-steps">
          {step.children.map((child) => (
            <DryRunStepView key={child.path ?? child.actionId} step={child} matched={matched} />
          ))}
        </div>
      ) : null}
    </details>
  );
}
