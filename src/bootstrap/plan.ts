import type { Catalog, JsonSchema, Operation } from '../clockify/catalog/index.js';

/**
 * Which Clockify operations a bootstrap calls, in which order, with which input. Pure: the same
 * catalog and options always give the same plan, so a resumed run recomputes it instead of storing it.
 *
 * Rules, applied to every operation of the catalog:
 *  1. Read-only: GET operations, plus the query-only POSTs listed in HEAVY_QUERIES (reports).
 *     Deprecated operations are left out (their data is served by their replacement). Operations whose
 *     spec security takes no add-on token (the audit log, `GET /v1/workspaces`) are left out: Clockify
 *     would answer 401, only a personal API key works there.
 *  2. Workspace-scoped: the path starts with `/v1/workspaces/{workspaceId}` (or is `/v1/user`, the
 *     installation's user). `GET /v1/workspaces` lists other workspaces and refuses add-on tokens.
 *  3. Every other path parameter must come from an earlier list: `projectId` from the projects,
 *     `userId` from the users, `policyId` from the time-off policies, `webhookId` from the webhooks,
 *     `invoiceId` from the invoices (PARENTS). Such operations are *dependents*: one step per parent
 *     entity, expanded when the parent's step completes. Parameters no list provides (`id`,
 *     `taskId`, `addonId`, …) mean a single-item read of something a list already returned: skipped.
 *  4. A dependent must return a list; a per-parent object is a single-item read (member profile,
 *     per-project totals): skipped.
 *  5. Required query parameters need a safe value: the spec's default (`include-roles=false`), or the
 *     run's time window for `start`/`end`. Anything else (`type` of entity changes, `assigned-to` of
 *     holidays in a period) is skipped. Operations with optional `start` and `end` (time entries) get
 *     the window too, so they fetch `time_entry_days_back` days, not all of history.
 *  6. Heavy operations (anything on the reports or audit-log servers, every query-style POST) only
 *     when the `include_heavy` setting and the edition's `heavyBootstrap` capability both allow them.
 *  7. Time entries (paths with `time-entries`) only when `include_time_entries` is on.
 *  8. The edition must hold every scope the operation needs, or Clockify would refuse it anyway.
 *  9. API Studio (`coreOnly`): core entities only (CORE_ORDER).
 * 10. Explicit exclusions (EXCLUDED) for operations whose data another planned operation already
 *     fetches.
 *
 * Order: core entities first, in CORE_ORDER (user, workspace, users, clients, projects, tags, custom
 * fields, groups, tasks, custom fields of projects, time entries), then the other light operations in
 * catalog order, heavy ones last. A step's `position` is `rank * RANK_STRIDE + index among its
 * siblings`, so dependents (tasks of each project) run right after their rank, before later ranks.
 *
 * Each step's entity type names what it stores: the path's literal segments after the workspace
 * (`projects`, `expenses-categories`, `time-off-policies`), with a few friendlier names in
 * ENTITY_TYPES. Operations that return one object instead of a list are stored whole as
 * `raw:<operationId>`.
 */

export const RANK_STRIDE = 1_000_000;
/** Clockify's quick-start uses 500; larger sizes are undocumented. Capped by an operation's declared maximum. */
export const DEFAULT_PAGE_SIZE = 500;

export const CORE_ORDER: readonly string[] = [
  'getLoggedUser',
  'getWorkspaceOfUser',
  'getUsersOfWorkspace',
  'getClients',
  'getProjects',
  'getTags',
  'ofWorkspace',
  'getUserGroups',
  'getTasks',
  'getCustomFieldsOfProject',
  'getInProgressTimeEntries',
  'getTimeEntries',
];

const ENTITY_TYPES: Readonly<Record<string, string>> = {
  getTasks: 'tasks',
  getCustomFieldsOfProject: 'project-custom-fields',
  getTimeEntries: 'time-entries',
  // The running entries are time entries too: same ids, stored once.
  getInProgressTimeEntries: 'time-entries',
  getBalancesForPolicy: 'time-off-balances',
  generateDetailedReport: 'reports-detailed',
};

