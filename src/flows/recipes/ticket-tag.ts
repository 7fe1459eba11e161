import type { FlowTemplate } from '../template-inputs.js';
import { literalText, readText, timeEntryUpdateBody } from '../template-inputs.js';

/** An issue key such as `PROJ-123` anywhere in the description (upper-case key, dash, number). */
export const TICKET_PATTERN = '(^|[^A-Za-z0-9])[A-Z][A-Z0-9]+-[0-9]+([^A-Za-z0-9]|$)';

/** Entries naming a ticket get a tag (found or created by name), so ticket work can be reported apart. */
export const ticketTag: FlowTemplate = {
  id: 'ticket-tag',
  name: 'Tag entries that name a ticket',
  description:
    'When a time entry without tags mentions an issue key such as PROJ-123 in its description, give it the tag you name (created the first time). Entries that already have tags are left alone.',
  editions: ['api-studio', 'universal-webhook', 'clockify-addon'],
  requiredInputs: [{ name: 'tagName', label: 'Tag name', type: 'text' }],
  build(inputs) {
    const tag = literalText(readText(inputs, 'tagName').trim());
    return {
      name: 'Tag entries with a ticket id',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: {
        mode: 'all',
        rules: [
          { path: '$.description', op: 'matches', value: TICKET_PATTERN },
          { path: '$.tagIds', op: 'empty' },
        ],
      },
      actions: [
        { id: 'tag', name: 'The tag', kind: 'find', entity: 'tag', by: { field: 'name', value: tag }, ifMissing: 'create' },
        {
          id: 'tagEntry',
          name: 'Tag the entry',
          kind: 'clockify',
          operationId: 'updateTimeEntry',
          params: { id: '{{ event.id }}' },
          body: timeEntryUpdateBody({ tagIds: ['{{ steps.tag.id }}'] }),
          retry: { attempts: 3, backoffMs: 2_000 },
        },
      ],
    };
  },
};
