/**
 * The sidebar's door to the flow constants the server also uses (src/flows/shared/flow-constants.ts):
 * step kinds, operators, the id pattern and the limits come from there, never from a web copy. Only
 * the words people read (operator labels) live here.
 */
import {
  ACTION_ID_PATTERN,
  ACTION_KINDS,
  CONDITION_OPERATORS,
  FIND_ENTITIES,
  FIND_IF_MISSING,
  FLOW_LIMITS,
  HTTP_METHODS,
  OPERATORS_WITH_VALUE,
  STEP_KINDS,
  STOP_OUTCOMES,
} from '../../../src/flows/shared/flow-constants';
import type { ConditionOperator, FindEntity, StepKind } from '../../../src/flows/shared/flow-constants';

export { ACTION_KINDS, FIND_ENTITIES, FIND_IF_MISSING, FLOW_LIMITS, HTTP_METHODS, STEP_KINDS, STOP_OUTCOMES };
export type { FindEntity, StepKind };

export const ACTION_ID_REGEX = new RegExp(ACTION_ID_PATTERN);

const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  contains: 'contains',
  in: 'is one of',
  exists: 'exists',
  not_exists: 'does not exist',
  empty: 'is empty',
  not_empty: 'is not empty',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  matches: 'matches pattern',
};

/** The operators in the server's order, with their labels; a new server operator shows by its name until labelled. */
export const CONDITION_OPERATOR_CHOICES: { value: string; label: string; needsValue: boolean }[] = CONDITION_OPERATORS.map((value) => ({
  value,
  label: OPERATOR_LABELS[value] ?? value,
  needsValue: OPERATORS_WITH_VALUE.includes(value),
}));
