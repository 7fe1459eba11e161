/**
 * What a step kind declares about itself: one folder per kind (src/flows/steps/<kind>/) exports a
 * StepKindDefinition; the validator, the executor and the dry run only go through the registry.
 */
import type { TSchema } from '@sinclair/typebox';
import type { Dispatcher } from 'undici';
import type { CredentialStore } from '../../credentials/store.js';
import type { Runtime } from '../../runtime.js';
import type { FlowStep, StepKind } from '../model.js';
import type { TemplateContext } from '../templates.js';
import type { ProblemList } from '../validation-problems.js';
import type { FlowValidationContext } from '../validate.js';

/** The template context of a run, with the loop roots inside a for-each. */
export type RunContext = TemplateContext & {
  steps: Record<string, Record<string, unknown>>;
  item?: unknown;
  loop?: { index: number; count: number };
};

export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'unknown' | 'waiting';

/** What running one step produced. */
export interface StepOutcome {
  status: StepStatus;
  /** What later steps read as steps.<id> (and what the history shows as output). */
  result: Record<string, unknown>;
  /** What was sent or evaluated (redacted), for the history. */
  request?: unknown;
  error?: string;
  /** Worth another attempt (network, 429, 5xx). */
  retryable?: boolean;
  /** A stop step: the run ends with this outcome. */
  stop?: { outcome: 'succeeded' | 'failed' | 'skipped'; message: string | null };
  /** A wait step: the run parks until then (epoch ms). */
  resumeAt?: number;
  /** A nested list ended the run (stop, failure or wait inside a container). */
  end?: RunEnd;
  /** The run went over a limit: it fails and says which. */
  limit?: string;
}

export interface RunEnd {
  status: 'succeeded' | 'failed' | 'skipped' | 'dead' | 'waiting';
  error: string | null;
}

/** The history record of this step from an earlier attempt of the same run (a resumed or retried run). */
export interface PreviousRecord {
  status: string;
  request: unknown;
  response: unknown;
  attempts: number;
}

export interface StepServices {
  runtime: Runtime;
  credentials: CredentialStore;
  dispatcher: () => Dispatcher;
  httpAllowed: boolean;
}

/** Everything a step needs to run. */
export interface StepEnv extends StepServices {
  workspaceId: string;
  context: RunContext;
  /** The step's path in the run, e.g. `loop1[3].tagIt`. */
  path: string;
  signal: AbortSignal;
  previous: PreviousRecord | undefined;
  /**
   * The run was taken up by this step's own resume job (a wait's): the queue found it due, so the
   * step goes on whatever this instance's clock says.
   */
  resumedHere: boolean;
  /** Writes the step's request into its record before it finishes (a for-each's items, read again on a resume). */
  recordRequest(request: unknown): Promise<void>;
  /** Containers: runs a nested list under `prefix` (its steps' paths start with it) in `context`. */
  runNested(steps: readonly FlowStep[], prefix: string, context: RunContext): Promise<RunEnd | undefined>;
}

/** One step in a dry run: what would happen, never done. */
export interface DryRunStep {
  actionId: string;
  path: string;
  kind: StepKind;
  request: unknown;
  missing: string[];
  error?: string;
  /** What the step would do, in words (a wait's resume time, a find's cache hit, a branch's arm). */
  note?: string;
  children?: DryRunStep[];
}

export interface DryRunEnv extends Omit<StepEnv, 'runNested' | 'previous' | 'signal' | 'resumedHere' | 'recordRequest'> {
  /** Containers: the dry run of a nested list. */
  dryNested(steps: readonly FlowStep[], prefix: string, context: RunContext): Promise<DryRunStep[]>;
}

export interface DryRunView {
  request: unknown;
  missing: string[];
  error?: string;
  note?: string;
  /** Placeholder result later steps see. */
  result: Record<string, unknown>;
  children?: DryRunStep[];
}

/** A nested step list a container holds. */
export interface NestedList {
  key: string;
  steps: unknown;
  /** True when the list runs once per item (the `item` and `loop` roots exist in it). */
  loop?: boolean;
}

export interface StepKindDefinition<S extends FlowStep = FlowStep> {
  kind: S['kind'];
  /** The step's schema; `step` is the schema nested lists hold (the recursive union, or Unknown for a shell check). */
  schema(step: TSchema): TSchema;
  /** Nested step lists (containers only); validation and execution recurse into them. */
  nested?(step: S | Record<string, unknown>): NestedList[];
  /** Fields whose strings may be templates, as [key, value]. */
  templates(step: S | Record<string, unknown>): [string, unknown][];
  /** Fields where `{{ credentials.<name> }}` may appear (only an HTTP step's URL and headers). */
  credentialPlaces?: readonly string[];
  /** A capability the workspace must have switched on for the kind to run. */
  needs?: 'httpActions';
  /** Condition groups besides onlyIf (a branch's `if`), as [key, group]. */
  conditions?(step: S | Record<string, unknown>): [string, unknown][];
  /** Rules beyond the schema (called only when the schema check passed). */
  validate?(step: S, field: string, ctx: FlowValidationContext, problems: ProblemList): void;
  /**
   * Can it be safely sent again when an earlier attempt stopped mid-step? False (a POST, a create):
   * the step is marked unknown instead of acting twice.
   */
  idempotent(step: S, services: StepServices): boolean;
  /**
   * Does running it change something outside (a Clockify write, a request elsewhere, a creation)?
   * "Execute this step" sends such a step only when asked to explicitly; absent: it only reads.
   */
  writes?(step: S, services: StepServices): boolean;
  /** Containers are re-entered on a resumed run (their children reuse their own records); leaves reuse their record. */
  container?: boolean;
  execute(step: S, env: StepEnv): Promise<StepOutcome>;
  dryRun(step: S, env: DryRunEnv): Promise<DryRunView>;
}
