import type { StopStep } from '../../model.js';
import { renderValue } from '../../templates.js';
import type { StepKindDefinition } from '../types.js';
import { stopStepSchema } from './schema.js';

/** Ends the run with its outcome; a failed stop puts its message as the run's error. */
export const stopStep: StepKindDefinition<StopStep> = {
  kind: 'stop',
  schema: stopStepSchema,
  templates: (step) => [['message', step.message]],
  idempotent: () => true,
  async execute(step, env) {
    const message = step.message === undefined ? null : renderValue(step.message, env.context);
    const text = message === null ? null : message.ok ? String(message.value ?? '') : step.message!;
    return {
      status: 'succeeded',
      result: { outcome: step.outcome, message: text },
      request: null,
      stop: { outcome: step.outcome, message: text },
    };
  },
  async dryRun(step, env) {
    const message = step.message === undefined ? undefined : renderValue(step.message, env.context);
    const text = message?.ok ? String(message.value ?? '') : undefined;
    return {
      request: null,
      missing: message?.missing ?? [],
      note: `the run would end here as ${step.outcome}${text ? `: ${text}` : ''}`,
      result: { outcome: step.outcome },
    };
  },
};
