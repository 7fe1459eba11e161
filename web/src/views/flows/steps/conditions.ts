import type { ConditionGroup } from '../../../api/types';
import { isGroup } from '../../../lib/flow-draft';

/** Rules in a condition group, nested groups included. */
export function countRules(group: ConditionGroup | undefined): number {
  if (!group) return 0;
  return group.rules.reduce((sum, rule) => sum + (isGroup(rule) ? countRules(rule) : 1), 0);
}

/** Rules without a field path ('' or '$.'). */
export function emptyPaths(group: ConditionGroup): number {
  return group.rules.reduce(
    (sum, rule) => sum + (isGroup(rule) ? emptyPaths(rule) : !rule.path.trim() || rule.path.trim() === '$.' ? 1 : 0),
    0,
  );
}