/** Path parameter → the operation whose entities supply it. */
const PARENTS: Readonly<Record<string, string>> = {
  projectId: 'getProjects',
  userId: 'getUsersOfWorkspace',
  policyId: 'findPoliciesForWorkspace',
  webhookId: 'getWebhooks',
  invoiceId: 'getInvoices',
};

/** Entity types whose ids are unique in the workspace; other dependents key their entities `<parentId>/<id>`. */
const GLOBAL_ID_TYPES: ReadonlySet<string> = new Set(['tasks', 'time-entries']);

const EXCLUDED: Readonly<Record<string, string>> = {
  getBalancesForUser: 'the same balances are fetched per policy',
  getProjectTotalsForSingleProject: 'one totals object per project, not a list',
};

/** Where the entities are in responses that wrap their list in an object, when the schema is ambiguous. */
const LIST_PATHS: Readonly<Record<string, string[] | null>> = {
  generateDetailedReport: ['timeEntries'],
  getExpenses: ['expenses', 'expenses'],
  // Groups and totals, not entities: kept whole.
  generateSummaryReport: null,
};

export interface TimeWindow {
  /** ISO instants without milliseconds, e.g. 2024-05-01T00:00:00Z. */
  start: string;
  end: string;
}

type HeavyBody = (window: TimeWindow, operation: Operation) => Record<string, unknown>;

/** Query-style POSTs worth a snapshot, with the body each needs. Report dates are local date-times. */
const HEAVY_QUERIES: Readonly<Record<string, HeavyBody>> = {
  generateDetailedReport: (window) => ({
    dateRangeStart: reportDate(window.start),
    dateRangeEnd: reportDate(window.end),
    detailedFilter: {},
  }),
  generateSummaryReport: (window) => ({
    dateRangeStart: reportDate(window.start),
    dateRangeEnd: reportDate(window.end),
    summaryFilter: { groups: ['PROJECT', 'USER'] },
  }),
};

export interface PlanOptions {
  /** The `include_heavy` setting and the edition's `heavyBootstrap` capability, both. */
  includeHeavy: boolean;
  includeTimeEntries: boolean;
  /** API Studio: core entities only. */
  coreOnly: boolean;
  /** Scopes the edition holds; operations needing others are skipped. Undefined: no check. */
  scopes?: readonly string[];
  window: TimeWindow;
  /** Preferred page size; an operation's declared maximum caps it. */
  pageSize?: number;
}

export interface ParentLink {
  /** The operation whose entities supply the parameter. */
  operationId: string;
  entityType: string;
  param: string;
  /** Prefix entity ids with the parent id: ids repeat across parents (custom fields of each project). */
  scopeIds: boolean;
}

export interface PlannedOperation {
  operationId: string;
  entityType: string;
  rank: number;
  core: boolean;
  heavy: boolean;
  /** Input without paging; a dependent's parent parameter is filled per parent. */
  input: { params: Record<string, unknown>; body?: Record<string, unknown> };
  /** Undefined when the operation does not page. */
  pageSize?: number;
  /** Where the entities are in the response ([] = the body is the list); undefined: stored raw. */
  listPath?: string[];
  parent?: ParentLink;
}

export interface BootstrapPlan {
  roots: PlannedOperation[];
  dependents: PlannedOperation[];
  skipped: { operationId: string; reason: string }[];
}

/** A step to store: one call sequence (all pages) of one operation with one input. */
export interface StepSpec {
  stepKey: string;
  operationId: string;
  entityType: string;
  input: { params: Record<string, unknown>; body?: Record<string, unknown> };
  position: number;
}

export function planBootstrap(catalog: Catalog, options: PlanOptions): BootstrapPlan {
  const skipped: BootstrapPlan['skipped'] = [];
  const planned: PlannedOperation[] = [];
  catalog.operations.forEach((operation, index) => {
    const verdict = considerOperation(operation, index, options);
    if ('reason' in verdict) skipped.push({ operationId: operation.operationId, reason: verdict.reason });
    else planned.push(verdict);
  });
  // A dependent whose parent is not planned (time-off policies left out by scope) cannot run.
  const byId = new Map(planned.map((entry) => [entry.operationId, entry]));
  const kept = planned.filter((entry) => {
    if (!entry.parent) return true;
    const parent = byId.get(entry.parent.operationId);
    if (parent && !parent.parent && parent.listPath !== undefined) {
      entry.parent.entityType = parent.entityType;
      return true;
    }
    skipped.push({ operationId: entry.operationId, reason: `its parent ${entry.parent.operationId} is not planned` });
    return false;
  });
  kept.sort((a, b) => a.rank - b.rank);
  return { roots: kept.filter((entry) => !entry.parent), dependents: kept.filter((entry) => entry.parent), skipped };
}

