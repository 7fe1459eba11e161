/**
 * Clockify webhook events, with where each may be declared. Manifest schemas 1.3/1.4 accept 22
 * events and 1.2 accepts 42 (resources/clockify/manifest-schema-*.json); the REST API accepts all 51
 * (CreateWebhookRequestV1.webhookEvent in openapi.json). Events a manifest cannot carry reach the
 * add-on through webhooks it registers itself at install time.
 */
export const CLOCKIFY_EVENTS = [
  'NEW_PROJECT',
  'PROJECT_UPDATED',
  'PROJECT_DELETED',
  'NEW_TASK',
  'TASK_UPDATED',
  'TASK_DELETED',
  'NEW_CLIENT',
  'CLIENT_UPDATED',
  'CLIENT_DELETED',
  'NEW_TAG',
  'TAG_UPDATED',
  'TAG_DELETED',
  'NEW_TIMER_STARTED',
  'TIMER_STOPPED',
  'NEW_TIME_ENTRY',
  'TIME_ENTRY_UPDATED',
  'TIME_ENTRY_DELETED',
  'TIME_ENTRY_SPLIT',
  'TIME_ENTRY_RESTORED',
  'NEW_INVOICE',
  'INVOICE_UPDATED',
  'USER_JOINED_WORKSPACE',
  'USER_DELETED_FROM_WORKSPACE',
  'USER_DEACTIVATED_ON_WORKSPACE',
  'USER_ACTIVATED_ON_WORKSPACE',
  'USER_EMAIL_CHANGED',
  'USER_UPDATED',
  'USERS_INVITED_TO_WORKSPACE',
  'LIMITED_USERS_ADDED_TO_WORKSPACE',
  'NEW_APPROVAL_REQUEST',
  'APPROVAL_REQUEST_STATUS_UPDATED',
  'TIME_OFF_REQUESTED',
  'TIME_OFF_REQUEST_UPDATED',
  'TIME_OFF_REQUEST_APPROVED',
  'TIME_OFF_REQUEST_REJECTED',
  'TIME_OFF_REQUEST_WITHDRAWN',
  'TIME_OFF_REQUEST_STARTED',
  'BALANCE_UPDATED',
  'USER_GROUP_CREATED',
  'USER_GROUP_UPDATED',
  'USER_GROUP_DELETED',
  'EXPENSE_CREATED',
  'EXPENSE_UPDATED',
  'EXPENSE_DELETED',
  'EXPENSE_RESTORED',
  'ASSIGNMENT_CREATED',
  'ASSIGNMENT_UPDATED',
  'ASSIGNMENT_DELETED',
  'ASSIGNMENT_PUBLISHED',
  'COST_RATE_UPDATED',
  'BILLABLE_RATE_UPDATED',
] as const;

export type ClockifyEvent = (typeof CLOCKIFY_EVENTS)[number];

const MANIFEST_1_3_EVENTS: readonly ClockifyEvent[] = [
  'NEW_PROJECT',
  'NEW_TASK',
  'NEW_CLIENT',
  'NEW_TAG',
  'NEW_TIMER_STARTED',
  'TIMER_STOPPED',
  'TIME_ENTRY_UPDATED',
  'TIME_ENTRY_DELETED',
  'NEW_TIME_ENTRY',
  'NEW_INVOICE',
  'INVOICE_UPDATED',
  'USER_JOINED_WORKSPACE',
  'USER_DELETED_FROM_WORKSPACE',
  'USER_DEACTIVATED_ON_WORKSPACE',
  'USER_ACTIVATED_ON_WORKSPACE',
  'NEW_APPROVAL_REQUEST',
  'APPROVAL_REQUEST_STATUS_UPDATED',
  'TIME_OFF_REQUESTED',
  'TIME_OFF_REQUEST_APPROVED',
  'TIME_OFF_REQUEST_REJECTED',
  'TIME_OFF_REQUEST_WITHDRAWN',
  'BALANCE_UPDATED',
];

const MANIFEST_1_2_ONLY_EVENTS: readonly ClockifyEvent[] = [
  'PROJECT_UPDATED',
  'PROJECT_DELETED',
  'TASK_UPDATED',
  'TASK_DELETED',
  'CLIENT_UPDATED',
  'CLIENT_DELETED',
  'TAG_UPDATED',
  'TAG_DELETED',
  'USER_EMAIL_CHANGED',
  'USER_UPDATED',
  'USER_GROUP_CREATED',
  'USER_GROUP_UPDATED',
  'USER_GROUP_DELETED',
  'EXPENSE_CREATED',
  'EXPENSE_UPDATED',
  'EXPENSE_DELETED',
  'ASSIGNMENT_CREATED',
  'ASSIGNMENT_UPDATED',
  'ASSIGNMENT_DELETED',
  'ASSIGNMENT_PUBLISHED',
];

export type ManifestSchemaVersion = '1.2' | '1.3' | '1.4';

/** Events a manifest of the given schema version may declare. */
export function manifestEventsFor(version: ManifestSchemaVersion): ReadonlySet<ClockifyEvent> {
  return new Set(version === '1.2' ? [...MANIFEST_1_3_EVENTS, ...MANIFEST_1_2_ONLY_EVENTS] : MANIFEST_1_3_EVENTS);
}

/** Clockify allows at most this many webhooks in one manifest. */
export const MAX_MANIFEST_WEBHOOKS = 10;

export function isClockifyEvent(value: string): value is ClockifyEvent {
  return (CLOCKIFY_EVENTS as readonly string[]).includes(value);
}

export const CLOCKIFY_SCOPES = [
  'CLIENT_READ',
  'CLIENT_WRITE',
  'PROJECT_READ',
  'PROJECT_WRITE',
  'TAG_READ',
  'TAG_WRITE',
  'TASK_READ',
  'TASK_WRITE',
  'TIME_ENTRY_READ',
  'TIME_ENTRY_WRITE',
  'EXPENSE_READ',
  'EXPENSE_WRITE',
  'INVOICE_READ',
  'INVOICE_WRITE',
  'USER_READ',
  'USER_WRITE',
  'GROUP_READ',
  'GROUP_WRITE',
  'WORKSPACE_READ',
  'WORKSPACE_WRITE',
  'CUSTOM_FIELDS_READ',
  'CUSTOM_FIELDS_WRITE',
  'APPROVAL_READ',
  'APPROVAL_WRITE',
  'SCHEDULING_READ',
  'SCHEDULING_WRITE',
  'REPORTS_READ',
  'REPORTS_WRITE',
  'TIME_OFF_READ',
  'TIME_OFF_WRITE',
] as const;

export type ClockifyScope = (typeof CLOCKIFY_SCOPES)[number];

/** URL path segment of an event's own webhook route, e.g. NEW_TIME_ENTRY -> new-time-entry. */
export function eventSlug(event: ClockifyEvent): string {
  return event.toLowerCase().replaceAll('_', '-');
}

export function eventFromSlug(slug: string): ClockifyEvent | undefined {
  const candidate = slug.toUpperCase().replaceAll('-', '_');
  return isClockifyEvent(candidate) ? candidate : undefined;
}
