import type { CallInput, PaginationStyle } from '../clockify/catalog/index.js';

/**
 * Page arithmetic of every pagination style of the catalog: query (`page` + `page-size`, `size`,
 * `limit` or `pageSize`, first page 0 or 1) and body (`page` + `pageSize`/`page-size`, optionally
 * inside a filter object such as `detailedFilter`). Pure.
 */

export function firstPageOf(pagination: PaginationStyle): number {
  return pagination.kind === 'none' ? 1 : pagination.firstPage;
}

/** The call input for one page: the step's own input plus the page number and size under the operation's own names. */
export function pageInput(pagination: PaginationStyle, input: CallInput, page: number, pageSize: number | undefined): CallInput {
  const params = { ...(input.params ?? {}) };
  if (pagination.kind === 'none') return { params, ...(input.body !== undefined ? { body: input.body } : {}) };
  const size = pageSize ?? pagination.defaultSize;
  if (pagination.kind === 'query') {
    params[pagination.pageParam] = page;
    params[pagination.sizeParam] = size;
    return { params, ...(input.body !== undefined ? { body: input.body } : {}) };
  }
  const body: Record<string, unknown> = isObject(input.body) ? { ...input.body } : {};
  const target: Record<string, unknown> = pagination.container
    ? { ...(isObject(body[pagination.container]) ? (body[pagination.container] as Record<string, unknown>) : {}) }
    : body;
  target[pagination.pageField] = page;
  target[pagination.sizeField] = size;
  if (pagination.container) body[pagination.container] = target;
  return { params, body };
}

export type StopReason = 'not-paginated' | 'empty-page' | 'last-page-header' | 'short-page' | 'max-pages';

export interface PageFacts {
  pagination: PaginationStyle;
  /** Items in the page's list (before de-duplication). */
  listLength: number;
  pageSize: number | undefined;
  /** The `Last-Page` response header, if any. */
  lastPageHeader: string | undefined;
  /** Pages of this step fetched including this one. */
  pagesFetched: number;
  maxPages: number;
}

/**
 * Whether this page was the step's last, and why. `Last-Page: false` outranks a short page: a server
 * that caps the page size below what was asked must not end the listing early.
 */
export function stopReason(facts: PageFacts): StopReason | undefined {
  if (facts.pagination.kind === 'none') return 'not-paginated';
  if (facts.listLength === 0) return 'empty-page';
  const header = facts.lastPageHeader?.trim().toLowerCase();
  if (header === 'true') return 'last-page-header';
  const size = facts.pageSize ?? facts.pagination.defaultSize;
  if (header !== 'false' && facts.listLength < size) return 'short-page';
  if (facts.pagesFetched >= facts.maxPages) return 'max-pages';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