function considerOperation(operation: Operation, catalogIndex: number, options: PlanOptions): PlannedOperation | { reason: string } {
  const { operationId } = operation;
  if (!operation.addonTokenAccepted) return { reason: 'needs a personal API key (Clockify refuses add-on tokens here)' };
  const heavyQuery = HEAVY_QUERIES[operationId];
  if (operation.method !== 'GET' && !heavyQuery) return { reason: 'not a read' };
  if (operation.deprecated) return { reason: 'deprecated' };
  const excluded = EXCLUDED[operationId];
  if (excluded) return { reason: excluded };
  if (!isWorkspaceScoped(operation.path)) return { reason: 'not scoped to the workspace' };

  const otherParams = operation.pathParams.filter((name) => name !== 'workspaceId');
  if (otherParams.length > 1) return { reason: `path parameters ${otherParams.join(', ')} do not all come from a list` };
  const parentParam = otherParams[0];
  const parentOperationId = parentParam === undefined ? undefined : PARENTS[parentParam];
  if (parentParam !== undefined && !parentOperationId) return { reason: `path parameter ${parentParam} does not come from a list` };

  const listPath = operationId in LIST_PATHS ? (LIST_PATHS[operationId] ?? undefined) : listPathOf(operation.responseSchema);
  if (parentParam !== undefined && listPath === undefined) return { reason: 'a single-item read per parent' };

  const params: Record<string, unknown> = {};
  const queryNames = new Set(operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  const windowed = queryNames.has('start') && queryNames.has('end');
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query' || !parameter.required) continue;
    if (parameter.default !== undefined) params[parameter.name] = parameter.default;
    else if (!(windowed && (parameter.name === 'start' || parameter.name === 'end')))
      return { reason: `required query parameter ${parameter.name} has no safe value` };
  }
  if (windowed) {
    params.start = options.window.start;
    params.end = options.window.end;
  }

  const heavy = operation.server !== 'backend' || operation.method !== 'GET';
  if (heavy && !options.includeHeavy) return { reason: 'heavy (include_heavy is off or the edition does not allow it)' };
  const timeEntries = operation.path.includes('/time-entries');
  if (timeEntries && !options.includeTimeEntries) return { reason: 'time entries (include_time_entries is off)' };
  const coreRank = CORE_ORDER.indexOf(operationId);
  const core = coreRank >= 0;
  if (options.coreOnly && !core) return { reason: 'not a core entity' };
  if (options.scopes) {
    const missing = operation.scopes.filter((scope) => !options.scopes!.includes(scope));
    if (missing.length > 0) return { reason: `needs scope ${missing.join(', ')}` };
  }

  const entityType = listPath === undefined ? `raw:${operationId}` : (ENTITY_TYPES[operationId] ?? entityTypeOf(operation.path));
  const rank = core ? coreRank + 1 : heavy ? 1000 + catalogIndex : 100 + catalogIndex;
  const body = heavyQuery ? heavyQuery(options.window, operation) : undefined;
  const pageSize =
    operation.pagination.kind === 'none'
      ? undefined
      : Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, operation.pagination.maxSize ?? Infinity);
  return {
    operationId,
    entityType,
    rank,
    core,
    heavy,
    input: { params, ...(body ? { body } : {}) },
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(listPath !== undefined ? { listPath } : {}),
    ...(parentParam !== undefined && parentOperationId
      ? {
          parent: {
            operationId: parentOperationId,
            // Filled in by planBootstrap from the parent's own entry.
            entityType: '',
            param: parentParam,
            scopeIds: !GLOBAL_ID_TYPES.has(entityType),
          },
        }
      : {}),
  };
}

