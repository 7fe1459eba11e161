import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { projectDto, taskDto, userDto, workspaceDto } from '../data/dto.js';
import type { WorkspaceData } from '../data/workspace.js';
import { objectId } from '../data/workspace.js';
import { ClockifyError, notFound } from '../errors.js';
import { eventFor, eventPayload } from '../generic/events.js';
import { concrete, resourceOf, type Resource } from '../generic/resources.js';
import { itemSchemaOf, items, knownIds, listPath, resolveRef, type Item } from '../generic/store.js';
import { requestState } from '../request-state.js';
import { buildExample } from '../spec/example.js';
import { UploadedFile } from '../spec/multipart.js';
import { specRoutes, successResponse, type JsonSchema } from '../spec/openapi.js';
import { emit, type RouteContext } from './context.js';

/**
 * Every spec operation without a hand-written route is served from the generic, spec-driven store
 * (src/generic): creates keep what they were sent under a new id, reads return it, updates change it,
 * deletes remove it, lists page with `Last-Page`, and the matching webhooks fire. Answers are the
 * stored items conformed to each operation's answer schema (every declared field present).
 * Unknown paths still get 404.
 */
export function registerFallbackRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = requestState(request);
    const match = state.match;
    if (!match) throw new ClockifyError(404, 'Not found');
    const workspaceId = match.params['workspaceId'] ?? state.token?.workspaceId;
    const ws = workspaceId ? ctx.workspaces.get(workspaceId) : undefined;
    if (!ws) throw new ClockifyError(404, 'Workspace not found');
    const resource = resourceOf(match.route);
    const multipart = String(request.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('multipart/');
    const call: Call = { ctx, request, reply, ws, resource, params: match.params, body: multipart ? formBody(request.body) : request.body };
    return serve(call);
  };
  for (const prefix of ['/api', '/reports', '/auditlog']) {
    app.all(`${prefix}/*`, handler);
  }
}

interface Call {
  ctx: RouteContext;
  request: FastifyRequest;
  reply: FastifyReply;
  ws: WorkspaceData;
  resource: Resource;
  params: Record<string, string>;
  body: unknown;
}

/** Operations whose state lives in another helper's hand-written route: answered as before, an example. */
const NOT_GENERIC: ReadonlySet<string> = new Set(['getLogsForWebhook']);

async function serve(call: Call): Promise<unknown> {
  const { resource } = call;
  if (NOT_GENERIC.has(resource.operationId)) return answer(call, undefined);
  switch (resource.kind) {
    case 'list':
      return list(call);
    case 'create':
      return create(call);
    case 'get':
      return answer(call, itemOf(call));
    case 'update': {
      const item = itemOf(call);
      merge(item, call.body);
      fire(call, item);
      return answer(call, item);
    }
    case 'delete': {
      const item = itemOf(call);
      collectionOf(call).delete(item['id'] as string);
      fire(call, item);
      return answer(call, item);
    }
    case 'singleton':
      return answer(call, singleton(call, resource.collection!));
    case 'singletonUpdate': {
      const item = singleton(call, resource.collection!);
      merge(item, call.body);
      fire(call, item);
      return answer(call, item);
    }
    case 'action':
      return action(call);
  }
}

function collectionOf(call: Call, collection = call.resource.collection!): Map<string, Item> {
  requireParents(call, collection);
  return items(call.ws, collection, concrete(collection, call.params));
}

/** A nested collection exists only under an existing generic item (`invoices/{invoiceId}/payments`). */
function requireParents(call: Call, collection: string): void {
  const match = /^(.*)\/\{([^}]+)\}\/[^{}]+$/.exec(collection);
  if (!match || match[2] === 'workspaceId') return;
  const parent = match[1]!;
  if (!itemSchemaOf(parent)) return;
  const parentItems = collectionOf(call, parent);
  if (!parentItems.has(call.params[match[2]!] ?? '')) throw notFound(entityName(parent));
}

function itemOf(call: Call): Item {
  const id = call.params[call.resource.idParam!] ?? '';
  const item = collectionOf(call).get(id);
  if (!item) throw notFound(entityName(call.resource.collection!));
  return item;
}

