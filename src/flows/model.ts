/**
 * The flow definition: "when event X matches the conditions, run these actions in order". The
 * TypeBox schemas are the single source of both the static types and the JSON schema shown in /docs.
 * Rules a JSON schema cannot say (condition depth, unique action ids, references to earlier steps,
 * catalog lookups) live in validate.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { literals, strict, ConditionGroupSchema } from './condition-schema.js';
import { HOUR_INTERVALS, MINUTE_INTERVALS, SCHEDULE_DAYS, SCHEDULE_MIN_INTERVAL_MINUTES } from './schedule.js';
import { branchStepSchema } from './steps/branch/schema.js';
import { clockifyStepSchema } from './steps/clockify/schema.js';
import { findStepSchema } from './steps/find/schema.js';
import { forEachStepSchema } from './steps/for-each/schema.js';
import { httpStepSchema } from './steps/http/schema.js';
import { setStepSchema } from './steps/set/schema.js';
import { stopStepSchema } from './steps/stop/schema.js';
import { waitStepSchema } from './steps/wait/schema.js';
import { FLOW_LIMITS } from './shared/flow-constants.js';

export { ACTION_ID_PATTERN, CONDITION_OPERATORS, FLOW_LIMITS, HTTP_METHODS, STEP_KINDS, TEMPLATE_ROOTS } from './shared/flow-constants.js';
export type { ConditionOperator, StepKind } from './shared/flow-constants.js';
export { ConditionGroupSchema, ConditionSchema } from './condition-schema.js';
export type { Condition, ConditionGroup } from './condition-schema.js';

export const ClockifyTriggerSchema = Type.Object(
  {
    kind: Type.Literal('clockify'),
    events: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: FLOW_LIMITS.events }),
  },
  strict,
);

export const CustomTriggerSchema = Type.Object(
  {
    kind: Type.Literal('custom'),
    sourceId: Type.String({ minLength: 1, maxLength: 100 }),
    eventTypes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: FLOW_LIMITS.events })),
  },
  strict,
);

export const MinutesScheduleSchema = Type.Object(
  {
    every: Type.Literal('minutes'),
    interval: Type.Union(
      MINUTE_INTERVALS.map((n) => Type.Literal(n)),
      { description: `Minutes between runs, on the local clock's marks (at least ${SCHEDULE_MIN_INTERVAL_MINUTES})` },
    ),
  },
  strict,
);
export const HoursScheduleSchema = Type.Object(
  {
    every: Type.Literal('hours'),
    interval: Type.Union(
      HOUR_INTERVALS.map((n) => Type.Literal(n)),
      { description: 'Hours between runs, on the hour' },
    ),
  },
  strict,
);
export const DailyScheduleSchema = Type.Object(
  {
    at: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time, HH:MM (24 h)' }),
    days: Type.Optional(Type.Array(literals(SCHEDULE_DAYS), { minItems: 1, maxItems: 7, description: 'Weekdays (default: every day)' })),
  },
  strict,
);

export const CronScheduleSchema = Type.Object(
  {
    cron: Type.String({
      minLength: 9,
      maxLength: 200,
      description: `Five-field cron: minute hour day-of-month month day-of-week, e.g. "0 17 * * 1-5" (at least ${SCHEDULE_MIN_INTERVAL_MINUTES} minutes apart)`,
    }),
  },
  strict,
);

export const ScheduleTriggerSchema = Type.Object(
  {
    kind: Type.Literal('schedule'),
    schedule: Type.Union([MinutesScheduleSchema, HoursScheduleSchema, DailyScheduleSchema, CronScheduleSchema]),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          "IANA time zone, e.g. 'Europe/Berlin' (default: the workspace's, filled in when the flow is saved; UTC if Clockify names none)",
      }),
    ),
    missed: Type.Optional(literals(['run-once', 'skip'] as const)),
  },
  strict,
);
export type ScheduleTrigger = Static<typeof ScheduleTriggerSchema>;

export const TriggerSchema = Type.Union([ClockifyTriggerSchema, CustomTriggerSchema, ScheduleTriggerSchema]);
export type FlowTrigger = Static<typeof TriggerSchema>;

export const ClockifyActionSchema = clockifyStepSchema();
export type ClockifyAction = Static<typeof ClockifyActionSchema>;
export const HttpActionSchema = httpStepSchema();
export type HttpAction = Static<typeof HttpActionSchema>;

/** The two kinds that call something outside (an "action" in the stored field's name). */
export const ActionSchema = Type.Union([ClockifyActionSchema, HttpActionSchema]);
export type FlowAction = Static<typeof ActionSchema>;

