import type { ForEachStep } from '../../model.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { containerStatus } from '../container-status.js';
import type { RunContext, StepEnv, StepKindDefinition, StepOutcome } from '../types.js';
import { itemsTemplate, renderItems } from './items.js';
import { forEachStepSchema } from './schema.js';

/**
 * Runs its steps once per item. Each iteration's steps have their own path (`loop1[3].tagIt`), so
 * their idempotency keys differ per item and a rerun or a resume skips the iterations already done;
 * a resume goes over the items recorded when the loop started, so index 3 is still the same item.
 */
export const forEachStep: StepKindDefinition<ForEachStep> = {
  kind: 'for-each',
  schema: forEachStepSchema,
  container: true,
  nested: (step) => [{ key: 'steps', steps: step.steps, loop: true }],
  templates: (step) => [['items', typeof step.items === 'string' ? itemsTemplate(step.items) : step.items]],
  idempotent: () => true,
  async execute(step, env) {
    const listed = await loopItems(step, env);
    if (!listed.ok) return listed.outcome;
    const { items } = listed;
    const request = { count: items.length, items };
    const results: Record<string, unknown>[] = [];
    const count = items.length;
    for (const [index, item] of items.entries()) {
      const scope: RunContext = { ...env.context, item, loop: { index, count } };
      const end = await env.runNested(step.steps, `${env.path}[${index}]`, scope);
      results.push(Object.fromEntries(step.steps.map((inner) => [inner.id, env.context.steps[inner.id]])));
      if (end) return { status: containerStatus(end), result: { count, results }, request, end };
    }
    return { status: 'succeeded', result: { count, results }, request };
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

/**
 * The list the loop goes over: the one recorded when it started, on a resumed run (after a wait or a
 * crash: the template could render differently now, e.g. over a result kept only as a preview);
 * otherwise rendered, checked against the limits and recorded before the first iteration.
 */
async function loopItems(step: ForEachStep, env: StepEnv): Promise<{ ok: true; items: unknown[] } | { ok: false; outcome: StepOutcome }> {
  const recorded = (env.previous?.request as { items?: unknown } | null | undefined)?.items;
  if (Array.isArray(recorded)) return { ok: true, items: recorded };
  const listed = renderItems(step.items, env.context);
  if (!listed.ok) return { ok: false, outcome: { status: 'failed', result: {}, request: null, error: listed.error } };
  const count = listed.items.length;
  const max = step.maxItems ?? FLOW_LIMITS.forEachItems;
  if (count > max) {
    const error = `has ${count} items; a for-each goes through at most ${max} (limit forEachItems)`;
    return { ok: false, outcome: { status: 'failed', result: { count }, request: { count }, error, limit: 'forEachItems' } };
  }
  const bytes = Buffer.byteLength(JSON.stringify(listed.items));
  if (bytes > FLOW_LIMITS.forEachItemsBytes) {
    const error = `its items take ${bytes} bytes; a for-each records at most ${FLOW_LIMITS.forEachItemsBytes} (limit forEachItemsBytes)`;
    return { ok: false, outcome: { status: 'failed', result: { count }, request: { count }, error, limit: 'forEachItemsBytes' } };
  }
  await env.recordRequest({ count, items: listed.items });
  return { ok: true, items: listed.items };
}