/** Steps of the operations that need nothing but the workspace. */
export function rootSteps(plan: BootstrapPlan, workspaceId: string): StepSpec[] {
  return plan.roots.map((entry) => ({
    stepKey: entry.operationId,
    operationId: entry.operationId,
    entityType: entry.entityType,
    input: withWorkspace(entry.input, workspaceId),
    position: entry.rank * RANK_STRIDE,
  }));
}

/** The dependents of a completed parent step, one step per parent entity (ids sorted, so expansion is deterministic). */
export function childSteps(plan: BootstrapPlan, parentOperationId: string, parentIds: readonly string[], workspaceId: string): StepSpec[] {
  const ids = [...new Set(parentIds)].sort();
  const steps: StepSpec[] = [];
  for (const dependent of plan.dependents) {
    if (dependent.parent?.operationId !== parentOperationId) continue;
    ids.slice(0, RANK_STRIDE - 1).forEach((id, index) => {
      const input = withWorkspace(dependent.input, workspaceId);
      input.params[dependent.parent!.param] = id;
      steps.push({
        stepKey: `${dependent.operationId}:${id}`,
        operationId: dependent.operationId,
        entityType: dependent.entityType,
        input,
        position: dependent.rank * RANK_STRIDE + index + 1,
      });
    });
  }
  return steps;
}

export function plannedOperation(plan: BootstrapPlan, operationId: string): PlannedOperation | undefined {
  return (
    plan.roots.find((entry) => entry.operationId === operationId) ?? plan.dependents.find((entry) => entry.operationId === operationId)
  );
}

/** Whether some dependent waits for this operation's entities. */
export function hasDependents(plan: BootstrapPlan, operationId: string): boolean {
  return plan.dependents.some((entry) => entry.parent?.operationId === operationId);
}

/** `[now - daysBack, now]` as Clockify's `yyyy-MM-ddThh:mm:ssZ` instants. */
export function timeWindow(now: number, daysBack: number): TimeWindow {
  return { start: instant(now - daysBack * 86_400_000), end: instant(now) };
}

function instant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reports take `YYYY-MM-DDTHH:MM:SS.sss` without a zone (read in the user's time zone). */
function reportDate(isoInstant: string): string {
  return `${isoInstant.replace(/Z$/, '')}.000`;
}

function withWorkspace(input: PlannedOperation['input'], workspaceId: string): StepSpec['input'] {
  const params: Record<string, unknown> = { ...input.params };
  params.workspaceId = workspaceId;
  return { params, ...(input.body ? { body: structuredClone(input.body) } : {}) };
}

function isWorkspaceScoped(path: string): boolean {
  return path === '/v1/user' || path.startsWith('/v1/workspaces/{workspaceId}');
}

/** `/v1/workspaces/{workspaceId}/expenses/categories` → `expenses-categories`; the workspace itself → `workspace`. */
function entityTypeOf(path: string): string {
  const rest = path.replace(/^\/v1\/workspaces\/\{workspaceId\}\/?/, '');
  const literal = rest.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
  return literal.length > 0 ? literal.join('-') : 'workspace';
}

/**
 * Where a response schema keeps its list: [] for an array; for an object that is only a wrapper (no
 * `id` of its own), the property path of an array whose items carry an id (depth 1, then 2).
 * Undefined: one object, stored raw (the workspace, a user, a summary report).
 */
export function listPathOf(schema: JsonSchema | undefined): string[] | undefined {
  if (!schema) return undefined;
  if (schema.type === 'array' || schema.items !== undefined) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  if ('id' in properties || '_id' in properties) return undefined;
  return idArrays(schema, [], 2)[0];
}

function idArrays(schema: JsonSchema, path: string[], depth: number): string[][] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const direct: string[][] = [];
  const nested: string[][] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.type === 'array') {
      const itemProperties = ((property.items ?? {}) as JsonSchema).properties as Record<string, unknown> | undefined;
      if (itemProperties && ('id' in itemProperties || '_id' in itemProperties)) direct.push([...path, name]);
    } else if (depth > 1 && (property.type === 'object' || property.properties)) {
      nested.push(...idArrays(property, [...path, name], depth - 1));
    }
  }
  return [...direct, ...nested];
}
