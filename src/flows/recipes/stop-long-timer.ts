import type { FlowTemplate } from '../template-inputs.js';
import { readNumber, readUrl } from '../template-inputs.js';

/**
 * A timer still running so many hours after it started is stopped at that time, and a URL told. The
 * run waits (durably) until then, reads the entry again and acts only if that very timer still runs.
 */
export const stopLongTimer: FlowTemplate = {
  id: 'stop-long-timer',
  name: 'Stop timers left running too long',
  description:
    'When a timer starts, wait; if it is still running after the hours you choose, stop it at that time and POST a notice to a URL of yours. A timer stopped before then is left alone.',
  editions: ['universal-webhook'],
  requiredInputs: [
    { name: 'hours', label: 'Stop after (hours)', type: 'number' },
    { name: 'url', label: 'URL to notify', type: 'url' },
  ],
  build(inputs) {
    const hours = readNumber(inputs, 'hours', { min: 1, max: 720, integer: true });
    const url = readUrl(inputs, 'url');
    const deadline = `{{ event.timeInterval.start | addTime:"PT${hours}H" }}`;
    return {
      name: `Stop timers after ${hours} h`,
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIMER_STARTED'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        { id: 'later', name: `Wait until ${hours} h after the start`, kind: 'wait', until: deadline },
        {
          id: 'entry',
          name: 'Read the entry again',
          kind: 'clockify',
          operationId: 'getTimeEntry',
          params: { id: '{{ event.id }}' },
          // A deleted entry answers 404: nothing to stop.
          continueOnFailure: true,
        },
        {
          id: 'stillRunning',
          kind: 'branch',
          if: {
            mode: 'all',
            rules: [
              { path: '$.steps.entry.status', op: 'equals', value: 200 },
              { path: '$.steps.entry.body.timeInterval.end', op: 'empty' },
            ],
          },
          then: [
            {
              id: 'stopTimer',
              name: 'Stop the timer',
              kind: 'clockify',
              operationId: 'stopRunningTimeEntry',
              params: { userId: '{{ event.userId }}' },
              body: { end: deadline },
              retry: { attempts: 3, backoffMs: 2_000 },
            },
            {
              id: 'notify',
              name: 'POST the notice',
              kind: 'http',
              method: 'POST',
              url,
              headers: { 'content-type': 'application/json' },
              body: {
                text: `Stopped the timer of {{ event.user.name | default:"someone" }} ("{{ event.description }}") after ${hours} h.`,
                timeEntryId: '{{ event.id }}',
                userId: '{{ event.userId }}',
                start: '{{ event.timeInterval.start }}',
                end: deadline,
              },
              retry: { attempts: 5, backoffMs: 5_000 },
            },
          ],
          else: [{ id: 'alreadyStopped', kind: 'stop', outcome: 'skipped', message: 'the timer was stopped in time' }],
        },
      ],
    };
  },
};