/** One step: the union over every kind, nested through branch and for-each. */
export const StepSchema = Type.Recursive(
  (This) =>
    Type.Union([
      clockifyStepSchema(This),
      httpStepSchema(This),
      setStepSchema(This),
      branchStepSchema(This),
      forEachStepSchema(This),
      findStepSchema(This),
      waitStepSchema(This),
      stopStepSchema(This),
    ]),
  { $id: 'FlowStep', description: `Nested at most ${FLOW_LIMITS.stepDepth} levels; ids unique in the whole flow` },
);
export type FlowStep = Static<typeof StepSchema>;
export type StepOf<K extends FlowStep['kind']> = Extract<FlowStep, { kind: K }>;
export type SetStep = StepOf<'set'>;
export type StopStep = StepOf<'stop'>;
export type BranchStep = StepOf<'branch'>;
export type ForEachStep = StepOf<'for-each'>;
export type FindStep = StepOf<'find'>;
export type WaitStep = StepOf<'wait'>;

export const FlowDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.nameLength }),
    description: Type.Optional(Type.String({ maxLength: FLOW_LIMITS.descriptionLength })),
    enabled: Type.Boolean(),
    trigger: TriggerSchema,
    conditions: ConditionGroupSchema,
    /** Kept as `actions` for stored flows and the API; its items are steps of any kind. */
    actions: Type.Array(StepSchema, { minItems: 1, maxItems: FLOW_LIMITS.actions }),
  },
  { ...strict, $id: 'FlowDefinition', title: 'Flow definition' },
);
export type FlowDefinition = Static<typeof FlowDefinitionSchema>;

/**
 * The minimal view of the Clockify operation catalog that validation needs; the real catalog
 * (src/clockify/catalog) satisfies it structurally.
 */
export interface CatalogOperationLike {
  operationId: string;
  method: string;
  parameters: readonly { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean };
  /** False when Clockify takes a personal API key only here (the spec's security): a flow cannot call it. */
  addonTokenAccepted?: boolean;
}
export interface CatalogLike {
  get(operationId: string): CatalogOperationLike | undefined;
}

/** Parameters the executor fills from the installation, so flows need not (and should not) set them. */
export const IMPLICIT_PARAMS: readonly string[] = ['workspaceId'];

/** The flow definition schema as plain JSON (no TypeBox symbols), for /docs and clients. */
export function flowDefinitionJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(FlowDefinitionSchema as TSchema)) as Record<string, unknown>;
  return withSingleIds(plain, new Set()) as Record<string, unknown>;
}

/** The definition as a response schema: Fastify's serializer refuses an $id defined twice. */
export const FlowDefinitionResponseSchema = Type.Unsafe<FlowDefinition>(flowDefinitionJsonSchema());

/** The condition group appears in every step (onlyIf): a schema may define an $id once, so later copies become references to it. */
function withSingleIds(node: unknown, seen: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => withSingleIds(item, seen));
  if (!node || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  if (typeof object.$id === 'string') {
    if (seen.has(object.$id)) return { $ref: object.$id };
    seen.add(object.$id);
  }
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, withSingleIds(value, seen)]));
}
