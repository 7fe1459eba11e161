import type {
  ClientRecord,
  Rate,
  CustomFieldRecord,
  ProjectRecord,
  TagRecord,
  TaskRecord,
  TimeEntryRecord,
  UserGroupRecord,
  UserRecord,
} from './records.js';
import { formatInstant, isoDuration } from './time-format.js';
import type { WorkspaceData } from './workspace.js';

/**
 * Entities shaped like Clockify's REST answers (field names from resources/clockify/openapi.json).
 * Like the live API, absent references are sent as `null` (e.g. `taskId`, a running timer's `end`),
 * although the spec never marks anything nullable.
 */

export function userDto(ws: WorkspaceData, user: UserRecord, withMemberships = false): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    activeWorkspace: ws.id,
    defaultWorkspace: ws.id,
    profilePicture: '',
    status: 'ACTIVE',
    customFields: [],
    memberships: withMemberships ? [workspaceMembership(ws, user)] : [],
    settings: {
      weekStart: 'MONDAY',
      timeZone: user.timeZone,
      timeFormat: 'HOUR24',
      dateFormat: 'DD/MM/YYYY',
      sendNewsletter: false,
      weeklyUpdates: false,
      longRunning: false,
      scheduledReports: true,
      approval: true,
      pto: true,
      alerts: true,
      reminders: true,
      timeTrackingManual: false,
      isCompactViewOn: false,
      dashboardSelection: 'ME',
      dashboardViewType: 'PROJECT',
      dashboardPinToTop: false,
      projectListCollapse: 50,
      collapseAllProjectLists: false,
      groupSimilarEntriesDisabled: false,
      myStartOfDay: '09:00',
      lang: 'EN',
      multiFactorEnabled: false,
      scheduling: true,
      showOnlyWorkingDays: false,
      theme: 'DEFAULT',
      invoiceReminders: false,
      onboarding: false,
      projectPickerTaskFilter: false,
      summaryReportSettings: { group: 'PROJECT', subgroup: 'CLIENT' },
    },
  };
}

function workspaceMembership(ws: WorkspaceData, user: UserRecord): Record<string, unknown> {
  return {
    userId: user.id,
    targetId: ws.id,
    membershipType: 'WORKSPACE',
    membershipStatus: user.membershipStatus,
    hourlyRate: { amount: 0, currency: ws.currency.code },
    costRate: null,
  };
}

/** What an ENTERPRISE workspace of the sandbox may use. */
const WORKSPACE_FEATURES: readonly string[] = ['ADD_TIME_FOR_OTHERS', 'ADMIN_PANEL', 'ALERTS', 'APPROVAL', 'AUDIT_LOG', 'CUSTOM_FIELDS', 'EXPENSES', 'INVOICING', 'SCHEDULING', 'TIME_OFF'];

export function workspaceDto(ws: WorkspaceData): Record<string, unknown> {
  return {
    id: ws.id,
    name: ws.name,
    imageUrl: '',
    hourlyRate: { amount: 0, currency: ws.currency.code },
    costRate: { amount: 0, currency: ws.currency.code },
    memberships: [...ws.users.values()].map((u) => workspaceMembership(ws, u)),
    currencies: [{ id: ws.currency.id, code: ws.currency.code, isDefault: true }],
    subdomain: { enabled: false, name: '' },
    cakeOrganizationId: '',
    featureSubscriptionType: { addonSubscriptionPlan: 'ENTERPRISE', featurePermissions: WORKSPACE_FEATURES, legacy: false, paidPlan: true, regionalAllowed: true, weight: 5 },
    // Clockify sends the workspace's features as a list (the spec writes one Feature; see spec/normalize.ts).
    features: WORKSPACE_FEATURES,
    workspaceSettings: {
      activeBillableHours: false,
      adminOnlyPages: [],
      entityCreationPermissions: { whoCanCreateProjectsAndClients: 'ADMINS', whoCanCreateTags: 'ADMINS', whoCanCreateTasks: 'ADMINS' },
      lockTimeZone: null,
      multiFactorEnabled: false,
      onlyAdminsCanChangeBillableStatus: false,
      projectLabel: 'Project',
      taskLabel: 'Task',
      timeRoundingInReports: false,
      onlyAdminsSeeBillableRates: true,
      onlyAdminsCreateProject: true,
      onlyAdminsSeeDashboard: false,
      defaultBillableProjects: true,
      lockTimeEntries: null,
      round: { round: 'Round to nearest', minutes: '15' },
      projectFavorites: true,
      canSeeTimeSheet: true,
      canSeeTracker: true,
      projectPickerSpecialFilter: false,
      forceProjects: false,
      forceTasks: false,
      forceTags: false,
      forceDescription: false,
      onlyAdminsSeeAllTimeEntries: false,
      onlyAdminsSeePublicProjectsEntries: false,
      trackTimeDownToSecond: true,
      projectGroupingLabel: 'client',
      automaticLock: null,
      onlyAdminsCreateTag: false,
      onlyAdminsCreateTask: false,
      timeTrackingMode: 'DEFAULT',
      isProjectPublicByDefault: true,
      durationFormat: 'FULL',
      numberFormat: 'COMMA_PERIOD',
      currencyFormat: 'CURRENCY_SPACE_VALUE',
      workingDays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
    },
  };
}

