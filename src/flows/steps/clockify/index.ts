import { IMPLICIT_PARAMS, type ClockifyAction } from '../../model.js';
import { joinField } from '../../templates.js';
import { actionStepOutcome } from '../action-outcome.js';
import type { StepKindDefinition } from '../types.js';
import { prepareClockifyCall, sendClockifyCall } from './call.js';
import { clockifyStepSchema } from './schema.js';

/** A call of one Clockify operation, through the workspace's rate limiter. */
export const clockifyStep: StepKindDefinition<ClockifyAction> = {
  kind: 'clockify',
  schema: clockifyStepSchema,
  templates: (step) => [
    ['params', step.params],
    ['body', step.body],
  ],
  // The catalog knows which operations are idempotent (GET, PUT, DELETE); a POST could act twice.
  idempotent: (step, { runtime }) => runtime.catalog.get(step.operationId)?.idempotent === true,
  writes: (step, { runtime }) => runtime.catalog.get(step.operationId)?.method !== 'GET',
  validate(step, field, ctx, problems) {
    const operation = ctx.catalog.get(step.operationId);
    if (!operation) {
      problems.add(`${field}.operationId`, `unknown Clockify operation "${step.operationId}"`);
      return;
    }
    if (operation.addonTokenAccepted === false) {
      problems.add(
        `${field}.operationId`,
        `${operation.operationId} needs a personal API key: Clockify does not accept an add-on token for it`,
      );
      return;
    }
    const params = step.params ?? {};
    const accepted = new Map(operation.parameters.filter((p) => p.in === 'path' || p.in === 'query').map((p) => [p.name, p]));
    for (const [name, value] of Object.entries(params)) {
      const paramField = joinField(`${field}.params`, name);
      if (IMPLICIT_PARAMS.includes(name)) problems.add(paramField, `${name} is filled in automatically and cannot be set`);
      else if (!accepted.has(name)) problems.add(paramField, `${operation.operationId} has no parameter "${name}"`);
      else if (!isParamValue(value)) problems.add(paramField, 'must be a string, number, boolean or a list of them');
    }
    for (const parameter of accepted.values()) {
      if (parameter.required && !IMPLICIT_PARAMS.includes(parameter.name) && params[parameter.name] === undefined) {
        problems.add(joinField(`${field}.params`, parameter.name), `is required by ${operation.operationId}`);
      }
    }
    if (operation.requestBody?.required && step.body === undefined)
      problems.add(`${field}.body`, `${operation.operationId} needs a request body`);
    else if (!operation.requestBody && step.body !== undefined)
      problems.add(`${field}.body`, `${operation.operationId} takes no request body`);
  },
  async execute(step, env) {
    const prepared = prepareClockifyCall(step, env.context, env.runtime.catalog, env.workspaceId);
    if (!prepared.ok) return { status: 'failed', result: { status: 'invalid' }, request: null, error: prepared.error, retryable: false };
    return actionStepOutcome(await sendClockifyCall(env.runtime, env.workspaceId, prepared, env.signal));
  },
  async dryRun(step, env) {
    const prepared = prepareClockifyCall(step, env.context, env.runtime.catalog, env.workspaceId);
    if (!prepared.ok) return { request: null, missing: prepared.missing, error: prepared.error, result: { status: 'dry-run', body: null } };
    const { operation } = prepared;
    return {
      request: {
        operationId: operation.operationId,
        method: operation.method,
        path: operation.path,
        ...env.runtime.redactor.redact(prepared.input),
      },
      missing: prepared.missing,
      result: { status: 'dry-run', body: null },
    };
  },
};

function isParamValue(value: unknown): boolean {
  const scalar = (item: unknown) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}
