import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ProcessableEvent } from '../ingest/consumers.js';
import type { Runtime } from '../runtime.js';
import { prepareClockifyCall, sendClockifyCall } from './actions/clockify-action.js';
import { prepareHttpCall, sendHttpCall } from './actions/http-action.js';
import type { ActionOutcome } from './actions/types.js';
import { truncateForRecord } from './actions/types.js';
import { evaluateConditions, type ConditionsResult } from './conditions.js';
import type { FlowAction, FlowDefinition } from './model.js';
import type { FlowMetrics } from './metrics.js';
import type { FlowStore, StoredFlow } from './store.js';
import type { StepResult, TemplateContext } from './templates.js';
import { CredentialStore } from '../credentials/store.js';
import { applyCredential, credentialNamesOf, placeholder, secretValues, templateValue } from '../credentials/resolve.js';
import type { ResolvedCredential } from '../credentials/model.js';
import { maskSecrets, redactUrl, secretForms } from '../credentials/redact.js';
import type { HttpAction } from './model.js';

export interface RunSummary {
  flowId: string;
  runId: string | null;
  status: 'succeeded' | 'failed' | 'skipped' | 'dead' | 'already-done';
}

export interface DryRunAction {
  actionId: string;
  kind: FlowAction['kind'];
  request: unknown;
  missing: string[];
  error?: string;
}

/**
 * Runs flows. Every action has an idempotency key (event + flow version + action; a replay uses its
 * own run). The key's record is written *before* sending: if the worker dies mid-send, the retry
 * sees the pending record and, for an action that could act twice (a POST), does not send it again
 * but marks its outcome unknown, so a person decides. Idempotent actions (GET, PUT, DELETE) are
 * simply sent again.
 */
export class FlowExecutor {
  constructor(
    private readonly runtime: Runtime,
    private readonly store: FlowStore,
    private readonly dispatcher: () => Dispatcher,
    private readonly metrics: FlowMetrics,
    private readonly credentials: CredentialStore = new CredentialStore(runtime.database, runtime.box, runtime.now),
  ) {}

  /** Runs one flow on one event, resuming a run a crash interrupted. */
  async run(flow: Pick<StoredFlow, 'id' | 'version' | 'definition' | 'workspaceId'>, event: ProcessableEvent, options: { signal: AbortSignal; replayOf?: string }): Promise<RunSummary> {
    const { runtime, store } = this;
    let runId: string | undefined;
    if (!options.replayOf) {
      const existing = await store.findRun(flow.workspaceId, flow.id, flow.version, event.id);
      if (existing && existing.status !== 'running') return { flowId: flow.id, runId: existing.id, status: 'already-done' };
      runId = existing?.id;
    }
    const conditions = evaluateConditions(flow.definition.conditions, event.payload);
    if (!runId) runId = await store.startRun({ workspaceId: flow.workspaceId, flowId: flow.id, version: flow.version, eventId: event.id, matched: conditions.matched, trace: conditions.trace, replayOf: options.replayOf ?? null });
    if (conditions.exceeded) {
      // The same event and flow would run out again: failed for a person to see, not retried.
      const error = `conditions: ${conditions.exceeded.message}`;
      this.metrics.runs.inc({ outcome: 'failed' });
      await store.finishRun(flow.workspaceId, runId, flow.id, 'failed', error);
      runtime.bus.publish({ kind: 'flow-run', workspaceId: flow.workspaceId, data: { id: runId, flowId: flow.id, eventId: event.id, status: 'failed' } });
      return { flowId: flow.id, runId, status: 'failed' };
    }
    if (!conditions.matched) {
      this.metrics.runs.inc({ outcome: 'skipped' });
      await store.finishRun(flow.workspaceId, runId, flow.id, 'skipped', null);
      return { flowId: flow.id, runId, status: 'skipped' };
    }

    const httpAllowed = await this.httpActionsAllowed(flow.workspaceId);
    const context = this.contextFor(event);
    let status: 'succeeded' | 'failed' | 'dead' = 'succeeded';
    let error: string | null = null;
    for (const [position, action] of flow.definition.actions.entries()) {
      const key = options.replayOf ? `${runId}:${action.id}` : `${event.id}:${flow.id}:v${flow.version}:${action.id}`;
      const result = await this.runAction(action, position, key, runId, flow.workspaceId, context, httpAllowed, options.signal);
      context.steps![action.id] = { status: result.status, body: result.body, headers: result.headers };
      if (!result.ok && !action.continueOnFailure) {
        status = result.exhausted ? 'dead' : 'failed';
        error = `${action.id}: ${result.error ?? 'failed'}`;
        break;
      }
    }
    await store.finishRun(flow.workspaceId, runId, flow.id, status, error);
    this.metrics.runs.inc({ outcome: status });
    runtime.bus.publish({ kind: 'flow-run', workspaceId: flow.workspaceId, data: { id: runId, flowId: flow.id, eventId: event.id, status } });
    return { flowId: flow.id, runId, status };
  }

