import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ProcessableEvent } from '../events/consumers.js';
import type { Runtime } from '../runtime.js';
import { CredentialStore } from '../credentials/store.js';
import { evaluateConditions, type ConditionsResult } from './conditions.js';
import type { FlowDefinition, FlowStep } from './model.js';
import type { FlowMetrics } from './metrics.js';
import { FLOW_LIMITS, type StepKind } from './shared/flow-constants.js';
import { truncateForRecord } from './steps/action-outcome.js';
import { stepInput } from './step-input.js';
import { stepKind } from './steps/registry.js';
import type { DryRunStep, PreviousRecord, RunContext, RunEnd, StepKindDefinition, StepOutcome, StepServices } from './steps/types.js';
import type { FlowStore, StoredFlow } from './store.js';
import { eventUserId } from '../events/event-user.js';

export interface RunSummary {
  flowId: string;
  runId: string | null;
  status: 'succeeded' | 'failed' | 'skipped' | 'dead' | 'already-done' | 'waiting';
}

/** What "Execute this step" did: the step's input, its request, and its output or error. */
export interface StepExecution {
  stepId: string;
  kind: string;
  /** executed: it really ran; preview: rendered only (a write not confirmed, a member, a container). */
  mode: 'executed' | 'preview';
  /** Whether running it for real changes something (a Clockify write, an HTTP request, a creation). */
  writes: boolean;
  status: string;
  input: Record<string, unknown>;
  request: unknown;
  output: unknown;
  error?: string;
  note?: string;
  children?: DryRunStep[];
  durationMs: number;
}

/** One step of a dry run (top-level steps keep the old name `actionId`). */
export type DryRunAction = DryRunStep;

export const JOB_RESUME_WAIT = 'flow.resume-wait';

/** What a parked run needs to go on: the job payload of JOB_RESUME_WAIT. */
export interface ResumePayload {
  runId: string;
  flowId: string;
  version: number;
  replay: boolean;
  event: ProcessableEvent;
  /** The wait step (its path) the job resumes; absent in jobs queued before it was recorded. */
  waitPath?: string;
}

/** A run in progress: where its steps' keys come from and how many steps it executed. */
interface RunState {
  runId: string;
  workspaceId: string;
  flowId: string;
  version: number;
  keyBase: string;
  replay: boolean;
  event: ProcessableEvent;
  services: StepServices;
  signal: AbortSignal;
  executed: number;
  position: number;
  /** Resumed by a wait's job: that wait's path ('' for an older job naming none: the one wait parked). */
  resumedWait?: string;
}

/**
 * Runs flows: a tree of steps, each kind found in the step registry (src/flows/steps/). Every step
 * executed has a record keyed by its idempotency key (event + flow version + the step's path; a
 * replay uses its own run), written *before* the step acts: if the worker dies mid-step, the retry
 * sees the pending record and, for a step that could act twice (a POST), does not act again but marks
 * its outcome unknown, so a person decides. A resumed run (after a wait, a crash) walks the tree again:
 * finished steps reuse their record, containers are re-entered.
 */
export class FlowExecutor {
  constructor(
    private readonly runtime: Runtime,
    private readonly store: FlowStore,
    private readonly dispatcher: () => Dispatcher,
    private readonly metrics: FlowMetrics,
    private readonly credentials: CredentialStore = new CredentialStore(runtime.database, runtime.box, runtime.now),
  ) {}

