/**
 * The flow definition: "when event X matches the conditions, run these actions in order". The
 * TypeBox schemas are the single source of both the static types and the JSON schema shown in /docs.
 * Rules a JSON schema cannot say (condition depth, unique action ids, references to earlier steps,
 * catalog lookups) live in validate.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { HOUR_INTERVALS, MINUTE_INTERVALS, SCHEDULE_DAYS, SCHEDULE_MIN_INTERVAL_MINUTES } from './schedule.js';

export const FLOW_LIMITS = {
  nameLength: 100,
  descriptionLength: 2_000,
  events: 60,
  actions: 20,
  /** The top-level group counts as depth 1. */
  conditionDepth: 4,
  rulesPerGroup: 50,
  /** Conditions in the whole tree, all groups together. */
  conditions: 200,
  pathLength: 500,
  params: 50,
  headers: 30,
  urlLength: 2_048,
  retryAttempts: 10,
  retryBackoffMs: 60_000,
  /** Shortest time between two runs of a scheduled flow. */
  scheduleMinIntervalMinutes: SCHEDULE_MIN_INTERVAL_MINUTES,
} as const;

export const ACTION_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,39}$';

export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'exists',
  'not_exists',
  'empty',
  'not_empty',
  'contains',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const strict = { additionalProperties: false } as const;

function literals<T extends string>(values: readonly T[]) {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

export const ConditionSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.pathLength, description: "RFC 9535 JSONPath into the event, e.g. '$.projectId'" }),
    op: literals(CONDITION_OPERATORS),
    value: Type.Optional(
      Type.Unknown({
        description:
          "Operand: any JSON for equals/contains, an array for 'in', a number or ISO date/duration for gt/gte/lt/lte, a pattern string (or { pattern, ignoreCase }) for 'matches'",
      }),
    ),
  },
  strict,
);
export type Condition = Static<typeof ConditionSchema>;

export const ConditionGroupSchema = Type.Recursive(
  (This) =>
    Type.Object(
      {
        mode: literals(['all', 'any'] as const),
        rules: Type.Array(Type.Union([ConditionSchema, This]), { maxItems: FLOW_LIMITS.rulesPerGroup }),
      },
      strict,
    ),
  { $id: 'FlowConditionGroup', description: `Nested at most ${FLOW_LIMITS.conditionDepth} levels deep; a group without rules always holds` },
);
export type ConditionGroup = Static<typeof ConditionGroupSchema>;

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
  { every: Type.Literal('minutes'), interval: Type.Union(MINUTE_INTERVALS.map((n) => Type.Literal(n)), { description: `Minutes between runs, on the local clock's marks (at least ${SCHEDULE_MIN_INTERVAL_MINUTES})` }) },
  strict,
);
export const HoursScheduleSchema = Type.Object(
  { every: Type.Literal('hours'), interval: Type.Union(HOUR_INTERVALS.map((n) => Type.Literal(n)), { description: 'Hours between runs, on the hour' }) },
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
  { cron: Type.String({ minLength: 9, maxLength: 200, description: `Five-field cron: minute hour day-of-month month day-of-week, e.g. "0 17 * * 1-5" (at least ${SCHEDULE_MIN_INTERVAL_MINUTES} minutes apart)` }) },
  strict,
);

export const ScheduleTriggerSchema = Type.Object(
  {
    kind: Type.Literal('schedule'),
    schedule: Type.Union([MinutesScheduleSchema, HoursScheduleSchema, DailyScheduleSchema, CronScheduleSchema]),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone, e.g. 'Europe/Berlin' (default: the workspace's, filled in when the flow is saved; UTC if Clockify names none)" })),
    missed: Type.Optional(literals(['run-once', 'skip'] as const)),
  },
  strict,
);
export type ScheduleTrigger = Static<typeof ScheduleTriggerSchema>;

export const TriggerSchema = Type.Union([ClockifyTriggerSchema, CustomTriggerSchema, ScheduleTriggerSchema]);
export type FlowTrigger = Static<typeof TriggerSchema>;

const RetrySchema = Type.Object(
  {
    attempts: Type.Integer({ minimum: 1, maximum: FLOW_LIMITS.retryAttempts }),
    backoffMs: Type.Integer({ minimum: 0, maximum: FLOW_LIMITS.retryBackoffMs }),
  },
  strict,
);

const actionBase = {
  id: Type.String({ pattern: ACTION_ID_PATTERN, description: 'Unique in the flow; later actions read its result as steps.<id>' }),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  continueOnFailure: Type.Optional(Type.Boolean()),
  retry: Type.Optional(RetrySchema),
};

export const ClockifyActionSchema = Type.Object(
  {
    ...actionBase,
    kind: Type.Literal('clockify'),
    operationId: Type.String({ minLength: 1, maxLength: 100 }),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        maxProperties: FLOW_LIMITS.params,
        description: 'Path and query parameters: constants or template strings. workspaceId is filled in automatically.',
      }),
    ),
    body: Type.Optional(Type.Unknown({ description: 'JSON body; any string in it may be a template' })),
  },
  strict,
);
export type ClockifyAction = Static<typeof ClockifyActionSchema>;

export const HttpActionSchema = Type.Object(
  {
    ...actionBase,
    kind: Type.Literal('http'),
    method: literals(HTTP_METHODS),
    url: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.urlLength, description: 'http(s) URL; templates allowed after the scheme' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 4_096 }), { maxProperties: FLOW_LIMITS.headers })),
    body: Type.Optional(Type.Unknown()),
    credential: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,59}$', description: 'A credential of the workspace put into the request by its kind: a header, Authorization: Bearer/Basic, or a query parameter' })),
  },
  strict,
);
export type HttpAction = Static<typeof HttpActionSchema>;

export const ActionSchema = Type.Union([ClockifyActionSchema, HttpActionSchema]);
export type FlowAction = Static<typeof ActionSchema>;

export const FlowDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.nameLength }),
    description: Type.Optional(Type.String({ maxLength: FLOW_LIMITS.descriptionLength })),
    enabled: Type.Boolean(),
    trigger: TriggerSchema,
    conditions: ConditionGroupSchema,
    actions: Type.Array(ActionSchema, { minItems: 1, maxItems: FLOW_LIMITS.actions }),
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

/** The template context roots a flow may reference (`credentials` only in an HTTP action's URL and headers). */
export const TEMPLATE_ROOTS = ['event', 'workspace', 'steps', 'trigger', 'credentials'] as const;

/** The flow definition schema as plain JSON (no TypeBox symbols), for /docs and clients. */
export function flowDefinitionJsonSchema(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(FlowDefinitionSchema as TSchema)) as Record<string, unknown>;
}
