import type { FlowStep } from '../../../api/types';
import { FLOW_LIMITS } from '../../../lib/flow-constants';
import { nestedLists } from './tree';

/** Where a step list sits in the flow: [] is the flow's own list, [{ index: 1, key: 'then' }] the "then" of its step 2. */
export type ListPath = { index: number; key: string }[];

/** A list a step can be moved to: into a branch's or loop's list, or out to an enclosing list (after its container). */
export interface Destination {
  path: ListPath;
  /** "the flow" or the list's title, as the cards name it ("Step 2, then"). */
  label: string;
  /** Out: an enclosing list (the step lands right after the step holding it); into: the end of the list. */
  out: boolean;
  /** Out: the title of the step it lands after. */
  after?: string;
}

function listAt(steps: FlowStep[], path: ListPath): FlowStep[] {
  let list = steps;
  for (const { index, key } of path) list = nestedLists(list[index]!).find((nested) => nested.key === key)?.steps ?? [];
  return list;
}

/** The flow with the list at `path` replaced (an emptied "otherwise" is left out, as the branch editor does). */
function withList(steps: FlowStep[], path: ListPath, change: (list: FlowStep[]) => FlowStep[]): FlowStep[] {
  if (path.length === 0) return change(steps);
  const [{ index, key }, ...rest] = path as [ListPath[number], ...ListPath];
  return steps.map((step, at) => {
    if (at !== index) return step;
    const next = withList(listAt([step], [{ index: 0, key }]), rest, change);
    const { [key]: _previous, ...others } = step as unknown as Record<string, unknown>;
    return (key === 'else' && next.length === 0 ? others : { ...others, [key]: next }) as unknown as FlowStep;
  });
}

/** Levels a step takes up: 1, plus the deepest of the lists it holds. */
function height(step: FlowStep): number {
  return 1 + Math.max(0, ...nestedLists(step).flatMap((list) => list.steps.map(height)));
}

/** Where the step object is in the flow (found by identity). */
export function locate(steps: FlowStep[], step: FlowStep, path: ListPath = []): { path: ListPath; index: number } | undefined {
  for (const [index, candidate] of steps.entries()) {
    if (candidate === step) return { path, index };
    for (const list of nestedLists(candidate)) {
      const found = locate(list.steps, step, [...path, { index, key: list.key }]);
      if (found) return found;
    }
  }
  return undefined;
}

const samePrefix = (path: ListPath, prefix: ListPath) =>
  prefix.length <= path.length && prefix.every((part, at) => part.index === path[at]!.index && part.key === path[at]!.key);

/**
 * The lists the step can go to: every other list of the flow outside the step itself where it still
 * fits within the nesting limit (a list at depth d takes steps of height up to stepDepth − d + 1).
 */
export function destinations(steps: FlowStep[], step: FlowStep): Destination[] {
  const from = locate(steps, step);
  if (!from) return [];
  const found: Destination[] = [];
  const visit = (list: FlowStep[], path: ListPath, label: string) => {
    const prefix = path.length === 0 ? 'Step' : label;
    const out = samePrefix(from.path, path);
    if (!(out && path.length === from.path.length) && path.length + height(step) <= FLOW_LIMITS.stepDepth)
      found.push({ path, label, out, ...(out ? { after: `${prefix} ${from.path[path.length]!.index + 1}` } : {}) });
    list.forEach((candidate, index) => {
      // The step's own lists are no destination: it cannot hold itself.
      if (candidate === step) return;
      for (const nested of nestedLists(candidate))
        visit(nested.steps, [...path, { index, key: nested.key }], `${prefix} ${index + 1}, ${nested.label.toLowerCase()}`);
    });
  };
  visit(steps, [], 'the flow');
  return found;
}

/** The flow with the step at `from` moved to the destination (out: right after its container; into: at the end). */
export function moveStep(steps: FlowStep[], from: { path: ListPath; index: number }, to: Destination): FlowStep[] {
  const step = listAt(steps, from.path)[from.index]!;
  const remove = (list: FlowStep[]) => list.filter((_, at) => at !== from.index);
  if (to.out) {
    const after = from.path[to.path.length]!.index;
    return withList(withList(steps, from.path, remove), to.path, (list) => [...list.slice(0, after + 1), step, ...list.slice(after + 1)]);
  }
  // Appending into another list shifts nothing on the way to the step, so it can still be removed where it was.
  return withList(
    withList(steps, to.path, (list) => [...list, step]),
    from.path,
    remove,
  );
}
