import { describe, expect, it } from 'vitest';
import { eventSummary, isoDurationSeconds, sourceLabel, spokenDuration } from '../src/lib/event-summary';
import { EMPTY_DIRECTORY, nameIndex } from '../src/lib/names';

const names = nameIndex({
  ...EMPTY_DIRECTORY,
  users: [{ id: 'u1', name: 'Ana' }],
  projects: [{ id: 'p1', name: 'Website Redesign' }],
  sources: [{ id: 's1', name: 'GitHub' }],
});

describe('one-line event summaries', () => {
  it('says who logged how long on what, in names', () => {
    expect(
      eventSummary(
        'NEW_TIME_ENTRY',
        { userId: 'u1', projectId: 'p1', start: '2026-01-01T09:00:00Z', end: '2026-01-01T10:30:00Z', duration: 'PT1H30M' },
        names,
      ),
    ).toBe('Ana logged 1 h 30 m on Website Redesign');
  });

  it('falls back to the names in the payload, then to neutral words, never to ids', () => {
    expect(eventSummary('NEW_TIMER_STARTED', { userId: 'x', userName: 'Bo', projectId: 'y' }, names)).toBe('Bo started a timer');
    expect(eventSummary('NEW_PROJECT', { entityId: 'p1', name: 'Website Redesign' }, names)).toBe('Project "Website Redesign" was created');
    expect(eventSummary('TAG_DELETED', {}, names)).toBe('A tag was deleted');
    expect(eventSummary('EXPENSE_CREATED', { userId: 'u1' }, names)).toBe('Expense created · Ana');
  });

  it('names custom events by their stored type and source', () => {
    expect(eventSummary('push', undefined, names, 'GitHub')).toBe('GitHub: push');
    expect(eventSummary('custom', undefined, names, 'GitHub')).toBe('GitHub sent an event');
    expect(sourceLabel('custom:s1', names)).toBe('GitHub');
    expect(sourceLabel('clockify', names)).toBe('Clockify');
  });

  it('reads ISO durations and speaks them', () => {
    expect(isoDurationSeconds('PT1H30M')).toBe(5400);
    expect(isoDurationSeconds('PT45S')).toBe(45);
    expect(isoDurationSeconds('nope')).toBeNull();
    expect(spokenDuration(5400)).toBe('1 h 30 m');
    expect(spokenDuration(7200)).toBe('2 h');
    expect(spokenDuration(300)).toBe('5 m');
  });
});
