import { buildExample, fakeId } from '../spec/example.js';
import { loadOpenApi, specRoutes, successResponse, type JsonSchema } from '../spec/openapi.js';
import type { WorkspaceData } from '../data/workspace.js';

export type Item = Record<string, unknown>;

/**
 * The state of the operations no hand-written route serves, per workspace: collections of items keyed
 * by their concrete path (`/v1/workspaces/W/invoices/I/payments`) and singletons (`…/invoices/settings`).
 * A collection is seeded the first time it is touched, with items whose references are real entities of
 * the workspace (see `knownIds`) and whose ids are derived from the workspace and path, so a seed repeats.
 */
export class GenericState {
  readonly collections = new Map<string, Map<string, Item>>();
  readonly singletons = new Map<string, Item>();
}

const WS = '/v1/workspaces/{workspaceId}';
const SEED_ITEMS = 3;
/** Nested collections (payments of an invoice, requests of a policy) get fewer. */
const SEED_NESTED_ITEMS = 2;

/** Collections that start empty: seeding them would invent facts the rest of the workspace contradicts. */
const UNSEEDED: ReadonlySet<string> = new Set([`${WS}/invoices/{invoiceId}/items`]);

/** Reference fields of generic items → the collection whose ids they name. */
const ID_COLLECTIONS: Readonly<Record<string, string>> = {
  categoryId: `${WS}/expenses/categories`,
  policyId: `${WS}/time-off/policies`,
  invoiceId: `${WS}/invoices`,
};

export function items(ws: WorkspaceData, specPath: string, key: string): Map<string, Item> {
  let collection = ws.generic.collections.get(key);
  if (!collection) {
    collection = new Map();
    ws.generic.collections.set(key, collection);
    if (!UNSEEDED.has(specPath)) seed(ws, specPath, key, collection);
  }
  return collection;
}

function seed(ws: WorkspaceData, specPath: string, key: string, collection: Map<string, Item>): void {
  const schema = itemSchemaOf(specPath);
  if (!schema) return;
  const nested = (specPath.slice(WS.length).match(/\{/g) ?? []).length > 0;
  const count = nested ? SEED_NESTED_ITEMS : SEED_ITEMS;
  const params = paramsOfKey(specPath, key);
  for (let i = 0; i < count; i++) {
    const id = fakeId(`${ws.id}:${key}:${i}`);
    const item = buildExample(schema, { params, known: knownIds(ws, i), base: { id } }) as Item;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
    item['id'] = id;
    collection.set(id, item);
  }
}

/**
 * Real values for reference fields by name: users, projects with one of their tasks, clients, tags and
 * groups of the workspace, and ids of other generic collections (an expense's category, a request's
 * policy). `index` spreads items over different entities.
 */
export function knownIds(ws: WorkspaceData, index: number): (name: string, itemIndex: number) => string | undefined {
  const users = [...ws.users.values()];
  const tasks = [...ws.tasks.values()];
  const projects = [...ws.projects.values()];
  const clients = [...ws.clients.values()];
  const tags = [...ws.tags.values()];
  const groups = [...ws.userGroups.values()];
  const task = tasks.length > 0 ? tasks[index % tasks.length] : undefined;
  const project = task ? ws.projects.get(task.projectId) : projects[index % Math.max(1, projects.length)];
  const client = clients[index % Math.max(1, clients.length)];
  const pick = <T extends { id: string }>(list: T[], i: number) => (list.length > 0 ? list[(index + i) % list.length]!.id : undefined);
  return (name, itemIndex) => {
    switch (name) {
      case 'workspaceId':
        return ws.id;
      case 'userId':
      case 'assigneeId':
      case 'requesterUserId':
      case 'requesterId':
      case 'ownerId':
      case 'creatorId':
      case 'approvedBy':
      case 'memberId':
        return pick(users, itemIndex);
      case 'projectId':
        return project?.id;
      case 'projectName':
        return project?.name;
      case 'taskId':
        return task?.id;
      case 'taskName':
        return task?.name;
      case 'clientId':
        return client?.id;
      case 'clientName':
        return client?.name;
      case 'tagId':
        return pick(tags, itemIndex);
      case 'userGroupId':
        return pick(groups, itemIndex);
      case 'userName':
        return users[(index + itemIndex) % Math.max(1, users.length)]?.name;
      default: {
        const collection = ID_COLLECTIONS[name];
        if (!collection) return undefined;
        const key = collection.replace('{workspaceId}', ws.id);
        const ids = [...items(ws, collection, key).keys()];
        return ids.length > 0 ? ids[index % ids.length] : undefined;
      }
    }
  };
}

/** The schema of one item of a collection: its GET-by-id answer, else its create answer, else its list's items. */
export function itemSchemaOf(collection: string): JsonSchema | undefined {
  const routes = specRoutes();
  const byId = routes.find(
    (r) => r.method === 'GET' && r.specPath.startsWith(`${collection}/{`) && !r.specPath.slice(collection.length + 2).includes('/'),
  );
  const fromGet = byId ? successResponse(byId.operation).schema : undefined;
  if (fromGet) return fromGet;
  const create = routes.find((r) => r.method === 'POST' && r.specPath === collection);
  const created = create ? successResponse(create.operation).schema : undefined;
  if (created && resolveRef(created)['type'] !== 'array') return created;
  const list = routes.find((r) => r.method === 'GET' && r.specPath === collection);
  const listed = list ? successResponse(list.operation).schema : undefined;
  if (!listed) return created ? ((resolveRef(created)['items'] as JsonSchema | undefined) ?? undefined) : undefined;
  const path = listPath(listed);
  return path ? path.items : undefined;
}

/** Where a list answer holds its items: the array itself, or the first array of objects with an `id` (two levels deep). */
export function listPath(schema: JsonSchema): { path: string[]; items: JsonSchema } | undefined {
  const resolved = resolveRef(schema);
  if (resolved['type'] === 'array') return { path: [], items: (resolved['items'] ?? {}) as JsonSchema };
  const search = (current: JsonSchema, path: string[], depth: number): { path: string[]; items: JsonSchema } | undefined => {
    const properties = (resolveRef(current)['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const [name, property] of Object.entries(properties)) {
      const p = resolveRef(property);
      if (p['type'] === 'array') {
        const itemSchema = resolveRef((p['items'] ?? {}) as JsonSchema);
        const props = (itemSchema['properties'] ?? {}) as Record<string, unknown>;
        if ('id' in props) return { path: [...path, name], items: (p['items'] ?? {}) as JsonSchema };
      }
    }
    if (depth <= 0) return undefined;
    for (const [name, property] of Object.entries(properties)) {
      if (resolveRef(property)['properties']) {
        const found = search(property, [...path, name], depth - 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(resolved, [], 1);
}

export function resolveRef(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 20; hops++) {
    const name = (current['$ref'] as string).replace('#/components/schemas/', '');
    current = (loadOpenApi().components.schemas[name] as JsonSchema | undefined) ?? {};
  }
  return current;
}

/** `{workspaceId}` etc. read back from a concrete key of the same shape. */
function paramsOfKey(specPath: string, key: string): Record<string, string> {
  const names = specPath.split('/');
  const values = key.split('/');
  const out: Record<string, string> = {};
  names.forEach((segment, i) => {
    const match = /^\{(.+)\}$/.exec(segment);
    if (match && values[i] !== undefined) out[match[1]!] = values[i]!;
  });
  return out;
}
