/**
 * The constants of the flow model shared by the server and the sidebar editor (web/ imports this file
 * by relative path). It must stay dependency-free: no imports at all, only literal data, so the
 * browser bundle can take it as is and both sides agree on kinds, operators and limits.
 */

/** The shortest allowed time between two occurrences of one flow's schedule. */
export const SCHEDULE_MIN_INTERVAL_MINUTES = 5;

export const FLOW_LIMITS = {
  nameLength: 100,
  descriptionLength: 2_000,
  events: 60,
  /** Steps in the flow's top-level list. */
  actions: 20,
  /** Steps in the whole flow, nested ones included. */
  stepsTotal: 50,
  /** Levels of nesting: a top-level step is depth 1, a step inside a branch or for-each depth 2, ... */
  stepDepth: 3,
  /** Steps one run may execute (a for-each repeats its steps), counted at run time. */
  stepsPerRun: 500,
  /** Items one for-each goes through at most (its `maxItems` may lower it). */
  forEachItems: 100,
  /** Size of the items list a for-each records when it starts (JSON), so a resumed run goes over the same list. */
  forEachItemsBytes: 262_144,
  /** Longest a wait step may park a run. */
  waitDays: 30,
  /** Pages of Clockify's list a find step reads (200 entities each) before it stops unsure. */
  findPages: 10,
  /** Values one set step defines. */
  setValues: 50,
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

/** A step id: unique in the whole flow (nested steps included); later steps read its result as steps.<id>. */
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

/** Operators that compare against a `value` (the others only look at the path). */
export const OPERATORS_WITH_VALUE: readonly ConditionOperator[] = [
  'equals',
  'not_equals',
  'contains',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Every step kind, in the order an editor offers them. The server has one folder per kind (src/flows/steps/<kind>/). */
export const STEP_KINDS = ['clockify', 'http', 'set', 'branch', 'for-each', 'find', 'wait', 'stop'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Kinds that call something outside (and so have `continueOnFailure` and `retry`). */
export const ACTION_KINDS: readonly StepKind[] = ['clockify', 'http'];
/** Kinds that hold nested step lists. */
export const CONTAINER_KINDS: readonly StepKind[] = ['branch', 'for-each'];

/** Outcomes a stop step may end the run with. */
export const STOP_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;

/** What a find step does when nothing matches. */
export const FIND_IF_MISSING = ['fail', 'continue', 'create'] as const;

/** Entities a find step can look up, the fields it can match on, and whether it can create one. */
export const FIND_ENTITIES = {
  project: { fields: ['id', 'name'], creatable: true, needsProject: false },
  client: { fields: ['id', 'name'], creatable: true, needsProject: false },
  user: { fields: ['id', 'name', 'email'], creatable: false, needsProject: false },
  tag: { fields: ['id', 'name'], creatable: true, needsProject: false },
  task: { fields: ['id', 'name'], creatable: true, needsProject: true },
  customField: { fields: ['id', 'name'], creatable: false, needsProject: false },
} as const;
export type FindEntity = keyof typeof FIND_ENTITIES;
export const FIND_ENTITY_KINDS = Object.keys(FIND_ENTITIES) as FindEntity[];

/** Template roots every step may use; `item` and `loop` exist only inside a for-each, `credentials` only in an HTTP step's URL and headers. */
export const TEMPLATE_ROOTS = ['event', 'workspace', 'steps', 'trigger', 'credentials', 'item', 'loop'] as const;
export const LOOP_ROOTS = ['item', 'loop'] as const;

/** Statuses of one step in a run's history. */
export const STEP_STATUSES = ['succeeded', 'failed', 'skipped', 'unknown', 'waiting'] as const;
