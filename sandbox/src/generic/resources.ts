import { specRoutes, successResponse, type JsonSchema, type SpecRoute } from '../spec/openapi.js';

/**
 * What a spec operation does to the generic store, read from its method and path alone:
 *
 * - `list`: GET on a collection path (one that has a create or item operation) → its items, paged.
 * - `create`: POST on a collection path, not a query (`get…`, `generate…`, `filter…`) → a new item.
 * - `get` / `update` / `delete`: GET, PUT|PATCH, DELETE on `<collection>/{id}`.
 * - `singleton` / `singletonUpdate`: GET and PUT|PATCH on a literal path no collection owns
 *   (`invoices/settings`): one stored object per workspace.
 * - `action`: anything else (`…/{id}/status`, `…/duplicate`, query POSTs, totals): changes the parent
 *   item when it names one (PUT|PATCH), and answers from the store where it can.
 *
 * Collections are named by their spec path (`/v1/workspaces/{workspaceId}/expenses`); a few operations
 * address another operation's collection (ALIASES).
 */
export type ResourceKind = 'list' | 'create' | 'get' | 'update' | 'delete' | 'singleton' | 'singletonUpdate' | 'action';

export interface Resource {
  kind: ResourceKind;
  route: SpecRoute;
  operationId: string;
  /** Spec path of the collection (list/create/get/update/delete), the singleton, or the action's parent collection. */
  collection?: string;
  /** Path parameter naming the item (get/update/delete, and an action's parent item). */
  idParam?: string;
}

const WS = '/v1/workspaces/{workspaceId}';

/** Operations that create in, or list, another path's collection. */
const ALIASES: Readonly<Record<string, { kind: ResourceKind; collection: string; idParam?: string }>> = {
  createApprovalForOther: { kind: 'create', collection: `${WS}/approval-requests` },
  createTimeOffRequestForOther: { kind: 'create', collection: `${WS}/time-off/policies/{policyId}/requests` },
  getAllAssignments: { kind: 'list', collection: `${WS}/scheduling/assignments/recurring` },
  editRecurringPeriod: { kind: 'update', collection: `${WS}/scheduling/assignments/recurring`, idParam: 'assignmentId' },
  // A template is created through a list of requests; each becomes an item (see the route).
  createMany: { kind: 'create', collection: `${WS}/templates` },
};

/**
 * Operations answered from other state than a generic collection: computed totals and balances,
 * members and entities the hand-written routes keep (users, projects, time entries).
 */
const ACTIONS: ReadonlySet<string> = new Set([
  'getProjectTotals',
  'getProjectTotalsForSingleProject',
  'getBalancesForPolicy',
  'getBalancesForUser',
  'updateBalance',
  'replaceMany',
  'addUsers',
  'updateUserStatus',
  'removeMember',
  'getWorkspacesOfUser',
  'createWorkspace',
]);

let cache: Map<SpecRoute, Resource> | undefined;

export function resourceOf(route: SpecRoute): Resource {
  cache ??= classifyAll();
  return cache.get(route) ?? { kind: 'action', route, operationId: route.operation.operationId ?? '' };
}

function classifyAll(): Map<SpecRoute, Resource> {
  const routes = specRoutes();
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = byPath.get(route.specPath) ?? new Set<string>();
    methods.add(route.method);
    byPath.set(route.specPath, methods);
  }
  const isCollection = (path: string) => {
    const methods = byPath.get(path);
    const hasItem = [...byPath.keys()].some((other) => parentOf(other)?.path === path && byPath.get(other)!.size > 0);
    return (
      (methods?.has('POST') === true && hasItem) ||
      (methods?.has('GET') === true && hasItem) ||
      (methods?.has('GET') === true && methods.has('POST'))
    );
  };
  const out = new Map<SpecRoute, Resource>();
  for (const route of routes) {
    const operationId = route.operation.operationId ?? '';
    const alias = ALIASES[operationId];
    if (ACTIONS.has(operationId)) {
      out.set(route, { kind: 'action', route, operationId });
      continue;
    }
    if (alias) {
      out.set(route, { route, operationId, ...alias });
      continue;
    }
    const query = route.method === 'POST' && /^(get|generate|filter)[A-Z]/.test(operationId);
    const parent = parentOf(route.specPath);
    if (parent && !query && isCollection(parent.path) && route.method !== 'POST') {
      const kind = route.method === 'GET' ? 'get' : route.method === 'DELETE' ? 'delete' : 'update';
      out.set(route, { kind, route, operationId, collection: parent.path, idParam: parent.param });
      continue;
    }
    if (!query && isCollection(route.specPath) && (route.method === 'GET' || route.method === 'POST')) {
      out.set(route, { kind: route.method === 'GET' ? 'list' : 'create', route, operationId, collection: route.specPath });
      continue;
    }
    const owner = itemAncestor(route.specPath, isCollection);
    if (owner) {
      out.set(route, { kind: 'action', route, operationId, collection: owner.path, idParam: owner.param });
      continue;
    }
    if (route.method === 'GET' && route.specPath.startsWith(`${WS}/`) && isObjectSchema(successResponse(route.operation).schema)) {
      out.set(route, { kind: 'singleton', route, operationId, collection: route.specPath });
      continue;
    }
    if ((route.method === 'PUT' || route.method === 'PATCH') && byPath.get(route.specPath)?.has('GET')) {
      out.set(route, { kind: 'singletonUpdate', route, operationId, collection: route.specPath });
      continue;
    }
    out.set(route, { kind: 'action', route, operationId });
  }
  return out;
}

/** `/a/{x}/b/{id}` → `{ path: '/a/{x}/b', param: 'id' }`; undefined when the last segment is literal. */
function parentOf(path: string): { path: string; param: string } | undefined {
  const match = /^(.*)\/\{([^}]+)\}$/.exec(path);
  return match && match[2] !== 'workspaceId' ? { path: match[1]!, param: match[2]! } : undefined;
}

/** The nearest `<collection>/{id}` prefix of a path with literal segments after it (`…/invoices/{invoiceId}/status`). */
function itemAncestor(path: string, isCollection: (path: string) => boolean): { path: string; param: string } | undefined {
  const segments = path.split('/');
  for (let end = segments.length - 1; end > 0; end--) {
    const candidate = segments.slice(0, end).join('/');
    const parent = parentOf(candidate);
    if (parent && isCollection(parent.path)) return parent;
  }
  return undefined;
}

function isObjectSchema(schema: JsonSchema | undefined): boolean {
  return schema !== undefined && schema['type'] !== 'array' && schema['type'] !== 'string';
}

/** Spec path → concrete collection key with the request's parameter values (`…/W1/invoices/I1/payments`). */
export function concrete(specPath: string, params: Record<string, string>): string {
  return specPath.replace(/\{([^}]+)\}/g, (_m, name: string) => params[name] ?? `{${name}}`);
}
