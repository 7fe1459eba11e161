/**
 * The recipes of docs/flows.md that fit the template gallery: each builds an ordinary flow from a
 * few inputs, and each has an end-to-end test against the sandbox in test/flows-e2e/recipes/.
 */
import type { FlowTemplate } from '../template-inputs.js';
import { dailyHoursAlert } from './daily-hours-alert.js';
import { descriptionReminder } from './description-reminder.js';
import { newUserGroup } from './new-user-group.js';
import { projectEstimateAlert } from './project-estimate-alert.js';
import { stopLongTimer } from './stop-long-timer.js';
import { ticketTag } from './ticket-tag.js';
import { timeOffNotice } from './time-off-notice.js';
import { weeklySummary } from './weekly-summary.js';

export const RECIPE_TEMPLATES: readonly FlowTemplate[] = [
  dailyHoursAlert,
  weeklySummary,
  stopLongTimer,
  timeOffNotice,
  newUserGroup,
  ticketTag,
  descriptionReminder,
  projectEstimateAlert,
];
