import type { FlowStep } from '../../../api/types';
import { ACTION_ID_REGEX, FLOW_LIMITS } from '../../../lib/flow-constants';
import { uniqueActionId } from '../../../lib/flow-draft';
import { emptyPaths } from './conditions';
import { kindInfo } from './kinds';

/** The step lists a step holds (empty for a step without any). */
export function nestedLists(step: FlowStep): { key: string; label: string; steps: FlowStep[] }[] {
  const record = step as unknown as Record<string, unknown>;
  return (kindInfo(step)?.nested ?? []).map((list) => ({
    ...list,
    steps: Array.isArray(record[list.key]) ? (record[list.key] as FlowStep[]) : [],
  }));
}

/** Every step of the list, nested ones included, each with its title ("Step 2, then 1") and depth (top = 1). */
export function walkSteps(steps: readonly FlowStep[], prefix = 'Step', depth = 1): { step: FlowStep; title: string; depth: number }[] {
  return steps.flatMap((step, index) => {
    const title = `${prefix} ${index + 1}`;
    return [
      { step, title, depth },
      ...nestedLists(step).flatMap((list) => walkSteps(list.steps, `${title}, ${list.label.toLowerCase()}`, depth + 1)),
    ];
  });
}

export function allStepIds(steps: readonly FlowStep[]): string[] {
  return walkSteps(steps).map((entry) => entry.step.id);
}

/**
 * A copy of a step whose id (and its nested steps' ids) are new in the flow; `taken` grows with
 * each id given out, so a pasted or duplicated branch never repeats an id.
 */
export function withFreshIds(step: FlowStep, taken: string[]): FlowStep {
  const id = uniqueActionId(step.id, taken);
  taken.push(id);
  const copy = { ...step, id } as FlowStep & Record<string, unknown>;
  for (const list of nestedLists(step)) copy[list.key] = list.steps.map((child) => withFreshIds(child, taken));
  return copy;
}

/** The deepest nesting level a step can be added at and still hold steps itself. */
export function canHoldSteps(depth: number): boolean {
  return depth < FLOW_LIMITS.stepDepth;
}

/** What the editor can tell about the steps before asking the server. */
export function stepProblems(steps: readonly FlowStep[]): string[] {
  const problems: string[] = [];
  const entries = walkSteps(steps);
  const seen = new Set<string>();
  if (steps.length === 0) problems.push('Add at least one step.');
  if (steps.length > FLOW_LIMITS.actions) problems.push(`At most ${FLOW_LIMITS.actions} steps at the top level.`);
  if (entries.length > FLOW_LIMITS.stepsTotal) problems.push(`At most ${FLOW_LIMITS.stepsTotal} steps in a flow, nested ones included.`);
  for (const { step, title, depth } of entries) {
    if (!ACTION_ID_REGEX.test(step.id)) problems.push(`${title}: the id must start with a letter and use only letters, digits and _.`);
    else if (seen.has(step.id)) problems.push(`${title}: the id "${step.id}" is used twice.`);
    seen.add(step.id);
    const info = kindInfo(step);
    if (!info) {
      problems.push(`${title}: unknown kind "${step.kind}".`);
      continue;
    }
    for (const problem of info.problems(step as never)) problems.push(`${title}: ${problem}`);
    if (step.onlyIf && emptyPaths(step.onlyIf) > 0)
      problems.push(`${title}: every "Only if" rule needs a field path, such as $.event.projectId.`);
    if (info.nested && depth >= FLOW_LIMITS.stepDepth && nestedLists(step).some((list) => list.steps.length > 0)) {
      problems.push(`${title}: steps nest at most ${FLOW_LIMITS.stepDepth} levels deep.`);
    }
  }
  return problems;
}