function singleton(call: Call, specPath: string): Item {
  const key = concrete(specPath, call.params);
  let item = call.ws.generic.singletons.get(key);
  if (!item) {
    const getRoute = call.resource.kind === 'singleton' ? call.resource.route : undefined;
    const schema = getRoute ? successResponse(getRoute.operation).schema : itemSchemaOfSingleton(specPath);
    item = (schema ? buildExample(schema, { params: call.params, known: knownIds(call.ws, 0) }) : {}) as Item;
    call.ws.generic.singletons.set(key, item);
  }
  return item;
}

/** A singleton's shape is its GET answer (`PUT invoices/settings` stores what `GET invoices/settings` reads). */
function itemSchemaOfSingleton(specPath: string): JsonSchema | undefined {
  const get = specRoutes().find((route) => route.method === 'GET' && route.specPath === specPath);
  return get ? successResponse(get.operation).schema : undefined;
}

function list(call: Call): unknown {
  const all = [...collectionOf(call).values()];
  const { status, schema } = successResponse(call.resource.route.operation);
  const page = pageOf(call, all);
  if (!schema) return call.reply.code(status).send();
  const where = listPath(schema);
  if (!where) return call.reply.code(status).send(conformed(call, schema, undefined));
  // A hydrated list may hold the item one level down (`approvalRequest: {…}` in the approval details).
  const itemSchema = itemSchemaOf(call.resource.collection!);
  const itemProperties = (resolveRef(where.items)['properties'] ?? {}) as Record<string, JsonSchema>;
  const holderKey = itemSchema ? Object.keys(itemProperties).find((key) => sameSchema(itemProperties[key]!, itemSchema)) : undefined;
  const conformedItems = page.map((item, i) =>
    buildExample(where.items, {
      params: call.params,
      known: knownIds(call.ws, i),
      base: holderKey ? { ...item, [holderKey]: item } : item,
    }),
  );
  if (where.path.length === 0) return call.reply.code(status).send(conformedItems);
  const wrapper = conformed(call, schema, undefined) as Record<string, unknown>;
  let holder = wrapper;
  for (const key of where.path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  holder[where.path[where.path.length - 1]!] = conformedItems;
  for (const countKey of ['count', 'total', 'totalCount']) if (typeof holder[countKey] === 'number') holder[countKey] = all.length;
  return call.reply.code(status).send(wrapper);
}

/** Query paging (`page` from 1 + `page-size`/`pageSize`/`size`), with `Last-Page` when the operation pages. */
function pageOf<T>(call: Call, all: T[]): T[] {
  const parameters = call.resource.route.operation.parameters ?? [];
  const names = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  if (!names.has('page')) return all;
  const q = (call.request.query ?? {}) as Record<string, string | undefined>;
  const sizeName = ['page-size', 'pageSize', 'size'].find((name) => names.has(name));
  const sizeParam = parameters.find((p) => p.name === sizeName);
  const defaultSize = Number(sizeParam?.schema?.['default'] ?? 50) || 50;
  const page = Math.max(1, Number(q['page'] ?? 1) || 1);
  const size = Math.max(1, Number((sizeName && q[sizeName]) ?? defaultSize) || defaultSize);
  const start = (page - 1) * size;
  void call.reply.header('Last-Page', String(start + size >= all.length));
  return all.slice(start, start + size);
}

function create(call: Call): unknown {
  const { resource, ws } = call;
  const collection = collectionOf(call);
  const bodies = Array.isArray(call.body) ? call.body : [call.body];
  const created = bodies.map((body) => {
    // Invoice items are addressed by their order (1, 2, …), not an id.
    const id = resource.collection!.endsWith('/items')
      ? String(Math.max(0, ...[...collection.keys()].map(Number).filter(Number.isFinite)) + 1)
      : objectId();
    const base: Item = { ...(isRecord(body) ? body : {}), ...pathRefs(call), id, workspaceId: ws.id };
    const schema = itemSchemaOf(resource.collection!);
    const item = {
      ...base,
      ...(schema ? (buildExample(schema, { params: call.params, known: knownIds(ws, collection.size), base }) as Item) : {}),
    };
    item['id'] = id;
    if (resource.collection!.endsWith('/items')) item['order'] = Number(id);
    collection.set(id, item);
    fire(call, item);
    return item;
  });
  const { status, schema } = successResponse(resource.route.operation);
  if (!schema) return call.reply.code(status).send();
  const parent = parentItem(call);
  if (parent && sameSchema(schema, itemSchemaOf(parent.collection)))
    return call.reply.code(status).send(conformed(call, schema, parent.item));
  const resolved = resolveRef(schema);
  if (resolved['type'] === 'array') {
    const itemsSchema = (resolved['items'] ?? {}) as JsonSchema;
    return call.reply
      .code(status)
      .send(created.map((item, i) => buildExample(itemsSchema, { params: call.params, known: knownIds(ws, i), base: item })));
  }
  return call.reply.code(status).send(conformed(call, schema, created[0]));
}

/** Path parameters other than the workspace are references the new item carries (`policyId`, `userId`). */
function pathRefs(call: Call): Item {
  return Object.fromEntries(Object.entries(call.params).filter(([name]) => name !== 'workspaceId'));
}

function parentItem(call: Call): { collection: string; item: Item } | undefined {
  const match = /^(.*)\/\{([^}]+)\}\/[^{}]+$/.exec(call.resource.collection ?? '');
  if (!match || match[2] === 'workspaceId') return undefined;
  const item = collectionOf(call, match[1]!).get(call.params[match[2]!] ?? '');
  return item ? { collection: match[1]!, item } : undefined;
}

