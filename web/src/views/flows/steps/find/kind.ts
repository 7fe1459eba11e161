import type { FindEntity } from '../../../../api/types';
import { FIND_ENTITIES } from '../../../../lib/flow-constants';
import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const FIND_ENTITY_LABELS: Record<FindEntity, string> = {
  project: 'Project',
  client: 'Client',
  user: 'User',
  tag: 'Tag',
  task: 'Task',
  customField: 'Custom field',
};

/** The fields an entity is found by, the likely one (name) first. */
export function findFields(entity: FindEntity): string[] {
  const fields: readonly string[] = FIND_ENTITIES[entity].fields;
  return [...fields].sort((a, b) => (a === 'name' ? -1 : b === 'name' ? 1 : 0));
}

export const canCreate = (entity: FindEntity): boolean => FIND_ENTITIES[entity].creatable;

export const findKind: StepKindInfo<'find'> = {
  kind: 'find',
  label: 'Find in workspace',
  icon: 'search',
  description: 'Look up a project, client, user, tag, task or custom field; create it if missing.',
  blank: (taken) => ({
    id: uniqueActionId('find', taken),
    kind: 'find',
    entity: 'project',
    by: { field: 'name', value: '' },
    ifMissing: 'fail',
  }),
  summary: (step) =>
    `${step.ifMissing === 'create' ? 'Find or create' : 'Find'} ${FIND_ENTITY_LABELS[step.entity].toLowerCase()} by ${step.by.field}${step.by.value ? ` = ${step.by.value}` : ''}`,
  problems: (step) => [
    ...(step.by.field.trim() ? [] : ['choose the field to find by.']),
    ...(step.by.value.trim() ? [] : ['give the value to find.']),
    ...(FIND_ENTITIES[step.entity].needsProject && !step.projectId?.trim() ? ['a task is found in a project: give the project id.'] : []),
    ...(step.ifMissing === 'create' && !canCreate(step.entity)
      ? [`a ${FIND_ENTITY_LABELS[step.entity].toLowerCase()} cannot be created by a flow.`]
      : []),
  ],
};