  /** Evaluates and renders without sending or writing anything; `exceeded` names the budget a hostile condition ran out of. */
  async dryRun(definition: FlowDefinition, workspaceId: string, event: { id?: string; eventType: string; source?: string; payload: unknown }): Promise<{ matched: boolean; trace: ConditionsResult['trace']; actions: DryRunAction[]; exceeded?: ConditionsResult['exceeded'] }> {
    const conditions = evaluateConditions(definition.conditions, event.payload);
    if (conditions.exceeded) return { matched: false, trace: conditions.trace, actions: [], exceeded: conditions.exceeded };
    const context = this.contextFor({ id: event.id ?? 'dry-run', workspaceId, source: event.source ?? 'clockify', eventType: event.eventType, payload: event.payload, receivedAt: this.runtime.now() });
    const actions: DryRunAction[] = [];
    for (const action of definition.actions) {
      if (action.kind === 'clockify') {
        const prepared = prepareClockifyCall(action, context, this.runtime.catalog, workspaceId);
        actions.push(prepared.ok ? { actionId: action.id, kind: action.kind, request: { operationId: prepared.operation.operationId, method: prepared.operation.method, path: prepared.operation.path, ...this.runtime.redactor.redact(prepared.input) }, missing: prepared.missing } : { actionId: action.id, kind: action.kind, request: null, missing: prepared.missing, error: prepared.error });
      } else {
        // A dry run never opens a credential: each one renders as a placeholder in its place.
        const names = credentialNamesOf(action);
        const known = await this.credentials.describe(workspaceId, names);
        const stand = new Map([...known].map(([name, credential]) => [name, placeholder(credential)]));
        const prepared = this.prepareWithCredentials(action, context, stand, names);
        actions.push(prepared.ok ? { actionId: action.id, kind: action.kind, request: this.runtime.redactor.redact({ method: prepared.method, url: redactUrl(prepared.url), headers: prepared.headers, body: prepared.body }), missing: prepared.missing } : { actionId: action.id, kind: action.kind, request: null, missing: prepared.missing, error: prepared.error });
      }
      // Later actions see a placeholder result, so their templates render as far as they can.
      context.steps![action.id] = { status: 'dry-run', body: null };
    }
    return { matched: conditions.matched, trace: conditions.trace, actions };
  }

  private contextFor(event: ProcessableEvent): TemplateContext & { steps: Record<string, StepResult> } {
    return {
      event: event.payload,
      workspace: { id: event.workspaceId },
      steps: {},
      trigger: { eventId: event.id, eventType: event.eventType, source: event.source, receivedAt: new Date(event.receivedAt).toISOString() },
    };
  }

  private async httpActionsAllowed(workspaceId: string): Promise<boolean> {
    if (!this.runtime.edition.capabilities.httpActions) return false;
    const settings = await this.runtime.settingsOf(workspaceId);
    return settings.enable_http_actions === true;
  }

