import type { FlowTemplate } from '../template-inputs.js';
import { readUrl } from '../template-inputs.js';

/**
 * An entry added without a description gets a reminder a day later, if it still has none: the run
 * parks on a durable wait, then reads the entry again.
 */
export const descriptionReminder: FlowTemplate = {
  id: 'description-reminder',
  name: 'Remind a day later about entries without a description',
  description:
    'When a time entry is added without a description, wait a day; if it still has none, POST a reminder with the person’s email to a URL of yours (mail or chat hook).',
  editions: ['universal-webhook'],
  requiredInputs: [{ name: 'url', label: 'URL for reminders', type: 'url' }],
  build(inputs) {
    const url = readUrl(inputs, 'url');
    return {
      name: 'Description reminder after a day',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [{ path: '$.description', op: 'empty' }] },
      actions: [
        { id: 'later', name: 'Wait a day', kind: 'wait', for: { days: 1 } },
        {
          id: 'entry',
          name: 'Read the entry again',
          kind: 'clockify',
          operationId: 'getTimeEntry',
          params: { id: '{{ event.id }}' },
          // Deleted meanwhile (404): no reminder.
          continueOnFailure: true,
        },
        {
          id: 'who',
          name: 'Whose entry',
          kind: 'find',
          entity: 'user',
          by: { field: 'id', value: '{{ event.userId }}' },
          ifMissing: 'continue',
        },
        {
          id: 'remind',
          name: 'POST the reminder',
          kind: 'http',
          onlyIf: {
            mode: 'all',
            rules: [
              { path: '$.steps.entry.status', op: 'equals', value: 200 },
              { path: '$.steps.entry.body.description', op: 'empty' },
            ],
          },
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            to: '{{ steps.who.email }}',
            text: 'Your time entry of {{ event.timeInterval.start | formatDate:"EEE d MMM, HH:mm" }} (UTC) still has no description.',
            timeEntryId: '{{ event.id }}',
            userId: '{{ event.userId }}',
          },
          retry: { attempts: 5, backoffMs: 5_000 },
        },
      ],
    };
  },
};
