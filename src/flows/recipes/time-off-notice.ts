import type { FlowTemplate } from '../template-inputs.js';
import { readTimeZone, readUrl } from '../template-inputs.js';

/** A time-off request, told to a URL in words: who (found by id) and which days, in the team's time zone. */
export const timeOffNotice: FlowTemplate = {
  id: 'time-off-notice',
  name: 'Announce time-off requests with name and dates',
  description:
    'When someone requests time off, POST a readable message to a URL of yours: their name and email and the first and last day, in your time zone.',
  editions: ['universal-webhook'],
  requiredInputs: [
    { name: 'timeZone', label: 'Time zone of the dates', type: 'time-zone' },
    { name: 'url', label: 'URL to post to', type: 'url' },
  ],
  build(inputs) {
    const zone = readTimeZone(inputs, 'timeZone');
    const url = readUrl(inputs, 'url');
    const day = (path: string) => `{{ ${path} | formatDate:"EEE d MMM yyyy","${zone}" }}`;
    return {
      name: 'Time-off requests, announced',
      enabled: true,
      trigger: { kind: 'clockify', events: ['TIME_OFF_REQUESTED'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        {
          id: 'who',
          name: 'Who asked',
          kind: 'find',
          entity: 'user',
          by: { field: 'id', value: '{{ event.userId }}' },
          ifMissing: 'continue',
        },
        {
          id: 'announce',
          name: 'POST the message',
          kind: 'http',
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            text: `{{ steps.who.name | default:"Someone" }} requested time off from ${day('event.timeOffPeriod.period.start')} to ${day('event.timeOffPeriod.period.end')}.`,
            name: '{{ steps.who.name }}',
            email: '{{ steps.who.email }}',
            userId: '{{ event.userId }}',
            requestId: '{{ event.id }}',
            start: '{{ event.timeOffPeriod.period.start }}',
            end: '{{ event.timeOffPeriod.period.end }}',
            note: '{{ event.note }}',
          },
          retry: { attempts: 5, backoffMs: 5_000 },
        },
      ],
    };
  },
};
