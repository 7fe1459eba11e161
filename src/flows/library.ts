/**
 * Ready-made flows a user can start from by filling in a few inputs. Each template builds an ordinary
 * flow definition, which is then validated and stored like any other. User inputs are written as
 * literal text (a `{{` in them is escaped), never as template expressions.
 */
import { RECIPE_TEMPLATES } from './recipes/index.js';
import {
  ALL_EDITIONS,
  literalText,
  readId,
  readText,
  readTextList,
  readUrl,
  timeEntryUpdateBody,
  type FlowEdition,
  type FlowTemplate,
} from './template-inputs.js';

export { TemplateInputError } from './template-inputs.js';
export type { FlowEdition, FlowTemplate, TemplateInput, TemplateInputType } from './template-inputs.js';

const tagProjectTimeEntries: FlowTemplate = {
  id: 'tag-project-time-entries',
  name: 'Tag new time entries of a project',
  description:
    'When a time entry is created on the chosen project without any tags, give it the chosen tag. Entries that already have tags are left alone, so no tag is ever removed.',
  editions: ALL_EDITIONS,
  requiredInputs: [
    { name: 'projectId', label: 'Project', type: 'project-id' },
    { name: 'tagId', label: 'Tag to add', type: 'tag-id' },
  ],
  build(inputs) {
    const projectId = readId(inputs, 'projectId');
    const tagId = readId(inputs, 'tagId');
    return {
      name: 'Tag new time entries of a project',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: {
        mode: 'all',
        rules: [
          { path: '$.projectId', op: 'equals', value: projectId },
          { path: '$.tagIds', op: 'empty' },
        ],
      },
      actions: [
        {
          id: 'tagEntry',
          name: 'Add the tag to the time entry',
          kind: 'clockify',
          operationId: 'updateTimeEntry',
          params: { id: '{{ event.id }}' },
          body: timeEntryUpdateBody({ tagIds: [tagId] }),
          retry: { attempts: 3, backoffMs: 2_000 },
        },
      ],
    };
  },
};

const defaultDescription: FlowTemplate = {
  id: 'default-time-entry-description',
  name: 'Give an empty description a default',
  description: 'When a time entry is created without a description, set the description you choose.',
  editions: ALL_EDITIONS,
  requiredInputs: [{ name: 'description', label: 'Default description', type: 'text' }],
  build(inputs) {
    const description = literalText(readText(inputs, 'description'));
    return {
      name: 'Default time entry description',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [{ path: '$.description', op: 'empty' }] },
      actions: [
        {
          id: 'setDescription',
          name: 'Set the default description',
          kind: 'clockify',
          operationId: 'updateTimeEntry',
          params: { id: '{{ event.id }}' },
          body: timeEntryUpdateBody({ description }),
          retry: { attempts: 3, backoffMs: 2_000 },
        },
      ],
    };
  },
};

const projectStandardTasks: FlowTemplate = {
  id: 'project-standard-tasks',
  name: 'Create standard tasks on every new project',
  description: 'When a project is created, add your standard tasks to it (one per line, at most 20).',
  editions: ALL_EDITIONS,
  requiredInputs: [{ name: 'taskNames', label: 'Task names (one per line)', type: 'text-list' }],
  build(inputs) {
    const names = readTextList(inputs, 'taskNames');
    return {
      name: 'Standard tasks for new projects',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_PROJECT'] },
      conditions: { mode: 'all', rules: [] },
      actions: names.map((name, index) => ({
        id: `createTask${index + 1}`,
        name: `Create task ${index + 1}`,
        kind: 'clockify' as const,
        operationId: 'createTask',
        params: { projectId: '{{ event.id }}' },
        body: { name: literalText(name) },
        // One failed task should not stop the others from being created.
        continueOnFailure: true,
        retry: { attempts: 3, backoffMs: 2_000 },
      })),
    };
  },
};

const notifyTimeOff: FlowTemplate = {
  id: 'notify-time-off-request',
  name: 'Notify an external URL when time off is requested',
  description: 'When someone requests time off, POST the request as JSON to a URL of yours (chat hook, HR system, …).',
  editions: ['universal-webhook'],
  requiredInputs: [{ name: 'url', label: 'URL to notify', type: 'url' }],
  build(inputs) {
    const url = readUrl(inputs, 'url');
    return {
      name: 'Time off request notification',
      enabled: true,
      trigger: { kind: 'clockify', events: ['TIME_OFF_REQUESTED'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        {
          id: 'notify',
          name: 'POST the request',
          kind: 'http',
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            type: 'TIME_OFF_REQUESTED',
            workspaceId: '{{ workspace.id }}',
            userId: '{{ event.userId }}',
            start: '{{ event.timeOffPeriod.period.start }}',
            end: '{{ event.timeOffPeriod.period.end }}',
            note: '{{ event.note }}',
            request: '{{ event }}',
          },
          retry: { attempts: 5, backoffMs: 5_000 },
        },
      ],
    };
  },
};

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  tagProjectTimeEntries,
  defaultDescription,
  projectStandardTasks,
  notifyTimeOff,
  ...RECIPE_TEMPLATES,
];

export function findFlowTemplate(id: string): FlowTemplate | undefined {
  return FLOW_TEMPLATES.find((template) => template.id === id);
}

export function flowTemplatesFor(edition: FlowEdition): FlowTemplate[] {
  return FLOW_TEMPLATES.filter((template) => template.editions.includes(edition));
}
