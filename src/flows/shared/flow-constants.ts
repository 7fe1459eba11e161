/**
 * Flow constants shared by the server (validation, executor) and the sidebar editor. No imports:
 * the web bundle pulls this file in as it is.
 */

export const STEP_KINDS = ['clockify', 'http', 'set', 'stop', 'branch', 'for-each', 'find', 'wait'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

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

export const FIND_ENTITIES = ['project', 'client', 'user', 'tag', 'task', 'customField'] as const;
export const CREATABLE_ENTITIES = ['project', 'client', 'tag', 'task'] as const;
export const IF_MISSING = ['fail', 'continue', 'create'] as const;
export const STOP_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;

export const FLOW_LIMITS = {
  /** Steps at the top level of a flow. */
  actions: 20,
  /** Steps in the whole flow, nested ones included. */
  stepsTotal: 50,
  /** Steps executed in one run (loops repeat theirs). */
  stepsPerRun: 500,
  forEachItems: 100,
  waitDays: 30,
  /** Branches and loops nest at most this many levels (the top level counts as 1). */
  stepDepth: 3,
  conditionDepth: 4,
  rulesPerGroup: 50,
} as const;
