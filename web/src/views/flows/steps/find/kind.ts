import type { FindEntity } from '../../../../api/types';
import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const FIND_ENTITY_LABELS: Record<FindEntity, string> = { project: 'Project', client: 'Client', user: 'User', tag: 'Tag', task: 'Task', customField: 'Custom field' };
/** Entities a "find or create" can create. */
export const CREATABLE: readonly FindEntity[] = ['project', 'client', 'tag', 'task'];
/** Fields people look entities up by; any field name may be typed. */
export const FIND_FIELDS: Record<FindEntity, string[]> = {
  project: ['name', 'id'],
  client: ['name', 'id'],
  user: ['email', 'name', 'id'],
  tag: ['name', 'id'],
  task: ['name', 'id'],
  customField: ['name', 'id'],
};

export const findKind: StepKindInfo<'find'> = {
  kind: 'find',
  label: 'Find in workspace',
  icon: 'search',
  description: 'Look up a project, client, user, tag, task or custom field; create it if missing.',
  blank: (taken) => ({ id: uniqueActionId('find', taken), kind: 'find', entity: 'project', by: { field: 'name', value: '' }, ifMissing: 'fail' }),
  summary: (step) => `${step.ifMissing === 'create' ? 'Find or create' : 'Find'} ${FIND_ENTITY_LABELS[step.entity].toLowerCase()} by ${step.by.field}${step.by.value ? ` = ${step.by.value}` : ''}`,
  problems: (step) => [
    ...(step.by.field.trim() ? [] : ['choose the field to find by.']),
    ...(step.by.value.trim() ? [] : ['give the value to find.']),
    ...(step.entity === 'task' && !step.projectId?.trim() ? ['a task is found in a project: give the project id.'] : []),
    ...(step.ifMissing === 'create' && !CREATABLE.includes(step.entity) ? [`a ${FIND_ENTITY_LABELS[step.entity].toLowerCase()} cannot be created by a flow.`] : []),
  ],
};
