import type { SetStep } from '../../model.js';
import { renderValue } from '../../templates.js';
import type { StepKindDefinition } from '../types.js';
import { setStepSchema } from './schema.js';

/** Names values for later steps (steps.<id>.<name>); acts on nothing, so it can always run again. */
export const setStep: StepKindDefinition<SetStep> = {
  kind: 'set',
  schema: setStepSchema,
  templates: (step) => [['values', step.values]],
  idempotent: () => true,
  async execute(step, env) {
    const rendered = renderValue(step.values, env.context);
    if (!rendered.ok) return { status: 'failed', result: {}, request: null, error: `values: ${rendered.message}` };
    return { status: 'succeeded', result: rendered.value as Record<string, unknown>, request: null };
  },
  async dryRun(step, env) {
    const rendered = renderValue(step.values, env.context);
    if (!rendered.ok) return { request: null, missing: rendered.missing, error: `values: ${rendered.message}`, result: {} };
    return { request: { values: rendered.value }, missing: rendered.missing, result: rendered.value as Record<string, unknown> };
  },
};
