import type { FlowDefinition } from '../../api/types';
import { ACTION_ID_PATTERN, isGroup } from '../../lib/flow-draft';
import type { ConditionGroup } from '../../api/types';

/**
 * What the editor can tell before asking the server: the things a user forgets (a name, an event,
 * an action). The server's validation stays the authority and its field errors are shown too.
 */
export function draftProblems(draft: FlowDefinition, jsonErrors: number): string[] {
  const problems: string[] = [];
  if (!draft.name.trim()) problems.push('Give the flow a name.');
  if (draft.trigger.kind === 'clockify' && draft.trigger.events.length === 0) problems.push('Choose at least one event that starts the flow.');
  if (draft.trigger.kind === 'custom' && !draft.trigger.sourceId) problems.push('Choose the custom source that starts the flow.');
  if (draft.actions.length === 0) problems.push('Add at least one action.');
  const ids = new Set<string>();
  draft.actions.forEach((action, index) => {
    if (!ACTION_ID_PATTERN.test(action.id)) problems.push(`Step ${index + 1}: the id must start with a letter and use only letters, digits and _.`);
    else if (ids.has(action.id)) problems.push(`Step ${index + 1}: the id "${action.id}" is used twice.`);
    ids.add(action.id);
    if (action.kind === 'clockify' && !action.operationId) problems.push(`Step ${index + 1}: choose the Clockify operation to call.`);
    if (action.kind === 'http' && !/^https?:\/\/[^/\s]+/.test(action.url)) problems.push(`Step ${index + 1}: the URL must start with http:// or https:// and a host.`);
  });
  if (emptyPaths(draft.conditions) > 0) problems.push('Every condition needs a field path, such as $.projectId.');
  if (jsonErrors > 0) problems.push('Fix the JSON errors in the action bodies.');
  return problems;
}

function emptyPaths(group: ConditionGroup): number {
  return group.rules.reduce((sum, rule) => sum + (isGroup(rule) ? emptyPaths(rule) : !rule.path.trim() || rule.path.trim() === '$.' ? 1 : 0), 0);
}