  /** Runs one flow on one event, resuming a run a crash interrupted (or a wait parked: `resume`). */
  async run(
    flow: Pick<StoredFlow, 'id' | 'version' | 'definition' | 'workspaceId'>,
    event: ProcessableEvent,
    options: { signal: AbortSignal; replayOf?: string; resume?: { runId: string; replay: boolean; waitPath?: string } },
  ): Promise<RunSummary> {
    const { runtime, store } = this;
    let runId: string | undefined;
    if (options.resume) {
      const parked = await store.runStatus(flow.workspaceId, options.resume.runId);
      if (parked !== 'waiting' && parked !== 'running') return { flowId: flow.id, runId: options.resume.runId, status: 'already-done' };
      runId = options.resume.runId;
      await store.setRunStatus(flow.workspaceId, runId, 'running');
    } else if (!options.replayOf) {
      const existing = await store.findRun(flow.workspaceId, flow.id, flow.version, event.id);
      // A waiting run goes on only from its resume job, never from a redelivered event.
      if (existing && existing.status !== 'running') return { flowId: flow.id, runId: existing.id, status: 'already-done' };
      runId = existing?.id;
    }
    const conditions = evaluateConditions(flow.definition.conditions, event.payload);
    if (!runId)
      runId = await store.startRun({
        workspaceId: flow.workspaceId,
        flowId: flow.id,
        version: flow.version,
        eventId: event.id,
        matched: conditions.matched,
        trace: conditions.trace,
        replayOf: options.replayOf ?? null,
      });
    if (conditions.exceeded) {
      // The same event and flow would run out again: failed for a person to see, not retried.
      return this.finish(flow, event, runId, { status: 'failed', error: `conditions: ${conditions.exceeded.message}` });
    }
    if (!conditions.matched) {
      this.metrics.runs.inc({ outcome: 'skipped' });
      await store.finishRun(flow.workspaceId, runId, flow.id, 'skipped', null);
      return { flowId: flow.id, runId, status: 'skipped' };
    }
    const replay = options.resume ? options.resume.replay : options.replayOf !== undefined;
    const state: RunState = {
      runId,
      workspaceId: flow.workspaceId,
      flowId: flow.id,
      version: flow.version,
      keyBase: replay ? runId : `${event.id}:${flow.id}:v${flow.version}`,
      replay,
      event,
      services: {
        runtime,
        credentials: this.credentials,
        dispatcher: this.dispatcher,
        httpAllowed: await this.httpActionsAllowed(flow.workspaceId),
      },
      signal: options.signal,
      executed: 0,
      position: 0,
      ...(options.resume ? { resumedWait: options.resume.waitPath ?? '' } : {}),
    };
    const end = (await this.runList(flow.definition.actions, '', this.contextFor(event), state)) ?? { status: 'succeeded', error: null };
    if (end.status === 'waiting') {
      await store.setRunStatus(flow.workspaceId, runId, 'waiting');
      runtime.bus.publish({
        kind: 'flow-run',
        workspaceId: flow.workspaceId,
        data: { id: runId, flowId: flow.id, eventId: event.id, userId: eventUserId(event.payload), status: 'waiting' },
      });
      return { flowId: flow.id, runId, status: 'waiting' };
    }
    return this.finish(flow, event, runId, end as RunEnd & { status: 'succeeded' | 'failed' | 'skipped' | 'dead' });
  }

  private async finish(
    flow: Pick<StoredFlow, 'id' | 'workspaceId'>,
    event: ProcessableEvent,
    runId: string,
    end: { status: 'succeeded' | 'failed' | 'skipped' | 'dead'; error: string | null },
  ): Promise<RunSummary> {
    await this.store.finishRun(flow.workspaceId, runId, flow.id, end.status, end.error);
    this.metrics.runs.inc({ outcome: end.status });
    this.runtime.bus.publish({
      kind: 'flow-run',
      workspaceId: flow.workspaceId,
      data: { id: runId, flowId: flow.id, eventId: event.id, userId: eventUserId(event.payload), status: end.status },
    });
    return { flowId: flow.id, runId, status: end.status };
  }

  /** Runs a step list in order; returns how the run ends when a step ends it (undefined: go on). */
  private async runList(steps: readonly FlowStep[], prefix: string, context: RunContext, state: RunState): Promise<RunEnd | undefined> {
    for (const step of steps) {
      const path = prefix === '' ? step.id : `${prefix}.${step.id}`;
      const kind = stepKind(step.kind);
      if (!kind) return { status: 'failed', error: `${path}: unknown step kind "${step.kind}"` };
      state.executed += 1;
      if (state.executed > FLOW_LIMITS.stepsPerRun) {
        return {
          status: 'failed',
          error: `${path}: the run went over the limit of ${FLOW_LIMITS.stepsPerRun} steps per run (limit stepsPerRun)`,
        };
      }
      const key = `${state.keyBase}:${path}`;
      if (step.onlyIf) {
        const only = evaluateConditions(step.onlyIf, context);
        if (only.exceeded) return { status: 'failed', error: `${path}: onlyIf: ${only.exceeded.message}` };
        if (!only.matched) {
          await this.recordSkipped(step, path, key, state, only.trace, context);
          context.steps[step.id] = { status: 'skipped', skipped: true };
          continue;
        }
      }
      const outcome = await this.runStep(step, kind, path, key, context, state);
      context.steps[step.id] = outcome.result;
      if (outcome.limit) return { status: 'failed', error: `${path}: ${outcome.error ?? outcome.limit}` };
      if (outcome.end) return outcome.end;
      if (outcome.stop)
        return {
          status: outcome.stop.outcome,
          error: outcome.stop.outcome === 'failed' ? `${path}: ${outcome.stop.message ?? 'stopped'}` : null,
        };
      if (outcome.status === 'waiting') {
        await this.park(state, path, outcome.resumeAt!);
        return { status: 'waiting', error: null };
      }
      const continueOnFailure = 'continueOnFailure' in step && step.continueOnFailure === true;
      if ((outcome.status === 'failed' || outcome.status === 'unknown') && !continueOnFailure) {
        return {
          status: (outcome as { exhausted?: boolean }).exhausted ? 'dead' : 'failed',
          error: `${path}: ${outcome.error ?? 'failed'}`,
        };
      }
    }
    return undefined;
  }

