import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';

/** One entity to cache: its id within its type, and the document as Clockify returned it. */
export interface CachedEntity {
  id: string;
  data: unknown;
}

/**
 * The entities of one response page. `listPath` says where the list is ([] = the body itself); an
 * undefined `listPath` means the operation returns one object, kept whole under `rawKey`.
 * Entities keep Clockify's id (`id`, or `_id` in reports); those without one get a content hash, so a
 * rerun still lands on the same row. `idPrefix` scopes ids that repeat across parents.
 */
export function entitiesOfPage(
  body: unknown,
  listPath: readonly string[] | undefined,
  options: { rawKey: string; idPrefix?: string },
): { entities: CachedEntity[]; listLength: number } {
  if (listPath === undefined) {
    if (body === null || body === undefined || body === '') return { entities: [], listLength: 0 };
    return { entities: [{ id: options.rawKey, data: body }], listLength: 1 };
  }
  const list = listAt(body, listPath);
  // Later duplicates win: the same id twice in one batch would make the upsert touch a row twice.
  const byId = new Map<string, CachedEntity>();
  for (const item of list) {
    const id = entityIdOf(item);
    byId.set(options.idPrefix ? `${options.idPrefix}/${id}` : id, { id: options.idPrefix ? `${options.idPrefix}/${id}` : id, data: item });
  }
  return { entities: [...byId.values()], listLength: list.length };
}

export function listAt(body: unknown, path: readonly string[]): unknown[] {
  let value: unknown = body;
  for (const key of path) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? value : [];
}

export function entityIdOf(item: unknown): string {
  if (item && typeof item === 'object') {
    for (const key of ['id', '_id']) {
      const value = (item as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
  }
  return `h:${createHash('sha256').update(canonicalJson(item)).digest('hex').slice(0, 24)}`;
}

/** A stable key of an operation's parameters (the workspace left out: the cache is per workspace). `_` when there are none. */
export function paramsKey(params: Record<string, unknown>, leaveOut: readonly string[] = []): string {
  const names = Object.keys(params)
    .filter(
      (name) =>
        name !== 'workspaceId' && !leaveOut.includes(name) && params[name] !== undefined && params[name] !== null && params[name] !== '',
    )
    .sort();
  if (names.length === 0) return '_';
  const search = new URLSearchParams();
  for (const name of names) {
    const value = params[name];
    search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return search.toString();
}
