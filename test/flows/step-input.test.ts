/** The recorded input of a step: which earlier steps it refers to, and how a large input is bounded. */
import { describe, expect, it } from 'vitest';
import type { FlowStep } from '../../src/flows/model.js';
import { MAX_RECORDED_INPUT_BYTES, referencedSteps, stepInput } from '../../src/flows/step-input.js';
import type { RunContext } from '../../src/flows/steps/types.js';

const same = <T>(value: T) => value;
const context = (event: unknown, steps: Record<string, Record<string, unknown>> = {}): RunContext => ({
  event,
  workspace: { id: 'w' },
  steps,
  trigger: { eventId: 'e', eventType: 'NEW_CLIENT', source: 'clockify', receivedAt: '2026-12-07T00:00:00.000Z' },
});

describe('step input', () => {
  it('names the steps read by templates, conditions and nested steps, once each', () => {
    const step = {
      id: 'check',
      kind: 'branch',
      if: { mode: 'all', rules: [{ path: '$.steps.look.found', op: 'equals', value: true }] },
      then: [{ id: 'tag', kind: 'set', values: { a: '{{ steps.vals.label }}', b: '{{ steps.look.id }}' } }],
    } as unknown as FlowStep;
    expect(referencedSteps(step)).toEqual(['look', 'vals']);
  });

  it('keeps only the referenced earlier steps, and cuts a large input to previews', () => {
    const step = { id: 's', kind: 'set', values: { a: '{{ steps.one.x }}' } } as unknown as FlowStep;
    const small = stepInput(step, context({ name: 'n' }, { one: { x: 1 }, two: { y: 2 } }), same);
    expect(small.steps).toEqual({ one: { x: 1 } });
    const large = stepInput(step, context({ text: 'x'.repeat(MAX_RECORDED_INPUT_BYTES * 2) }, { one: { x: 1 } }), same);
    expect(JSON.stringify(large).length).toBeLessThanOrEqual(MAX_RECORDED_INPUT_BYTES + 200);
    expect(large.event).toMatchObject({ truncated: true });
    expect(large.steps).toEqual({ one: { x: 1 } });
  });
});