export function clientDto(ws: WorkspaceData, client: ClientRecord): Record<string, unknown> {
  return {
    id: client.id,
    name: client.name,
    workspaceId: ws.id,
    archived: client.archived,
    address: client.address,
    email: client.email,
    note: client.note,
    ccEmails: client.ccEmails,
    currencyId: ws.currency.id,
    currencyCode: ws.currency.code,
  };
}

/** Milliseconds tracked per project or task, computed in one pass (cheap enough for 100k entries). */
export function trackedTotals(ws: WorkspaceData, key: 'projectId' | 'taskId'): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of ws.timeEntries.all()) {
    const id = entry[key];
    if (id === null || entry.end === null) continue;
    totals.set(id, (totals.get(id) ?? 0) + (entry.end - entry.start));
  }
  return totals;
}

export function projectDto(ws: WorkspaceData, project: ProjectRecord, trackedMs = 0): Record<string, unknown> {
  const client = project.clientId ? ws.clients.get(project.clientId) : undefined;
  return {
    id: project.id,
    name: project.name,
    hourlyRate: project.hourlyRate ?? { amount: 0, currency: ws.currency.code },
    costRate: project.costRate,
    clientId: project.clientId,
    clientName: client?.name ?? '',
    workspaceId: ws.id,
    billable: project.billable,
    memberships: project.memberUserIds.map((userId) => ({
      userId,
      targetId: project.id,
      membershipType: 'PROJECT',
      membershipStatus: 'ACTIVE',
      hourlyRate: null,
      costRate: null,
    })),
    color: project.color,
    estimate: { estimate: project.estimate?.estimate ?? 'PT0S', type: project.estimate?.type ?? 'AUTO' },
    archived: project.archived,
    duration: isoDuration(trackedMs),
    note: project.note,
    template: project.template,
    public: project.public,
    budgetEstimate: null,
    estimateReset: null,
    timeEstimate: {
      estimate: project.estimate?.estimate ?? 'PT0S',
      type: project.estimate?.type ?? 'AUTO',
      resetOption: null,
      active: project.estimate?.type === 'MANUAL',
      includeNonBillable: true,
    },
  };
}

export function taskDto(ws: WorkspaceData, task: TaskRecord, trackedMs = 0): Record<string, unknown> {
  return {
    id: task.id,
    name: task.name,
    projectId: task.projectId,
    workspaceId: ws.id,
    assigneeIds: task.assigneeIds,
    assigneeId: task.assigneeIds[0] ?? null,
    userGroupIds: task.userGroupIds,
    estimate: task.estimate,
    status: task.status,
    duration: isoDuration(trackedMs),
    billable: task.billable,
    budgetEstimate: task.budgetEstimate,
    hourlyRate: task.hourlyRate,
    costRate: task.costRate,
  };
}

export function tagDto(ws: WorkspaceData, tag: TagRecord): Record<string, unknown> {
  return { id: tag.id, name: tag.name, workspaceId: ws.id, archived: tag.archived };
}

export function customFieldDto(ws: WorkspaceData, field: CustomFieldRecord, onlyProjectId?: string): Record<string, unknown> {
  const defaults = [...field.projectDefaults.entries()]
    .filter(([projectId]) => onlyProjectId === undefined || projectId === onlyProjectId)
    .map(([projectId, d]) => ({ projectId, value: d.value, status: d.status }));
  const dto: Record<string, unknown> = {
    id: field.id,
    name: field.name,
    type: field.type,
    entityType: field.entityType,
    workspaceId: ws.id,
    status: field.status,
    allowedValues: field.allowedValues,
    placeholder: field.placeholder,
    onlyAdminCanEdit: field.onlyAdminCanEdit,
    required: field.required,
    description: '',
    projectDefaultValues: defaults,
    workspaceDefaultValue: field.workspaceDefaultValue ?? null,
  };
  return dto;
}

export function userGroupDto(ws: WorkspaceData, group: UserGroupRecord): Record<string, unknown> {
  return { id: group.id, name: group.name, workspaceId: ws.id, userIds: group.userIds, teamManagers: [] };
}

