import { API_KEY_ONLY_REASON, validateCall } from '../../../clockify/catalog/index.js';
import type { CallInput, Catalog, Operation } from '../../../clockify/catalog/index.js';
import { ClockifyClientError, HostNotAllowedError } from '../../../clockify/client/index.js';
import { callOperation } from '../../../lifecycle/workspace-api.js';
import type { Runtime } from '../../../runtime.js';
import type { ClockifyAction } from '../../model.js';
import { renderValue } from '../../templates.js';
import type { TemplateContext } from '../../templates.js';
import type { ActionOutcome } from '../action-outcome.js';

export type PreparedClockifyCall =
  { ok: true; operation: Operation; input: CallInput; missing: string[] } | { ok: false; error: string; missing: string[] };

/** Pure: renders the action's parameters and body over the run context and checks them against the spec. */
export function prepareClockifyCall(
  action: ClockifyAction,
  context: TemplateContext,
  catalog: Catalog,
  workspaceId: string,
): PreparedClockifyCall {
  const operation = catalog.get(action.operationId);
  if (!operation) return { ok: false, error: `unknown operation ${action.operationId}`, missing: [] };
  if (!operation.addonTokenAccepted) return { ok: false, error: `${operation.operationId}: ${API_KEY_ONLY_REASON}`, missing: [] };
  const params = renderValue(action.params ?? {}, context);
  if (!params.ok) return { ok: false, error: `params: ${params.message}`, missing: params.missing };
  const body = action.body === undefined ? undefined : renderValue(action.body, context);
  if (body && !body.ok) return { ok: false, error: `body: ${body.message}`, missing: body.missing };
  const renderedParams = { ...(params.value as Record<string, unknown>) };
  // The workspace is the installation's, never the flow's or the event's.
  if (operation.pathParams.includes('workspaceId')) renderedParams.workspaceId = workspaceId;
  const input: CallInput = { params: renderedParams, ...(body ? { body: withoutUnacceptedNulls(body.value, operation) } : {}) };
  const problems = validateCall(operation, input);
  const missing = [...params.missing, ...(body?.missing ?? [])];
  if (problems.length > 0) return { ok: false, error: problems.map((p) => `${p.field} ${p.message}`).join('; '), missing };
  return { ok: true, operation, input, missing };
}

/**
 * Clockify's events write an absent reference as null (`taskId`, a running timer's `end`) but its
 * request schemas do not accept null there: a body field rendered as null where the spec does not
 * allow null is left out, which is how a request says "none".
 */
function withoutUnacceptedNulls(value: unknown, operation: Operation): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const properties = (operation.requestBody?.schema.properties ?? {}) as Record<string, { nullable?: unknown }>;
  return Object.fromEntries(Object.entries(value).filter(([name, field]) => field !== null || properties[name]?.nullable === true));
}

export async function sendClockifyCall(
  runtime: Runtime,
  workspaceId: string,
  prepared: Extract<PreparedClockifyCall, { ok: true }>,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const requestView = {
    operationId: prepared.operation.operationId,
    method: prepared.operation.method,
    ...runtime.redactor.redact(prepared.input),
  };
  try {
    const { request, response } = await callOperation(runtime, {
      workspaceId,
      operation: prepared.operation,
      input: prepared.input,
      source: 'flow',
      lane: 'interactive',
      signal,
      throwOnHttpError: false,
    });
    const ok = response.status < 400;
    return {
      ok,
      status: response.status,
      body: runtime.redactor.redact(response.body),
      headers: { 'content-type': response.headers['content-type'] ?? '' },
      request: { ...requestView, url: request.url, query: request.query },
      retryable: response.status === 429 || response.status >= 500,
      ...(ok ? {} : { error: `Clockify answered ${response.status}` }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: error instanceof HostNotAllowedError ? 'refused' : 'network',
      request: requestView,
      error: message,
      retryable: error instanceof ClockifyClientError && !(error instanceof HostNotAllowedError),
    };
  }
}
