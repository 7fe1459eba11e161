import { describe, expect, it } from 'vitest';
import { duration, entityTypeLabel, humanizeEvent, localInputToIso, relativeTime, toDate } from '../src/lib/format';
import { apiRootOf, queryString } from '../src/api/client';
import { parseRoute, routeHref } from '../src/lib/route';

describe('display formatting', () => {
  it('reads times given in ms, seconds or ISO text', () => {
    expect(toDate(1_700_000_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate(1_700_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate('2023-11-14T22:13:20Z')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate(null)).toBeNull();
    expect(toDate('yesterday-ish')).toBeNull();
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(relativeTime(now - 10_000, now, 'en')).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - 26 * 3600_000, now, 'en')).toBe('yesterday');
    expect(relativeTime(null, now, 'en')).toBe('—');
  });

  it('writes durations at a readable precision', () => {
    expect(duration(12.4)).toBe('12 ms');
    expect(duration(1530)).toBe('1.53 s');
    expect(duration(75_000)).toBe('1 min 15 s');
    expect(duration(null)).toBe('—');
  });

  it('labels events and snapshot types', () => {
    expect(humanizeEvent('NEW_TIME_ENTRY')).toBe('New time entry');
    expect(entityTypeLabel('time-entries')).toBe('Time entries');
    expect(entityTypeLabel('raw:getWorkspaceOfUser')).toBe('Workspace');
    expect(entityTypeLabel('webhooks-statuses')).toBe('Webhook delivery statuses');
    expect(entityTypeLabel('raw:getSomethingElse')).toBe('Something else');
    expect(entityTypeLabel('projectCustomFields')).toBe('Project custom fields');
  });

  it('turns an empty date input into no filter', () => {
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2025-03-01T10:30')).toMatch(/^2025-03-01T\d\d:30:00\.000Z$/);
  });
});

describe('addresses', () => {
  it('finds the API next to /sidebar, behind any proxy prefix', () => {
    expect(apiRootOf('/sidebar')).toBe('');
    expect(apiRootOf('/sidebar/')).toBe('');
    expect(apiRootOf('/studio/sidebar')).toBe('/studio');
  });

  it('leaves empty filters out of the query', () => {
    expect(queryString({ type: 'A,B', status: '', from: undefined, limit: 30, flag: false })).toBe('?type=A%2CB&limit=30&flag=false');
    expect(queryString({})).toBe('');
  });

  it('routes views by the hash and falls back to the overview', () => {
    expect(parseRoute('#/flows/f1/runs/r%2F1')).toEqual({ view: 'flows', parts: ['f1', 'runs', 'r/1'] });
    expect(parseRoute('')).toEqual({ view: 'overview', parts: [] });
    expect(parseRoute('#/nowhere/x')).toEqual({ view: 'overview', parts: [] });
    expect(routeHref('explorer', 'get Tag', undefined)).toBe('#/explorer/get%20Tag');
  });
});
