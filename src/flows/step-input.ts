/**
 * A step's input, as the run detail and "Execute this step" show it: the data the step saw. Not the
 * whole scope: the event, the trigger, the loop item and only the earlier steps the step (its fields,
 * its "only if", its nested steps) refers to, so a run's records stay small. Masked by the caller's
 * redactor; bounded here.
 */
import type { FlowStep } from './model.js';
import { truncateForRecord } from './steps/action-outcome.js';
import type { RunContext } from './steps/types.js';

/** The stored input's size in JSON characters; past it, each part is cut to a preview. */
export const MAX_RECORDED_INPUT_BYTES = 16 * 1024;

// `steps.tagIt` in a template, `$.steps.tagIt.found` in a condition path.
const STEP_REFERENCE = /\bsteps\.([A-Za-z][A-Za-z0-9_]*)/g;

/** Ids of the steps a step's definition reads (templates, conditions, nested steps), in order of first mention. */
export function referencedSteps(step: FlowStep): string[] {
  const found = new Set<string>();
  for (const match of JSON.stringify(step).matchAll(STEP_REFERENCE)) found.add(match[1]!);
  return [...found];
}

/** What `step` sees in `context`, bounded; `redact` masks secret fields and tokens. */
export function stepInput(step: FlowStep, context: RunContext, redact: <T>(value: T) => T): Record<string, unknown> {
  const steps = Object.fromEntries(
    referencedSteps(step)
      .filter((id) => id !== step.id && context.steps[id] !== undefined)
      .map((id) => [id, context.steps[id]]),
  );
  const input: Record<string, unknown> = redact({
    event: context.event,
    trigger: context.trigger,
    ...('item' in context ? { item: context.item, loop: context.loop } : {}),
    ...(Object.keys(steps).length > 0 ? { steps } : {}),
  });
  return bounded(input);
}

function bounded(input: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(input).length <= MAX_RECORDED_INPUT_BYTES) return input;
  const parts = Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      key === 'steps'
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([id, output]) => [id, truncateForRecord(output)]))
        : truncateForRecord(value),
    ]),
  );
  const text = JSON.stringify(parts);
  return text.length <= MAX_RECORDED_INPUT_BYTES
    ? parts
    : { truncated: true, bytes: text.length, preview: text.slice(0, MAX_RECORDED_INPUT_BYTES) };
}
