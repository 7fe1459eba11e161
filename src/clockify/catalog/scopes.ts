import type { HttpMethod } from './types.js';

/**
 * Which manifest scopes an operation needs.
 *
 * The spec does not say which of the 30 manifest scopes (PLATFORM.md §1.3) guards which endpoint, so
 * this is an inferred mapping [U], kept in one table so it can be corrected in one place:
 *
 * 1. Resource: the first path segment after `/v1/workspaces/{workspaceId}/` picks the resource
 *    (table RESOURCE_BY_SEGMENT). Sub-resources that are their own feature win over their parent:
 *    `projects/{id}/tasks` → TASK, `projects/{id}/custom-fields` → CUSTOM_FIELDS.
 *    Paths outside a workspace: `/v1/user` and `/v1/file/image` → USER, `/v1/workspaces[/{id}]` → WORKSPACE,
 *    `/v1/shared-reports/{id}` → REPORTS.
 *    Choices worth knowing: holidays → TIME_OFF (holidays are part of the Time Off feature); webhooks and
 *    add-on webhooks → WORKSPACE (no webhook scope exists); templates → PROJECT (project templates);
 *    audit-log → REPORTS (it is a report server endpoint); entity changes → TIME_ENTRY (they report time
 *    entry changes); workspace hourly-rate/cost-rate → WORKSPACE; `users`, `member-profile`,
 *    `limited-users` → USER.
 * 2. Access: GET → `_READ`. POST operations that only query (operation id starts with get, generate or
 *    filter: reports, `users/info`, `invoices/info`, webhook logs, scheduling totals, time-off request
 *    search, audit log) → `_READ`. Everything else → `_WRITE` (WRITE does not imply READ in Clockify).
 */
export type ScopeResource =
  | 'CLIENT'
  | 'PROJECT'
  | 'TAG'
  | 'TASK'
  | 'TIME_ENTRY'
  | 'EXPENSE'
  | 'INVOICE'
  | 'USER'
  | 'GROUP'
  | 'WORKSPACE'
  | 'CUSTOM_FIELDS'
  | 'APPROVAL'
  | 'SCHEDULING'
  | 'REPORTS'
  | 'TIME_OFF';

/** The 30 scopes a manifest may request (PLATFORM.md §1.3). */
export const MANIFEST_SCOPES: readonly string[] = Object.freeze(
  (
    [
      'CLIENT',
      'PROJECT',
      'TAG',
      'TASK',
      'TIME_ENTRY',
      'EXPENSE',
      'INVOICE',
      'USER',
      'GROUP',
      'WORKSPACE',
      'CUSTOM_FIELDS',
      'APPROVAL',
      'SCHEDULING',
      'REPORTS',
      'TIME_OFF',
    ] as const
  ).flatMap((resource) => [`${resource}_READ`, `${resource}_WRITE`]),
);

const RESOURCE_BY_SEGMENT: Readonly<Record<string, ScopeResource>> = {
  clients: 'CLIENT',
  projects: 'PROJECT',
  templates: 'PROJECT',
  tags: 'TAG',
  'time-entries': 'TIME_ENTRY',
  user: 'TIME_ENTRY', // `/user/{userId}/time-entries` is the only path under `user/`
  entities: 'TIME_ENTRY',
  expenses: 'EXPENSE',
  invoices: 'INVOICE',
  users: 'USER',
  'member-profile': 'USER',
  'limited-users': 'USER',
  'user-groups': 'GROUP',
  'custom-fields': 'CUSTOM_FIELDS',
  'approval-requests': 'APPROVAL',
  scheduling: 'SCHEDULING',
  reports: 'REPORTS',
  'shared-reports': 'REPORTS',
  'audit-log': 'REPORTS',
  'time-off': 'TIME_OFF',
  holidays: 'TIME_OFF',
  webhooks: 'WORKSPACE',
  addons: 'WORKSPACE',
  'hourly-rate': 'WORKSPACE',
  'cost-rate': 'WORKSPACE',
};

/** Sub-resources of a project that belong to another feature. */
const PROJECT_SUBRESOURCES: Readonly<Record<string, ScopeResource>> = {
  tasks: 'TASK',
  'custom-fields': 'CUSTOM_FIELDS',
};

export function resourceForPath(path: string, tag: string): ScopeResource {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  // segments: ['v1', 'workspaces', '{workspaceId}', resource, …]
  if (segments[1] === 'workspaces') {
    const resource = segments[3];
    if (resource === undefined) return 'WORKSPACE';
    if (resource === 'projects') {
      const sub = segments[5];
      if (sub !== undefined && PROJECT_SUBRESOURCES[sub]) return PROJECT_SUBRESOURCES[sub];
    }
    const mapped = RESOURCE_BY_SEGMENT[resource];
    if (mapped) return mapped;
  }
  if (segments[1] === 'shared-reports') return 'REPORTS';
  if (segments[1] === 'user' || segments[1] === 'file') return 'USER';
  return resourceForTag(tag);
}

/** Fallback for paths the table does not know (a newer spec): the tag usually names the feature. */
function resourceForTag(tag: string): ScopeResource {
  const normalised = tag.toLowerCase();
  const byTag: [string, ScopeResource][] = [
    ['client', 'CLIENT'],
    ['project', 'PROJECT'],
    ['template', 'PROJECT'],
    ['tag', 'TAG'],
    ['task', 'TASK'],
    ['time entry report', 'REPORTS'],
    ['report', 'REPORTS'],
    ['time entry', 'TIME_ENTRY'],
    ['entity', 'TIME_ENTRY'],
    ['expense', 'EXPENSE'],
    ['invoice', 'INVOICE'],
    ['group', 'GROUP'],
    ['user', 'USER'],
    ['custom field', 'CUSTOM_FIELDS'],
    ['approval', 'APPROVAL'],
    ['scheduling', 'SCHEDULING'],
    ['time off', 'TIME_OFF'],
    ['policy', 'TIME_OFF'],
    ['balance', 'TIME_OFF'],
    ['holiday', 'TIME_OFF'],
  ];
  for (const [needle, resource] of byTag) if (normalised.includes(needle)) return resource;
  return 'WORKSPACE';
}

/** POST operations that only read (see the module comment). */
export function isQueryPost(method: HttpMethod, operationId: string): boolean {
  return method === 'POST' && /^(get|generate|filter)[A-Z]/.test(operationId);
}

export function scopesFor(method: HttpMethod, path: string, tag: string, operationId: string): string[] {
  const resource = resourceForPath(path, tag);
  const reads = method === 'GET' || isQueryPost(method, operationId);
  return [`${resource}_${reads ? 'READ' : 'WRITE'}`];
}
