import type { FlowTemplate } from '../template-inputs.js';
import { readNumber, readUrl } from '../template-inputs.js';

/** A new project estimated at more than a number of hours is announced to a URL (for a review, say). */
export const projectEstimateAlert: FlowTemplate = {
  id: 'project-estimate-alert',
  name: 'Announce new projects estimated over a number of hours',
  description:
    'When a project is created with a time estimate over the hours you choose, POST its name, client and estimate to a URL of yours.',
  editions: ['universal-webhook'],
  requiredInputs: [
    { name: 'hours', label: 'Estimate over (hours)', type: 'number' },
    { name: 'url', label: 'URL to notify', type: 'url' },
  ],
  build(inputs) {
    const hours = readNumber(inputs, 'hours', { min: 1, max: 100_000, integer: true });
    const url = readUrl(inputs, 'url');
    return {
      name: `Projects estimated over ${hours} h`,
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_PROJECT'] },
      // Clockify writes estimates as ISO 8601 durations; `gt` compares them as durations.
      conditions: { mode: 'all', rules: [{ path: '$.estimate.estimate', op: 'gt', value: `PT${hours}H` }] },
      actions: [
        {
          id: 'announce',
          name: 'POST the project',
          kind: 'http',
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            text: `New project "{{ event.name }}" ({{ event.clientName | default:"no client" }}) is estimated at {{ event.estimate.estimate | hours }} h, over ${hours} h.`,
            projectId: '{{ event.id }}',
            name: '{{ event.name }}',
            clientName: '{{ event.clientName }}',
            estimateHours: '{{ event.estimate.estimate | hours }}',
            limitHours: hours,
          },
          retry: { attempts: 5, backoffMs: 5_000 },
        },
      ],
    };
  },
};