  /** Queues the job that resumes the run when the wait is over (durable: it is in the database). */
  private async park(state: RunState, path: string, resumeAt: number): Promise<void> {
    const payload: ResumePayload = {
      runId: state.runId,
      flowId: state.flowId,
      version: state.version,
      replay: state.replay,
      event: state.event,
      waitPath: path,
    };
    await this.runtime.queue.enqueue({
      kind: JOB_RESUME_WAIT,
      workspaceId: state.workspaceId,
      payload,
      runAt: resumeAt,
      dedupeKey: `${JOB_RESUME_WAIT}:${state.runId}:${path}`,
    });
  }

  private async recordSkipped(
    step: FlowStep,
    path: string,
    key: string,
    state: RunState,
    trace: unknown,
    context: RunContext,
  ): Promise<void> {
    const position = state.position++;
    if (!(await this.store.actionResult(key)))
      await this.store.claimAction({
        key,
        runId: state.runId,
        workspaceId: state.workspaceId,
        actionId: step.id,
        position,
        request: null,
        stepPath: path,
        kind: step.kind,
      });
    await this.store.recordAction(key, {
      runId: state.runId,
      status: 'skipped',
      request: { onlyIf: trace },
      response: null,
      attempts: 0,
      durationMs: 0,
      input: this.inputOf(step, context),
    });
  }

