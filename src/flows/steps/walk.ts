/** Walking a flow's step tree through the registry's nested lists (so no caller needs to know the containers). */
import type { FlowStep } from '../model.js';
import { stepKind } from './registry.js';

/** Every step, nested ones included, in document order, with its field (`actions[2].then[0]`). */
export function allSteps(steps: readonly FlowStep[], base = 'actions'): { step: FlowStep; field: string }[] {
  const found: { step: FlowStep; field: string }[] = [];
  steps.forEach((step, index) => {
    const field = `${base}[${index}]`;
    found.push({ step, field });
    for (const nested of stepKind(step.kind)?.nested?.(step) ?? []) {
      if (Array.isArray(nested.steps)) found.push(...allSteps(nested.steps as FlowStep[], `${field}.${nested.key}`));
    }
  });
  return found;
}

/** The tree with `change` applied to every step (children first); unchanged steps keep their identity. */
export function mapSteps(steps: readonly FlowStep[], change: (step: FlowStep, field: string) => FlowStep, base = 'actions'): FlowStep[] {
  return steps.map((step, index) => {
    const field = `${base}[${index}]`;
    let current = step;
    for (const nested of stepKind(step.kind)?.nested?.(step) ?? []) {
      if (!Array.isArray(nested.steps)) continue;
      const mapped = mapSteps(nested.steps as FlowStep[], change, `${field}.${nested.key}`);
      if (mapped.some((item, at) => item !== (nested.steps as FlowStep[])[at])) current = { ...current, [nested.key]: mapped } as FlowStep;
    }
    return change(current, field);
  });
}