  private async runAction(
    action: FlowAction,
    position: number,
    key: string,
    runId: string,
    workspaceId: string,
    context: TemplateContext,
    httpAllowed: boolean,
    signal: AbortSignal,
  ): Promise<ActionOutcome & { exhausted?: boolean }> {
    const { store } = this;
    const previous = await store.actionResult(key);
    if (previous?.status === 'succeeded') {
      const response = previous.response_json ? (JSON.parse(previous.response_json) as { status: number | string; body?: unknown; headers?: Record<string, string> }) : { status: 'done' };
      return { ok: true, status: response.status, body: response.body, headers: response.headers, request: null, retryable: false };
    }
    const idempotent = action.kind === 'clockify' ? this.runtime.catalog.get(action.operationId)?.idempotent === true : action.method === 'GET' || action.method === 'PUT' || action.method === 'DELETE';
    if (previous?.status === 'pending' || previous?.status === 'unknown') {
      if (!idempotent) {
        const error = 'the previous attempt stopped while sending; not sent again because it could act twice — replay the run to send it';
        await store.recordAction(key, { runId, status: 'unknown', request: previous.request_json ? JSON.parse(previous.request_json) : null, response: null, attempts: previous.attempts, durationMs: 0 });
        return { ok: false, status: 'unknown', request: null, error, retryable: false };
      }
    } else if (!previous) {
      await store.claimAction({ key, runId, workspaceId, actionId: action.id, position, request: null });
    }

    const attempts = action.retry?.attempts ?? 1;
    const backoffMs = action.retry?.backoffMs ?? 1000;
    let outcome: ActionOutcome | undefined;
    let attempt = 0;
    const started = performance.now();
    for (attempt = 1; attempt <= attempts; attempt++) {
      const actionStarted = performance.now();
      outcome = await this.attempt(action, workspaceId, context, httpAllowed, signal);
      this.metrics.actionDuration.observe({ kind: action.kind }, (performance.now() - actionStarted) / 1000);
      if (outcome.ok || !outcome.retryable || attempt === attempts || signal.aborted) break;
      this.metrics.retries.inc({ kind: action.kind });
      await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
    }
    const final = outcome!;
    await store.recordAction(key, {
      runId,
      status: final.ok ? 'succeeded' : 'failed',
      request: final.request,
      response: { status: final.status, body: truncateForRecord(final.body), headers: final.headers, ...(final.error ? { error: final.error } : {}) },
      attempts: Math.min(attempt, attempts),
      durationMs: performance.now() - started,
    });
    return { ...final, exhausted: !final.ok && final.retryable && attempts > 1 };
  }

  private async attempt(action: FlowAction, workspaceId: string, context: TemplateContext, httpAllowed: boolean, signal: AbortSignal): Promise<ActionOutcome> {
    if (action.kind === 'clockify') {
      const prepared = prepareClockifyCall(action, context, this.runtime.catalog, workspaceId);
      if (!prepared.ok) return { ok: false, status: 'invalid', request: null, error: prepared.error, retryable: false };
      return sendClockifyCall(this.runtime, workspaceId, prepared, signal);
    }
    if (!httpAllowed) return { ok: false, status: 'refused', request: null, error: 'HTTP actions are not enabled for this workspace', retryable: false };
    const names = credentialNamesOf(action);
    const resolved = await this.credentials.resolve(workspaceId, names);
    // Whatever the request, its answer or an error says, the credentials' values are not recorded.
    const secrets = secretForms([...resolved.values()].flatMap(secretValues));
    const prepared = this.prepareWithCredentials(action, context, resolved, names);
    if (!prepared.ok) return { ok: false, status: 'invalid', request: null, error: maskSecrets(prepared.error, secrets), retryable: false };
    return maskSecrets(await sendHttpCall(prepared, this.dispatcher(), this.runtime.redactor, signal), secrets);
  }

  /** Renders an HTTP action with its credentials: their values in `{{ credentials.x }}`, and the `credential` field applied. */
  private prepareWithCredentials(action: HttpAction, context: TemplateContext, credentials: Map<string, ResolvedCredential>, names: string[]): ReturnType<typeof prepareHttpCall> {
    const absent = names.filter((name) => !credentials.has(name));
    if (absent.length > 0) return { ok: false, error: `unknown credential ${absent.map((name) => `"${name}"`).join(', ')} (create it in the Credentials section)`, missing: [] };
    const prepared = prepareHttpCall(action, { ...context, credentials: Object.fromEntries([...credentials].map(([name, credential]) => [name, templateValue(credential)])) });
    if (!prepared.ok || !action.credential) return prepared;
    return applyCredential(prepared, credentials.get(action.credential)!);
  }
}
