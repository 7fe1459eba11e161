import type { FlowTemplate } from '../template-inputs.js';
import { readTimeZone, readUrl } from '../template-inputs.js';

/** Every Friday at 16:00, the week so far from the reports API (per project), POSTed to a URL. */
export const weeklySummary: FlowTemplate = {
  id: 'weekly-summary',
  name: 'Post a weekly summary every Friday',
  description:
    "Every Friday at 16:00, read the week's hours per project from the reports API (Monday 00:00 until then) and POST them to a URL of yours (chat hook, spreadsheet, …).",
  editions: ['universal-webhook'],
  requiredInputs: [
    { name: 'timeZone', label: 'Time zone', type: 'time-zone' },
    { name: 'url', label: 'URL to post to', type: 'url' },
  ],
  build(inputs) {
    const zone = readTimeZone(inputs, 'timeZone');
    const url = readUrl(inputs, 'url');
    return {
      name: 'Weekly summary on Fridays',
      enabled: true,
      trigger: { kind: 'schedule', schedule: { at: '16:00', days: ['fri'] }, timeZone: zone, missed: 'run-once' },
      conditions: { mode: 'all', rules: [] },
      actions: [
        { id: 'week', name: 'Start of the week', kind: 'set', values: { start: `{{ event.scheduledFor | startOf:"week","${zone}" }}` } },
        {
          id: 'report',
          name: 'Hours per project',
          kind: 'clockify',
          operationId: 'generateSummaryReport',
          body: {
            dateRangeStart: '{{ steps.week.start }}',
            dateRangeEnd: '{{ event.scheduledFor }}',
            summaryFilter: { groups: ['PROJECT'] },
          },
          retry: { attempts: 3, backoffMs: 5_000 },
        },
        {
          id: 'post',
          name: 'POST the summary',
          kind: 'http',
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: {
            text: `Week of {{ steps.week.start | formatDate:"d MMM yyyy","${zone}" }}: {{ steps.report.body.totals[0].totalTime | hours | round:1 | default:0 }} h tracked.`,
            weekStart: '{{ steps.week.start }}',
            until: '{{ event.scheduledFor }}',
            totalHours: '{{ steps.report.body.totals[0].totalTime | hours | round:2 | default:0 }}',
            projects: '{{ steps.report.body.groupOne }}',
          },
          retry: { attempts: 5, backoffMs: 10_000 },
        },
      ],
    };
  },
};
