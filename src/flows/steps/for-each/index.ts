import type { ForEachStep } from '../../model.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { containerStatus } from '../container-status.js';
import type { RunContext, StepKindDefinition } from '../types.js';
import { itemsTemplate, renderItems } from './items.js';
import { forEachStepSchema } from './schema.js';

/**
 * Runs its steps once per item. Each iteration's steps have their own path (`loop1[3].tagIt`), so
 * their idempotency keys differ per item and a rerun or a resume skips the iterations already done.
 */
export const forEachStep: StepKindDefinition<ForEachStep> = {
  kind: 'for-each',
  schema: forEachStepSchema,
  container: true,
  nested: (step) => [{ key: 'steps', steps: step.steps, loop: true }],
  templates: (step) => [['items', typeof step.items === 'string' ? itemsTemplate(step.items) : step.items]],
  idempotent: () => true,
  async execute(step, env) {
    const listed = renderItems(step.items, env.context);
    if (!listed.ok) return { status: 'failed', result: {}, request: null, error: listed.error };
    const max = step.maxItems ?? FLOW_LIMITS.forEachItems;
    if (listed.items.length > max) {
      const error = `has ${listed.items.length} items; a for-each goes through at most ${max} (limit forEachItems)`;
      return {
        status: 'failed',
        result: { count: listed.items.length },
        request: { count: listed.items.length },
        error,
        limit: 'forEachItems',
      };
    }
    const results: Record<string, unknown>[] = [];
    const count = listed.items.length;
    for (const [index, item] of listed.items.entries()) {
      const scope: RunContext = { ...env.context, item, loop: { index, count } };
      const end = await env.runNested(step.steps, `${env.path}[${index}]`, scope);
      results.push(Object.fromEntries(step.steps.map((inner) => [inner.id, env.context.steps[inner.id]])));
      if (end) return { status: containerStatus(end), result: { count, results }, request: { count }, end };
    }
    return { status: 'succeeded', result: { count, results }, request: { count } };
  },
  async dryRun(step, env) {
    const listed = renderItems(step.items, env.context);
    if (!listed.ok) return { request: null, missing: listed.missing, error: listed.error, result: {} };
    const max = step.maxItems ?? FLOW_LIMITS.forEachItems;
    const count = listed.items.length;
    if (count > max)
      return {
        request: { count },
        missing: listed.missing,
        error: `has ${count} items; at most ${max} (limit forEachItems)`,
        result: { count },
      };
    // The first item stands for all: its steps show what each iteration would do.
    const children =
      count === 0
        ? []
        : await env.dryNested(step.steps, `${env.path}[0]`, { ...env.context, item: listed.items[0], loop: { index: 0, count } });
    return {
      request: { count },
      missing: listed.missing,
      note: `would run its steps for ${count} item${count === 1 ? '' : 's'} (shown for the first)`,
      result: { count, results: [] },
      children,
    };
  },
};