function sameSchema(a: JsonSchema, b: JsonSchema | undefined): boolean {
  return b !== undefined && typeof a['$ref'] === 'string' && a['$ref'] === b['$ref'];
}

/** Collections the hand-written routes own: actions on their items answer from those records. */
const HAND_WRITTEN = /\/(projects|users|clients|tags|user-groups|webhooks|time-entries|custom-fields)$|\/projects\/\{projectId\}\/tasks$/;

function action(call: Call): unknown {
  const { resource } = call;
  const op = resource.operationId;
  if (op === 'getCreatedEntityInfo' || op === 'getUpdatedEntityInfo') return entityChanges(call);
  if (op === 'getTimeOffRequest') return timeOffRequests(call);
  if (op === 'uploadImage' && isRecord(call.body)) {
    // The image keeps the uploaded file's name, like Clockify's answer.
    const name = String(call.body['fileName'] ?? 'image');
    return answer(call, { name, url: `https://img.clockify.me/sandbox/${encodeURIComponent(name)}` });
  }
  if (resource.collection && resource.idParam && !HAND_WRITTEN.test(resource.collection)) {
    const item = itemOf(call);
    if (op === 'duplicateInvoice') {
      const copy: Item = { ...structuredClone(item), id: objectId() };
      collectionOf(call).set(copy['id'] as string, copy);
      fire(call, copy);
      return answer(call, copy);
    }
    if (call.resource.route.method === 'PUT' || call.resource.route.method === 'PATCH') merge(item, call.body);
    fire(call, item);
    return answer(call, item);
  }
  const base = handWrittenBase(call);
  fire(call, { ...(isRecord(call.body) ? call.body : {}), ...(isRecord(base) ? base : {}), ...pathRefs(call) });
  return answer(call, base);
}

/** The record a hand-written route keeps, shaped as its DTO, for actions answering that entity. */
function handWrittenBase(call: Call): unknown {
  const { schema } = successResponse(call.resource.route.operation);
  const name = typeof schema?.['$ref'] === 'string' ? (schema['$ref'] as string).split('/').pop() : undefined;
  const { ws, params } = call;
  if (call.resource.operationId === 'getManagersOfUser') {
    if (!ws.users.has(params['userId'] ?? '')) throw notFound('User');
    return [...ws.users.values()]
      .filter((u) => u.role === 'OWNER' || u.role === 'ADMIN' || u.role === 'TEAM_MANAGER')
      .map((u) => userDto(ws, u));
  }
  if (name?.startsWith('WorkspaceDto')) return workspaceDto(ws);
  if (name?.startsWith('ProjectDto') && params['projectId']) {
    const project = ws.projects.get(params['projectId']);
    if (!project) throw notFound('Project');
    return projectDto(ws, project);
  }
  if (name?.startsWith('TaskDto') && params['id']) {
    const task = ws.tasks.get(params['id']);
    if (!task) throw notFound('Task');
    return taskDto(ws, task);
  }
  if (params['userId'] && /\/users\/\{userId\}|member-profile/.test(call.resource.route.specPath)) {
    const user = ws.users.get(params['userId']);
    if (!user) throw notFound('User');
    if (name?.startsWith('UserDto')) return userDto(ws, user);
  }
  return undefined;
}

