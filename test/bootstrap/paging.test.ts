import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/clockify/catalog/index.js';
import type { PaginationStyle } from '../../src/clockify/catalog/index.js';
import { entitiesOfPage, entityIdOf, paramsKey } from '../../src/bootstrap/entities.js';
import { firstPageOf, pageInput, stopReason } from '../../src/bootstrap/paging.js';
import type { PageFacts } from '../../src/bootstrap/paging.js';
import { EventBus } from '../../src/events-bus.js';
import type { LiveEvent } from '../../src/events-bus.js';
import { ProgressPublisher } from '../../src/bootstrap/progress.js';
import type { BootstrapRun } from '../../src/bootstrap/store.js';

const catalog = getCatalog();
const paginationOf = (operationId: string): PaginationStyle => catalog.get(operationId)!.pagination;

describe('page requests in each pagination style', () => {
  it('query page + page-size, first page 1 (projects)', () => {
    const style = paginationOf('getProjects');
    expect(firstPageOf(style)).toBe(1);
    expect(pageInput(style, { params: { workspaceId: 'w' } }, 3, 500)).toEqual({ params: { workspaceId: 'w', page: 3, 'page-size': 500 } });
  });

  it('query page + size, first page 0 (webhook statuses)', () => {
    const style = paginationOf('getWebhookEventStatusesWithLatestLog');
    expect(firstPageOf(style)).toBe(0);
    expect(pageInput(style, { params: { webhookId: 'h' } }, 0, 100)).toEqual({ params: { webhookId: 'h', page: 0, size: 100 } });
  });

  it('query page + limit (entity changes)', () => {
    const style = paginationOf('getCreatedEntityInfo');
    expect(pageInput(style, { params: {} }, 0, 50)).toEqual({ params: { page: 0, limit: 50 } });
  });

  it('body page + pageSize inside a filter object (detailed report), leaving the rest of the body alone', () => {
    const style = paginationOf('generateDetailedReport');
    const input = { params: {}, body: { dateRangeStart: 'a', detailedFilter: { sortColumn: 'DATE' } } };
    expect(pageInput(style, input, 2, 500)).toEqual({
      params: {},
      body: { dateRangeStart: 'a', detailedFilter: { sortColumn: 'DATE', page: 2, pageSize: 500 } },
    });
    expect(input.body.detailedFilter).toEqual({ sortColumn: 'DATE' });
  });

  it('body page + page-size at the top level (audit log)', () => {
    const style = paginationOf('getAuditLogs');
    expect(pageInput(style, { params: {}, body: { start: 's' } }, 1, 50)).toEqual({
      params: {},
      body: { start: 's', page: 1, 'page-size': 50 },
    });
  });

  it('no pagination: the input as it is', () => {
    expect(pageInput({ kind: 'none' }, { params: { a: 1 } }, 1, 500)).toEqual({ params: { a: 1 } });
  });
});

describe('when a step stops paging', () => {
  const query = paginationOf('getProjects');
  const facts = (overrides: Partial<PageFacts>): PageFacts => ({
    pagination: query,
    listLength: 10,
    pageSize: 10,
    lastPageHeader: undefined,
    pagesFetched: 1,
    maxPages: 100,
    ...overrides,
  });

  it('a full page without Last-Page goes on', () => expect(stopReason(facts({}))).toBeUndefined());
  it('a short page stops', () => expect(stopReason(facts({ listLength: 4 }))).toBe('short-page'));
  it('an empty page stops', () => expect(stopReason(facts({ listLength: 0, lastPageHeader: 'false' }))).toBe('empty-page'));
  it('Last-Page: true stops even on a full page', () => expect(stopReason(facts({ lastPageHeader: 'true' }))).toBe('last-page-header'));
  it('max_pages stops', () => expect(stopReason(facts({ pagesFetched: 100 }))).toBe('max-pages'));
  it('Last-Page: false outranks a short page (a server capping the size must not end the list early)', () =>
    expect(stopReason(facts({ listLength: 4, lastPageHeader: 'false' }))).toBeUndefined());
  it('body and size-named styles stop the same way', () => {
    expect(stopReason(facts({ pagination: paginationOf('generateDetailedReport'), listLength: 3 }))).toBe('short-page');
    expect(stopReason(facts({ pagination: paginationOf('getWebhookEventStatusesWithLatestLog'), listLength: 0 }))).toBe('empty-page');
  });
  it('an operation without pagination is one page', () =>
    expect(stopReason(facts({ pagination: { kind: 'none' } }))).toBe('not-paginated'));
});

describe('entities of a page', () => {
  it('takes the list where the plan says and keys by Clockify id, later duplicates winning', () => {
    const page = entitiesOfPage({ webhooks: [{ id: 'a', v: 1 }, { id: 'b' }, { id: 'a', v: 2 }] }, ['webhooks'], { rawKey: '_' });
    expect(page.listLength).toBe(3);
    expect(page.entities).toEqual([
      { id: 'a', data: { id: 'a', v: 2 } },
      { id: 'b', data: { id: 'b' } },
    ]);
  });

  it('scopes ids by the parent when asked', () => {
    expect(entitiesOfPage([{ id: 'cf1' }], [], { rawKey: '_', idPrefix: 'p1' }).entities[0]!.id).toBe('p1/cf1');
  });

  it('stores a single object whole under the key of its parameters', () => {
    expect(entitiesOfPage({ id: 'ws', name: 'W' }, undefined, { rawKey: paramsKey({ workspaceId: 'ws' }) }).entities).toEqual([
      { id: '_', data: { id: 'ws', name: 'W' } },
    ]);
    expect(paramsKey({ workspaceId: 'w', userId: 'u', start: 's' })).toBe('start=s&userId=u');
  });

  it('gives entities without an id a stable content hash', () => {
    expect(entityIdOf({ b: 1, a: 2 })).toBe(entityIdOf({ a: 2, b: 1 }));
    expect(entityIdOf({ a: 1 })).not.toBe(entityIdOf({ a: 2 }));
    expect(entityIdOf({ _id: 'r1' })).toBe('r1');
  });
});

describe('progress on the live bus', () => {
  it('publishes at most once per interval, final states always', () => {
    const bus = new EventBus();
    const seen: LiveEvent[] = [];
    bus.subscribe('w', (event) => seen.push(event));
    let clock = 0;
    const publisher = new ProgressPublisher(bus, () => clock, 250);
    const run = { id: 'r', workspaceId: 'w', status: 'running', pagesFetched: 0 } as BootstrapRun;
    for (let page = 1; page <= 10; page++) {
      run.pagesFetched = page;
      clock += 50;
      publisher.publish(run);
    }
    run.status = 'completed';
    publisher.publish(run, { final: true });
    expect(seen.map((event) => event.data.pagesFetched)).toEqual([1, 6, 10]);
    expect(seen.every((event) => event.kind === 'bootstrap')).toBe(true);
    expect(seen.at(-1)!.data.status).toBe('completed');
  });
});
