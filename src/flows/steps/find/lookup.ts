/**
 * A find step's I/O: the workspace's bootstrap cache first, then Clockify (through the rate-limited
 * client), and creating through Clockify. What is found or created is put into the cache, so the next
 * run finds it without a call.
 */
import { upsertEntities } from '../../../bootstrap/cache.js';
import { entityIdOf } from '../../../bootstrap/entities.js';
import { firstPageOf, pageInput, stopReason } from '../../../bootstrap/paging.js';
import { callOperation } from '../../../lifecycle/workspace-api.js';
import type { Runtime } from '../../../runtime.js';
import { FLOW_LIMITS, type FindEntity } from '../../shared/flow-constants.js';
import { ENTITY_SOURCES, fieldMatches, inProject } from './entities.js';

const CACHE_TTL_DAYS = 7;
const PAGE_SIZE = 200;
const FIND_MAX_PAGES = FLOW_LIMITS.findPages;

export interface FindQuery {
  workspaceId: string;
  entity: FindEntity;
  field: string;
  value: string;
  projectId?: string;
}

/** The cached entity matching the query, if the cache holds one that has not expired. */
export async function findInCache(runtime: Runtime, query: FindQuery): Promise<Record<string, unknown> | undefined> {
  const source = ENTITY_SOURCES[query.entity];
  const rows = await runtime.database.db
    .selectFrom('entity_cache')
    .select('data_json')
    .where('workspace_id', '=', query.workspaceId)
    .where('entity_type', '=', source.cacheType)
    .where('expires_at', '>', runtime.now())
    .execute();
  for (const row of rows) {
    const data = JSON.parse(row.data_json) as Record<string, unknown>;
    if (fieldMatches(data, query.field, query.value) && inProject(data, query.projectId)) return data;
  }
  return undefined;
}

export type ApiAnswer = { ok: true; entity: Record<string, unknown> | undefined } | { ok: false; error: string; retryable: boolean };

/**
 * Asks Clockify, narrowed by the field when it can filter on it, page after page until the match, the
 * last page or FIND_MAX_PAGES (each page through the rate limiter). Clockify's name filter matches
 * parts of names, so a workspace with many similar names needs more than one page; past the bound
 * the answer is "could not tell", never "missing", so find-or-create does not create a duplicate.
 */
export async function findThroughApi(runtime: Runtime, query: FindQuery, signal: AbortSignal): Promise<ApiAnswer> {
  const source = ENTITY_SOURCES[query.entity];
  const operation = runtime.catalog.get(source.list);
  if (!operation) return { ok: false, error: `the catalog has no ${source.list}`, retryable: false };
  const filter = source.filters[query.field];
  const params: Record<string, unknown> = {
    ...source.listParams,
    workspaceId: query.workspaceId,
    ...(filter ? { [filter]: query.value } : {}),
  };
  if (query.projectId !== undefined) params.projectId = query.projectId;
  const pagination = operation.pagination;
  for (let page = firstPageOf(pagination), fetched = 1; ; page++, fetched++) {
    const { response } = await callOperation(runtime, {
      workspaceId: query.workspaceId,
      operation,
      input: pageInput(pagination, { params }, page, PAGE_SIZE),
      source: 'flow',
      lane: 'interactive',
      signal,
      throwOnHttpError: false,
    });
    if (response.status >= 400)
      return {
        ok: false,
        error: `Clockify answered ${response.status} to ${source.list}`,
        retryable: response.status === 429 || response.status >= 500,
      };
    const list = Array.isArray(response.body) ? (response.body as unknown[]) : [];
    const entity = list.find((item) => fieldMatches(item, query.field, query.value) && inProject(item, query.projectId)) as
      Record<string, unknown> | undefined;
    if (entity) {
      await remember(runtime, query, entity);
      return { ok: true, entity };
    }
    const reason = stopReason({
      pagination,
      listLength: list.length,
      pageSize: PAGE_SIZE,
      lastPageHeader: response.headers['last-page'],
      pagesFetched: fetched,
      maxPages: FIND_MAX_PAGES,
    });
    if (reason === 'max-pages')
      return {
        ok: false,
        error: `looked through ${FIND_MAX_PAGES} pages of ${source.list} without finding ${query.field} "${query.value}"; not sure it is missing (limit findPages)`,
        retryable: false,
      };
    if (reason !== undefined) return { ok: true, entity: undefined };
  }
}

/** Creates the entity with the found field's value as its name (plus the step's extra fields). */
export async function createThroughApi(
  runtime: Runtime,
  query: FindQuery,
  extra: Record<string, unknown>,
  signal: AbortSignal,
): Promise<ApiAnswer & { request?: unknown }> {
  const source = ENTITY_SOURCES[query.entity];
  const operation = source.create ? runtime.catalog.get(source.create) : undefined;
  if (!operation) return { ok: false, error: `${query.entity} cannot be created`, retryable: false };
  const body = { ...extra, [query.field === 'id' ? 'id' : 'name']: query.value };
  const params: Record<string, unknown> = {
    workspaceId: query.workspaceId,
    ...(query.projectId !== undefined ? { projectId: query.projectId } : {}),
  };
  const { response } = await callOperation(runtime, {
    workspaceId: query.workspaceId,
    operation,
    input: { params, body },
    source: 'flow',
    lane: 'interactive',
    signal,
    throwOnHttpError: false,
  });
  const request = { operationId: operation.operationId, body: runtime.redactor.redact(body) };
  if (response.status >= 400)
    return {
      ok: false,
      error: `Clockify answered ${response.status} to ${operation.operationId}`,
      retryable: response.status === 429 || response.status >= 500,
      request,
    };
  const entity = response.body as Record<string, unknown>;
  await remember(runtime, query, entity);
  return { ok: true, entity, request };
}

async function remember(runtime: Runtime, query: FindQuery, entity: Record<string, unknown>): Promise<void> {
  const source = ENTITY_SOURCES[query.entity];
  const id = entityIdOf(entity);
  // Tasks are cached under their project (the bootstrap's id prefix), so ids never collide across projects.
  const cacheId = query.entity === 'task' && query.projectId ? `${query.projectId}/${id}` : id;
  await upsertEntities(runtime.database.db, query.workspaceId, source.cacheType, [{ id: cacheId, data: entity }], {
    now: runtime.now(),
    ttlDays: CACHE_TTL_DAYS,
  });
}