/** Entity changes answer JSON, in the shape of `entities/deleted` (the spec's `type: string` is not what Clockify sends; README allow-list). */
function entityChanges(call: Call): unknown {
  return call.reply.code(200).type('application/json').send({ response: [], cursor: null });
}

/** POST time-off/requests: every request of every policy, paged by the body. */
function timeOffRequests(call: Call): unknown {
  const { schema, status } = successResponse(call.resource.route.operation);
  const policies = items(call.ws, '/v1/workspaces/{workspaceId}/time-off/policies', `/v1/workspaces/${call.ws.id}/time-off/policies`);
  const all: Item[] = [];
  for (const policyId of policies.keys()) {
    const key = `/v1/workspaces/${call.ws.id}/time-off/policies/${policyId}/requests`;
    all.push(...items(call.ws, '/v1/workspaces/{workspaceId}/time-off/policies/{policyId}/requests', key).values());
  }
  const body = isRecord(call.body) ? call.body : {};
  const page = Math.max(1, Number(body['page'] ?? 1) || 1);
  const size = Math.max(1, Number(body['pageSize'] ?? 50) || 50);
  const slice = all.slice((page - 1) * size, page * size);
  const wrapper = conformed(call, schema ?? {}, { requests: slice, count: all.length }) as Record<string, unknown>;
  return call.reply.code(status).send(wrapper);
}

function answer(call: Call, item: unknown): unknown {
  const { status, schema } = successResponse(call.resource.route.operation);
  if (!schema) return call.reply.code(status).send();
  const value = conformed(call, schema, item);
  return call.reply.code(status).send(paged(call, schema, value));
}

/** A list answer of an operation that pages (computed totals, balances, managers): paged like a store list, with `Last-Page`. */
function paged(call: Call, schema: JsonSchema, value: unknown): unknown {
  const where = listPath(schema);
  if (!where) return value;
  if (where.path.length === 0) return Array.isArray(value) ? pageOf(call, value) : value;
  let holder = value as Record<string, unknown> | undefined;
  for (const key of where.path.slice(0, -1)) holder = holder?.[key] as Record<string, unknown> | undefined;
  const last = where.path[where.path.length - 1]!;
  if (holder && Array.isArray(holder[last])) holder[last] = pageOf(call, holder[last] as unknown[]);
  return value;
}

function conformed(call: Call, schema: JsonSchema, base: unknown): unknown {
  return buildExample(schema, { params: call.params, known: knownIds(call.ws, 0), ...(base !== undefined ? { base } : {}) });
}

function fire(call: Call, item: Item): void {
  const event = eventFor(call.resource.operationId, call.body, item);
  if (!event) return;
  const { payload, trigger } = eventPayload(call.ws, event, item);
  emit(call.request, call.ws.id, event, payload, trigger);
}

/**
 * Body fields merged into the item; the item's id never changes. A status sent as a word lands in the
 * stored status object (`{status: 'APPROVED'}` → `status.statusType`), the shape answers and webhooks use.
 */
function merge(item: Item, body: unknown): void {
  if (!isRecord(body)) return;
  const id = item['id'];
  for (const [key, value] of Object.entries(body)) {
    const current = item[key];
    const slot =
      isRecord(current) && typeof value === 'string'
        ? ['statusType', 'state', 'status'].find((k) => typeof current[k] === 'string')
        : undefined;
    if (slot && isRecord(current)) current[slot] = value;
    else item[key] = value;
  }
  if (id !== undefined) item['id'] = id;
}

/** Multipart fields as JSON-like values (numbers, booleans), file parts as their name (`fileName`). */
function formBody(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value instanceof UploadedFile) {
      out['fileName'] = value.filename;
      continue;
    }
    out[name] = typeof value === 'string' ? fromFormText(value) : value;
  }
  return out;
}

function fromFormText(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function entityName(collection: string): string {
  const last =
    collection
      .split('/')
      .filter((s) => !s.startsWith('{'))
      .pop() ?? 'Entity';
  const singular = last.endsWith('ies') ? `${last.slice(0, -3)}y` : last.endsWith('s') ? last.slice(0, -1) : last;
  return singular.charAt(0).toUpperCase() + singular.slice(1).replace(/-/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
