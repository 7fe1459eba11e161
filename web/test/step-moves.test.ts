import { describe, expect, it } from 'vitest';
import type { FlowStep } from '../src/api/types';
import { destinations, locate, moveStep } from '../src/views/flows/steps/moves';

const set = (id: string) => ({ id, kind: 'set', values: { a: '1' } }) as FlowStep;
const rules = { mode: 'all', rules: [{ path: '$.event.x', op: 'exists' }] };

function flow(): FlowStep[] {
  return [
    set('first'),
    { id: 'check', kind: 'branch', if: rules, then: [set('inThen')] } as unknown as FlowStep,
    { id: 'loop', kind: 'for-each', items: '$.event.tagIds', steps: [set('inLoop')] } as unknown as FlowStep,
  ];
}

const ids = (steps: FlowStep[]): unknown =>
  steps.map((step) => {
    const record = step as unknown as Record<string, FlowStep[] | undefined>;
    const lists = Object.fromEntries(
      ['then', 'else', 'steps'].filter((key) => Array.isArray(record[key])).map((key) => [key, ids(record[key]!)]),
    );
    return Object.keys(lists).length > 0 ? { [step.id]: lists } : step.id;
  });

describe('moving steps between lists', () => {
  it('offers every other list the step fits in, named as the cards are', () => {
    const steps = flow();
    expect(destinations(steps, steps[0]!).map((to) => [to.label, to.out])).toEqual([
      ['Step 2, then', false],
      ['Step 2, otherwise', false],
      ['Step 3, for each item', false],
    ]);
    const inThen = (steps[1] as unknown as { then: FlowStep[] }).then[0]!;
    expect(destinations(steps, inThen).map((to) => [to.label, to.out, to.after])).toEqual([
      ['the flow', true, 'Step 2'],
      ['Step 2, otherwise', false, undefined],
      ['Step 3, for each item', false, undefined],
    ]);
  });

  it('moves into a list at its end and out of it right after its container, leaving no empty otherwise', () => {
    let steps = flow();
    steps = moveStep(
      steps,
      locate(steps, steps[0]!)!,
      destinations(steps, steps[0]!).find((to) => to.label === 'Step 2, otherwise')!,
    );
    expect(ids(steps)).toEqual([{ check: { then: ['inThen'], else: ['first'] } }, { loop: { steps: ['inLoop'] } }]);
    const moved = (steps[0] as unknown as { else: FlowStep[] }).else[0]!;
    steps = moveStep(
      steps,
      locate(steps, moved)!,
      destinations(steps, moved).find((to) => to.out)!,
    );
    expect(ids(steps)).toEqual([{ check: { then: ['inThen'] } }, 'first', { loop: { steps: ['inLoop'] } }]);
  });

  it('never offers the step its own lists, nor a list where it would nest too deep', () => {
    const steps = flow();
    // A branch holding steps takes two levels: it fits in a list at depth 2, not at 3.
    const inner = { id: 'deep', kind: 'branch', if: rules, then: [set('leaf')] } as unknown as FlowStep;
    const nested = [...steps.slice(0, 2), { ...(steps[2] as object), steps: [inner] } as unknown as FlowStep];
    const check = nested[1]!;
    expect(destinations(nested, check).map((to) => to.label)).toEqual(['Step 3, for each item']);
    expect(destinations(nested, inner).map((to) => to.label)).toEqual(['the flow', 'Step 2, then', 'Step 2, otherwise']);
  });
});
