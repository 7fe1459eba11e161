import { evaluateConditions } from '../../conditions.js';
import type { BranchStep } from '../../model.js';
import { containerStatus } from '../container-status.js';
import type { StepKindDefinition } from '../types.js';
import { branchStepSchema } from './schema.js';

/** If/else: evaluates its condition over the run context and runs one arm. */
export const branchStep: StepKindDefinition<BranchStep> = {
  kind: 'branch',
  schema: branchStepSchema,
  container: true,
  nested: (step) => [{ key: 'then', steps: step.then }, ...(step.else === undefined ? [] : [{ key: 'else', steps: step.else }])],
  conditions: (step) => [['if', step.if]],
  templates: () => [],
  idempotent: () => true,
  async execute(step, env) {
    const evaluated = evaluateConditions(step.if, env.context);
    if (evaluated.exceeded) return { status: 'failed', result: {}, request: null, error: `if: ${evaluated.exceeded.message}` };
    const path = evaluated.matched ? 'then' : 'else';
    const end = await env.runNested(path === 'then' ? step.then : (step.else ?? []), `${env.path}.${path}`, env.context);
    return { status: containerStatus(end), result: { path }, request: { trace: evaluated.trace }, ...(end ? { end } : {}) };
  },
  async dryRun(step, env) {
    const evaluated = evaluateConditions(step.if, env.context);
    if (evaluated.exceeded) return { request: null, missing: [], error: `if: ${evaluated.exceeded.message}`, result: {} };
    const path = evaluated.matched ? 'then' : 'else';
    const children = await env.dryNested(path === 'then' ? step.then : (step.else ?? []), `${env.path}.${path}`, env.context);
    return { request: { trace: evaluated.trace }, missing: [], note: `would run "${path}"`, result: { path }, children };
  },
};