  private async runStep(
    step: FlowStep,
    kind: StepKindDefinition,
    path: string,
    key: string,
    context: RunContext,
    state: RunState,
  ): Promise<StepOutcome & { exhausted?: boolean }> {
    const { store } = this;
    const position = state.position++;
    const row = await store.actionResult(key);
    const previous: PreviousRecord | undefined = row
      ? { status: row.status, request: parse(row.request_json), response: parse(row.response_json), attempts: row.attempts }
      : undefined;
    if (previous?.status === 'succeeded' && !kind.container) {
      const { error: _error, resumeAtMs: _at, ...result } = (previous.response ?? {}) as Record<string, unknown>;
      return { status: 'succeeded', result };
    }
    if ((previous?.status === 'pending' || previous?.status === 'unknown') && !kind.container && !kind.idempotent(step, state.services)) {
      const error = 'the previous attempt stopped while sending; not sent again because it could act twice — retry the run to send it';
      await store.recordAction(key, {
        runId: state.runId,
        status: 'unknown',
        request: previous.request,
        response: null,
        attempts: previous.attempts,
        durationMs: 0,
        input: this.inputOf(step, context),
      });
      return { status: 'unknown', result: { status: 'unknown' }, error };
    }
    if (!previous)
      await store.claimAction({
        key,
        runId: state.runId,
        workspaceId: state.workspaceId,
        actionId: step.id,
        position,
        request: null,
        stepPath: path,
        kind: step.kind,
      });

    const retry = 'retry' in step ? step.retry : undefined;
    const attempts = retry?.attempts ?? 1;
    const backoffMs = retry?.backoffMs ?? 1000;
    let outcome: StepOutcome | undefined;
    let attempt = 0;
    // Taken before the step runs: a set or a container adds to the scope it shares with later steps.
    const input = this.inputOf(step, context);
    const started = performance.now();
    const env = {
      ...state.services,
      workspaceId: state.workspaceId,
      context,
      path,
      signal: state.signal,
      previous,
      resumedHere: state.resumedWait !== undefined && (state.resumedWait === '' || state.resumedWait === path),
      recordRequest: (request: unknown) =>
        store.recordAction(key, { runId: state.runId, status: 'pending', request, response: null, attempts: 0, durationMs: 0 }),
      runNested: (steps: readonly FlowStep[], prefix: string, scope: RunContext) => this.runList(steps, prefix, scope, state),
    };
    for (attempt = 1; attempt <= attempts; attempt++) {
      const stepStarted = performance.now();
      outcome = await kind.execute(step as never, env);
      if (!kind.container) this.metrics.actionDuration.observe({ kind: step.kind }, (performance.now() - stepStarted) / 1000);
      if (outcome.status !== 'failed' || !outcome.retryable || attempt === attempts || state.signal.aborted) break;
      this.metrics.retries.inc({ kind: step.kind });
      await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal: state.signal }).catch(() => undefined);
    }
    const final = outcome!;
    const recorded = final.resumeAt !== undefined ? { ...final.result, resumeAtMs: final.resumeAt } : final.result;
    await store.recordAction(key, {
      runId: state.runId,
      status: final.status,
      request: final.request ?? null,
      response: { ...forRecord(recorded), ...(final.error ? { error: final.error } : {}) },
      attempts: Math.min(attempt, attempts),
      durationMs: performance.now() - started,
      input,
    });
    return { ...final, exhausted: final.status === 'failed' && final.retryable === true && attempts > 1 };
  }

  /** Evaluates and renders without sending or writing anything; `exceeded` names the budget a hostile condition ran out of. */
  async dryRun(
    definition: FlowDefinition,
    workspaceId: string,
    event: { id?: string; eventType: string; source?: string; payload: unknown },
  ): Promise<{ matched: boolean; trace: ConditionsResult['trace']; actions: DryRunAction[]; exceeded?: ConditionsResult['exceeded'] }> {
    const conditions = evaluateConditions(definition.conditions, event.payload);
    if (conditions.exceeded) return { matched: false, trace: conditions.trace, actions: [], exceeded: conditions.exceeded };
    const context = this.contextFor({
      id: event.id ?? 'dry-run',
      workspaceId,
      source: event.source ?? 'clockify',
      eventType: event.eventType,
      payload: event.payload,
      receivedAt: this.runtime.now(),
    });
    const actions = await this.dryList(definition.actions, '', context, workspaceId, { executed: 0 });
    return { matched: conditions.matched, trace: conditions.trace, actions };
  }

  /**
   * "Execute this step": one top-level step on pinned data: the earlier steps' outputs of a past run
   * (`steps`), or, without them, the dry run of the earlier steps on the event. Read-only steps run
   * for real when `execute`; a step that writes only with `send` too; a container (branch, for-each)
   * shows its dry run, conditions evaluated. Nothing is recorded: no run, no ledger entry.
   */
  async executeStep(
    definition: FlowDefinition,
    workspaceId: string,
    index: number,
    pin: { event: { id?: string; eventType: string; source?: string; payload: unknown }; steps?: Record<string, Record<string, unknown>> },
    options: { execute: boolean; send: boolean; signal: AbortSignal },
  ): Promise<StepExecution> {
    const step = definition.actions[index]!;
    const context = this.contextFor({
      id: pin.event.id ?? 'step-test',
      workspaceId,
      source: pin.event.source ?? 'clockify',
      eventType: pin.event.eventType,
      payload: pin.event.payload,
      receivedAt: this.runtime.now(),
    });
    const budget = { executed: 0 };
    if (pin.steps) Object.assign(context.steps, pin.steps);
    else await this.dryList(definition.actions.slice(0, index), '', context, workspaceId, budget);
    const kind = stepKind(step.kind)!;
    const services = { ...this.dryServices(), httpAllowed: await this.httpActionsAllowed(workspaceId) };
    const writes = kind.writes?.(step as never, services) ?? false;
    const base = { stepId: step.id, kind: step.kind, writes, input: this.inputOf(step, context) };
    const started = performance.now();
    const only = step.onlyIf ? evaluateConditions(step.onlyIf, context) : undefined;
    if (only?.exceeded)
      return {
        ...base,
        mode: 'preview',
        status: 'failed',
        request: null,
        output: null,
        error: `onlyIf: ${only.exceeded.message}`,
        durationMs: 0,
      };
    if (only && !only.matched)
      return {
        ...base,
        mode: 'preview',
        status: 'skipped',
        request: { onlyIf: only.trace },
        output: null,
        note: 'skipped: its "only if" does not hold on this data',
        durationMs: 0,
      };
    if (!options.execute || kind.container || (writes && !options.send)) {
      const view = await kind.dryRun(step as never, {
        ...this.dryServices(),
        workspaceId,
        context,
        path: step.id,
        dryNested: this.dryNestedIn(workspaceId, budget),
      });
      return {
        ...base,
        mode: 'preview',
        status: view.error ? 'failed' : 'preview',
        request: view.request,
        output: view.result,
        ...(view.error ? { error: view.error } : {}),
        ...(view.note ? { note: view.note } : {}),
        ...(view.children ? { children: view.children } : {}),
        durationMs: performance.now() - started,
      };
    }
    const outcome = await kind.execute(step as never, {
      ...services,
      workspaceId,
      context,
      path: step.id,
      signal: options.signal,
      previous: undefined,
      // One step on its own is no run: nothing is resumed and nothing is recorded.
      resumedHere: false,
      recordRequest: async () => undefined,
      runNested: () => Promise.reject(new Error('containers are previewed, not executed')),
    });
    return {
      ...base,
      mode: 'executed',
      status: outcome.status,
      request: outcome.request ?? null,
      output: forRecord(outcome.resumeAt !== undefined ? { ...outcome.result, resumeAtMs: outcome.resumeAt } : outcome.result),
      ...(outcome.error ? { error: outcome.error } : {}),
      durationMs: performance.now() - started,
    };
  }

  /** The dry run of a step list in `scope`; each step's placeholder result goes into the scope for the next. */
  private async dryList(
    steps: readonly FlowStep[],
    prefix: string,
    scope: RunContext,
    workspaceId: string,
    budget: { executed: number },
  ): Promise<DryRunStep[]> {
    const services = this.dryServices();
    const dryNested = this.dryNestedIn(workspaceId, budget);
    const views: DryRunStep[] = [];
    for (const step of steps) {
      const path = prefix === '' ? step.id : `${prefix}.${step.id}`;
      const kind = stepKind(step.kind);
      if (!kind || ++budget.executed > FLOW_LIMITS.stepsPerRun) break;
      const only = step.onlyIf ? evaluateConditions(step.onlyIf, scope) : undefined;
      if (only && !only.matched) {
        views.push({
          actionId: step.id,
          path,
          kind: step.kind as StepKind,
          request: null,
          missing: [],
          note: 'would be skipped: its "only if" does not hold',
        });
        scope.steps[step.id] = { status: 'skipped', skipped: true };
        continue;
      }
      const view = await kind.dryRun(step as never, { ...services, workspaceId, context: scope, path, dryNested });
      views.push({
        actionId: step.id,
        path,
        kind: step.kind as StepKind,
        request: view.request,
        missing: view.missing,
        ...(view.error ? { error: view.error } : {}),
        ...(view.note ? { note: view.note } : {}),
        ...(view.children ? { children: view.children } : {}),
      });
      // Later steps see a placeholder result, so their templates render as far as they can.
      scope.steps[step.id] = { status: 'dry-run', body: null, ...view.result };
    }
    return views;
  }

  /** What a container's dry run calls for its nested lists: the same walk, sharing the step budget. */
  private dryNestedIn(workspaceId: string, budget: { executed: number }) {
    return (steps: readonly FlowStep[], prefix: string, scope: RunContext) => this.dryList(steps, prefix, scope, workspaceId, budget);
  }

  private dryServices(): StepServices {
    return { runtime: this.runtime, credentials: this.credentials, dispatcher: this.dispatcher, httpAllowed: true };
  }

  private inputOf(step: FlowStep, context: RunContext): Record<string, unknown> {
    return stepInput(step, context, this.runtime.redactor.redact);
  }

  private contextFor(event: ProcessableEvent): RunContext {
    return {
      event: event.payload,
      workspace: { id: event.workspaceId },
      steps: {},
      trigger: {
        eventId: event.id,
        eventType: event.eventType,
        source: event.source,
        receivedAt: new Date(event.receivedAt).toISOString(),
      },
    };
  }

  private async httpActionsAllowed(workspaceId: string): Promise<boolean> {
    if (!this.runtime.edition.capabilities.httpActions) return false;
    const settings = await this.runtime.settingsOf(workspaceId);
    return settings.enable_http_actions === true;
  }
}

/** A large result is kept as a preview, with its plain top-level fields (a for-each's count) still readable. */
function forRecord(result: Record<string, unknown>): Record<string, unknown> {
  const cut = truncateForRecord(result);
  if (cut === result) return result;
  const scalars = Object.fromEntries(Object.entries(result).filter(([, value]) => value === null || typeof value !== 'object'));
  return { ...scalars, ...(cut as Record<string, unknown>) };
}

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}
