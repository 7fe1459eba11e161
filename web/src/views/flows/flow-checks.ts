import type { FlowDefinition } from '../../api/types';
import { emptyPaths } from './steps/conditions';
import { stepProblems } from './steps/tree';

/**
 * What the editor can tell before asking the server: the things a user forgets (a name, an event,
 * a step's required field). The server's validation stays the authority and its field errors are shown too.
 */
export function draftProblems(draft: FlowDefinition, jsonErrors: number): string[] {
  const problems: string[] = [];
  if (!draft.name.trim()) problems.push('Give the flow a name.');
  if (draft.trigger.kind === 'clockify' && draft.trigger.events.length === 0)
    problems.push('Choose at least one event that starts the flow.');
  if (draft.trigger.kind === 'custom' && !draft.trigger.sourceId) problems.push('Choose the custom source that starts the flow.');
  problems.push(...stepProblems(draft.actions));
  if (emptyPaths(draft.conditions) > 0) problems.push('Every condition needs a field path, such as $.projectId.');
  if (jsonErrors > 0) problems.push('Fix the JSON errors in the step bodies.');
  return problems;
}
