import type { WorkspaceData } from '../data/workspace.js';
import type { TriggerContext } from '../webhook-registry.js';
import { samplePayload } from '../webhook-samples.js';
import type { Item } from './store.js';

/**
 * Which webhook event a change through the generic store fires, by operation. A function picks the
 * event from the request body where Clockify's depends on it (approve or reject a time-off request).
 */
type EventRule = string | ((body: Record<string, unknown>, item: Item) => string | undefined);

const statusOf = (body: Record<string, unknown>): string =>
  String(body['status'] ?? (body['status'] as { statusType?: unknown } | undefined)?.statusType ?? '').toUpperCase();

export const EVENTS_BY_OPERATION: Readonly<Record<string, EventRule>> = {
  createExpense: 'EXPENSE_CREATED',
  updateExpense: 'EXPENSE_UPDATED',
  deleteExpense: 'EXPENSE_DELETED',
  createInvoice: 'NEW_INVOICE',
  duplicateInvoice: 'NEW_INVOICE',
  updateInvoice: 'INVOICE_UPDATED',
  changeInvoiceStatus: 'INVOICE_UPDATED',
  addInvoiceItem: 'INVOICE_UPDATED',
  removeInvoiceItem: 'INVOICE_UPDATED',
  importTimeEntriesAndExpenses: 'INVOICE_UPDATED',
  createInvoicePayment: 'INVOICE_UPDATED',
  deletePaymentById: 'INVOICE_UPDATED',
  createTimeOffRequest: 'TIME_OFF_REQUESTED',
  createTimeOffRequestForOther: 'TIME_OFF_REQUESTED',
  changeTimeOffRequestStatus: (body) => {
    const status = statusOf(body);
    if (status === 'APPROVED') return 'TIME_OFF_REQUEST_APPROVED';
    if (status === 'REJECTED') return 'TIME_OFF_REQUEST_REJECTED';
    return undefined;
  },
  deleteTimeOffRequest: 'TIME_OFF_REQUEST_WITHDRAWN',
  createApprrovalRequest: 'NEW_APPROVAL_REQUEST',
  createApprovalForOther: 'NEW_APPROVAL_REQUEST',
  resubmitApprovalRequest: 'NEW_APPROVAL_REQUEST',
  resubmitApprovalRequestForOther: 'NEW_APPROVAL_REQUEST',
  updateApprovalStatus: 'APPROVAL_REQUEST_STATUS_UPDATED',
  createRecurring: 'ASSIGNMENT_CREATED',
  copyAssignment: 'ASSIGNMENT_CREATED',
  editRecurring: 'ASSIGNMENT_UPDATED',
  editRecurringPeriod: 'ASSIGNMENT_UPDATED',
  deleteRRecurringAssignment: 'ASSIGNMENT_DELETED',
  publishAssignments: 'ASSIGNMENT_PUBLISHED',
  updateBalance: 'BALANCE_UPDATED',
  setWorkspaceHourlyRate: 'BILLABLE_RATE_UPDATED',
  setHourlyRateForUser: 'BILLABLE_RATE_UPDATED',
  addUsersHourlyRate: 'BILLABLE_RATE_UPDATED',
  setTaskHourlyRate: 'BILLABLE_RATE_UPDATED',
  setWorkspaceCostRate: 'COST_RATE_UPDATED',
  setCostRateForUser: 'COST_RATE_UPDATED',
  addUsersCostRate: 'COST_RATE_UPDATED',
  setTaskCostRate: 'COST_RATE_UPDATED',
  addLimitedUsersWithInfo: 'LIMITED_USERS_ADDED_TO_WORKSPACE',
  addUsers: 'USERS_INVITED_TO_WORKSPACE',
  updateUserStatus: (body) => (statusOf(body) === 'INACTIVE' ? 'USER_DEACTIVATED_ON_WORKSPACE' : 'USER_ACTIVATED_ON_WORKSPACE'),
  removeMember: 'USER_DELETED_FROM_WORKSPACE',
  updateMemberProfileWithAdditionalData: 'USER_UPDATED',
};

/** Sample fields that carry the changed entity's id under another name. */
const ID_ALIASES: Readonly<Record<string, string>> = {
  EXPENSE_UPDATED: 'expenseId',
  EXPENSE_DELETED: 'expenseId',
  ASSIGNMENT_CREATED: 'assignmentId',
  ASSIGNMENT_UPDATED: 'assignmentId',
  ASSIGNMENT_DELETED: 'assignmentId',
};

export function eventFor(operationId: string, body: unknown, item: Item): string | undefined {
  const rule = EVENTS_BY_OPERATION[operationId];
  if (rule === undefined) return undefined;
  return typeof rule === 'string' ? rule : rule(isRecord(body) ? body : {}, item);
}

/**
 * The payload: the event's sample (resources/clockify/webhook-samples.json, ids made real) with every
 * field the changed item also has, of the same kind, taken from the item. Shaped like Clockify's
 * sample, about this item.
 */
export function eventPayload(ws: WorkspaceData, event: string, item: Item): { payload: unknown; trigger: TriggerContext } {
  const sample = samplePayload(event, ws);
  const payload = isRecord(sample) ? overlay(sample, item) : sample;
  const alias = ID_ALIASES[event];
  if (alias && isRecord(payload) && typeof item['id'] === 'string') payload[alias] = item['id'];
  const trigger: TriggerContext = {
    ...(typeof item['projectId'] === 'string' ? { projectId: item['projectId'] } : {}),
    ...(typeof item['userId'] === 'string' ? { userId: item['userId'] } : {}),
  };
  return { payload, trigger };
}

function overlay(sample: Record<string, unknown>, item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sample };
  for (const [key, value] of Object.entries(sample)) {
    const mine = item[key];
    if (mine === undefined) continue;
    if (isRecord(value) && isRecord(mine)) out[key] = overlay(value, mine);
    else if (value === null || typeof value === typeof mine || (Array.isArray(value) && Array.isArray(mine))) out[key] = mine;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