function timeInterval(entry: TimeEntryRecord): Record<string, unknown> {
  return {
    start: formatInstant(entry.start),
    end: entry.end === null ? null : formatInstant(entry.end),
    duration: entry.end === null ? null : isoDuration(entry.end - entry.start),
  };
}

function entryHourlyRate(ws: WorkspaceData, entry: TimeEntryRecord): Rate | null {
  const project = entry.projectId ? ws.projects.get(entry.projectId) : undefined;
  return project?.hourlyRate ?? null;
}

function customFieldValues(ws: WorkspaceData, entry: TimeEntryRecord): Record<string, unknown>[] {
  return entry.customFieldValues.map((v) => {
    const field = ws.customFields.get(v.customFieldId);
    return { customFieldId: v.customFieldId, timeEntryId: entry.id, value: v.value, name: field?.name ?? '', type: field?.type ?? 'TXT' };
  });
}

/** TimeEntryDtoImplV1 (create/update answers) or, with rates, TimeEntryWithRatesDtoV1 (get/list answers). */
export function timeEntryDto(
  ws: WorkspaceData,
  entry: TimeEntryRecord,
  options: { rates?: boolean; hydrated?: boolean } = {},
): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    id: entry.id,
    description: entry.description,
    tagIds: entry.tagIds,
    userId: entry.userId,
    billable: entry.billable,
    taskId: entry.taskId,
    projectId: entry.projectId,
    workspaceId: ws.id,
    timeInterval: timeInterval(entry),
    customFieldValues: customFieldValues(ws, entry),
    type: entry.type,
    kioskId: null,
    isLocked: entry.isLocked,
  };
  if (options.rates) {
    dto['hourlyRate'] = entryHourlyRate(ws, entry);
    dto['costRate'] = null;
  }
  if (options.hydrated) Object.assign(dto, hydration(ws, entry));
  return dto;
}

/** The related objects Clockify embeds in hydrated time entries and time-entry webhooks. */
function hydration(ws: WorkspaceData, entry: TimeEntryRecord): Record<string, unknown> {
  const project = entry.projectId ? ws.projects.get(entry.projectId) : undefined;
  const task = entry.taskId ? ws.tasks.get(entry.taskId) : undefined;
  const user = ws.users.get(entry.userId);
  const client = project?.clientId ? ws.clients.get(project.clientId) : undefined;
  return {
    project: project
      ? {
          name: project.name,
          clientId: project.clientId,
          clientName: client?.name ?? '',
          workspaceId: ws.id,
          billable: project.billable,
          estimate: { estimate: 'PT0S', type: 'AUTO' },
          color: project.color,
          archived: project.archived,
          duration: 'PT0S',
          note: project.note,
          id: project.id,
          public: project.public,
          template: project.template,
        }
      : null,
    task: task ? taskDto(ws, task) : null,
    user: user ? { id: user.id, name: user.name, status: 'ACTIVE' } : null,
    tags: entry.tagIds.flatMap((id) => {
      const tag = ws.tags.get(id);
      return tag ? [tagDto(ws, tag)] : [];
    }),
  };
}

/** Webhook payloads: the bare entity, shaped like resources/clockify/webhook-samples.json. */
export function timeEntryWebhookPayload(ws: WorkspaceData, entry: TimeEntryRecord): Record<string, unknown> {
  const dto = timeEntryDto(ws, entry, { rates: true, hydrated: true });
  delete dto['type'];
  delete dto['kioskId'];
  return dto;
}

export function projectWebhookPayload(ws: WorkspaceData, project: ProjectRecord): Record<string, unknown> {
  const client = project.clientId ? ws.clients.get(project.clientId) : undefined;
  return {
    ...projectDto(ws, project),
    tasks: ws.tasksOf(project.id).map((t) => taskDto(ws, t)),
    client: client ? { name: client.name, workspaceId: ws.id, archived: client.archived, id: client.id } : null,
  };
}

export function taskWebhookPayload(ws: WorkspaceData, task: TaskRecord): Record<string, unknown> {
  const dto = taskDto(ws, task);
  return {
    id: dto['id'],
    name: dto['name'],
    projectId: dto['projectId'],
    assigneeIds: dto['assigneeIds'],
    assigneeId: dto['assigneeId'],
    userGroupIds: dto['userGroupIds'],
    estimate: dto['estimate'],
    status: dto['status'],
    duration: dto['duration'],
    workspaceId: ws.id,
  };
}

export function clientWebhookPayload(ws: WorkspaceData, client: ClientRecord): Record<string, unknown> {
  return { id: client.id, name: client.name, workspaceId: ws.id, archived: client.archived };
}
