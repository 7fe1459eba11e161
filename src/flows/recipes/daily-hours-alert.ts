import type { FlowTemplate } from '../template-inputs.js';
import { readNumber, readTimeZone, readUrl } from '../template-inputs.js';

/**
 * When a finished entry brings its user's day past a number of hours, POST an alert. The day's total
 * comes from the reports API (a summary report of that user and day, in seconds), so entries made in
 * any order and from any device count.
 */
export const dailyHoursAlert: FlowTemplate = {
  id: 'daily-hours-alert',
  name: 'Alert when someone tracks too many hours in a day',
  description:
    "When a time entry is added or a timer stopped, add up its user's time that day (reports API); over the limit, POST an alert to a URL of yours. Every entry that ends the day over the limit alerts once.",
  editions: ['universal-webhook'],
  requiredInputs: [
    { name: 'hours', label: 'Hours per day', type: 'number' },
    { name: 'timeZone', label: 'Time zone of the days', type: 'time-zone' },
    { name: 'url', label: 'URL to alert', type: 'url' },
  ],
  build(inputs) {
    const hours = readNumber(inputs, 'hours', { min: 0.5, max: 24 });
    const zone = readTimeZone(inputs, 'timeZone');
    const url = readUrl(inputs, 'url');
    return {
      name: `Alert over ${hours} h a day`,
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY', 'TIMER_STOPPED'] },
      conditions: { mode: 'all', rules: [{ path: '$.timeInterval.end', op: 'not_empty' }] },
      actions: [
        {
          id: 'day',
          name: 'The day of the entry',
          kind: 'set',
          values: { start: `{{ event.timeInterval.start | startOf:"day","${zone}" }}` },
        },
        {
          id: 'report',
          name: "The user's total that day",
          kind: 'clockify',
          operationId: 'generateSummaryReport',
          body: {
            dateRangeStart: '{{ steps.day.start }}',
            dateRangeEnd: `{{ steps.day.start | addTime:"P1D","${zone}" | addTime:"-PT1S" }}`,
            users: { ids: ['{{ event.userId }}'], contains: 'CONTAINS', status: 'ALL' },
            summaryFilter: { groups: ['USER'] },
          },
          retry: { attempts: 3, backoffMs: 2_000 },
        },
        {
          id: 'alert',
          name: 'POST the alert',
          kind: 'http',
          onlyIf: { mode: 'all', rules: [{ path: '$.steps.report.body.totals[0].totalTime', op: 'gt', value: Math.round(hours * 3600) }] },
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            text: `{{ event.user.name | default:"Someone" }} has tracked {{ steps.report.body.totals[0].totalTime | hours | round:1 }} h on {{ steps.day.start | formatDate:"EEE d MMM","${zone}" }} (limit ${hours} h).`,
            userId: '{{ event.userId }}',
            day: `{{ steps.day.start | formatDate:"yyyy-MM-dd","${zone}" }}`,
            totalHours: '{{ steps.report.body.totals[0].totalTime | hours | round:2 }}',
            limitHours: hours,
            timeEntryId: '{{ event.id }}',
          },
          retry: { attempts: 5, backoffMs: 5_000 },
        },
      ],
    };
  },
};
