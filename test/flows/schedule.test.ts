import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_INTERVALS, MINUTE_INTERVALS, SCHEDULE_DAYS, nextOccurrence, planDue, type Schedule } from '../../src/flows/schedule.js';
import { validateFlowDefinition } from '../../src/flows/validate.js';
import { catalogFromOpenApi } from './openapi-catalog.js';

const settings = { seed: 20261207, numRuns: 300 };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const local = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('nextOccurrence', () => {
  it('weekdays at 17:00 in Berlin: Friday evening, then Monday', () => {
    const schedule: Schedule = { at: '17:00', days: [...WEEKDAYS] };
    const friday = nextOccurrence(schedule, 'Europe/Berlin', at('2026-12-04T10:00:00Z'));
    expect(iso(friday)).toBe('2026-12-04T16:00:00.000Z');
    expect(iso(nextOccurrence(schedule, 'Europe/Berlin', friday))).toBe('2026-12-07T16:00:00.000Z');
  });

  it('every Friday 16:00 in New York keeps the local time across the DST change', () => {
    const schedule: Schedule = { at: '16:00', days: ['fri'] };
    const summer = nextOccurrence(schedule, 'America/New_York', at('2026-10-26T00:00:00Z'));
    expect(iso(summer)).toBe('2026-10-30T20:00:00.000Z');
    // Clocks fall back on 1 November 2026.
    expect(iso(nextOccurrence(schedule, 'America/New_York', summer))).toBe('2026-11-06T21:00:00.000Z');
  });

  it('a local time the clocks skip runs just after the gap; a repeated one runs once', () => {
    // Europe/Berlin springs forward 2026-03-29 02:00 → 03:00.
    const skipped = nextOccurrence({ at: '02:30' }, 'Europe/Berlin', at('2026-03-28T12:00:00Z'));
    expect(iso(skipped)).toBe('2026-03-29T01:30:00.000Z');
    expect(local(skipped, 'Europe/Berlin')).toBe('Sun 03:30');
    // Falls back 2026-10-25 03:00 → 02:00: 02:30 happens twice; the first one counts, the next is the day after.
    const first = nextOccurrence({ at: '02:30' }, 'Europe/Berlin', at('2026-10-24T12:00:00Z'));
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(nextOccurrence({ at: '02:30' }, 'Europe/Berlin', first))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('every 15 minutes sits on the local quarter hours, also in a half-hour zone', () => {
    const schedule: Schedule = { every: 'minutes', interval: 15 };
    expect(iso(nextOccurrence(schedule, 'UTC', at('2026-12-07T10:07:12Z')))).toBe('2026-12-07T10:15:00.000Z');
    expect(iso(nextOccurrence(schedule, 'UTC', at('2026-12-07T10:15:00Z')))).toBe('2026-12-07T10:30:00.000Z');
    expect(local(nextOccurrence({ every: 'minutes', interval: 12 }, 'Asia/Kolkata', at('2026-12-07T10:07:00Z')), 'Asia/Kolkata')).toBe(
      'Mon 15:48',
    );
  });

  it('every 6 hours runs on the local hours 0, 6, 12 and 18', () => {
    const next = nextOccurrence({ every: 'hours', interval: 6 }, 'Europe/Berlin', at('2026-12-07T06:30:00Z'));
    expect(local(next, 'Europe/Berlin')).toBe('Mon 12:00');
  });

  const zones = fc.constantFrom(
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'America/Sao_Paulo',
    'Pacific/Chatham',
  );
  const instants = fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') });
  const schedules: fc.Arbitrary<Schedule> = fc.oneof(
    fc.constantFrom(...MINUTE_INTERVALS).map((interval) => ({ every: 'minutes' as const, interval })),
    fc.constantFrom(...HOUR_INTERVALS).map((interval) => ({ every: 'hours' as const, interval })),
    fc
      .record({
        hour: fc.integer({ min: 0, max: 23 }),
        minute: fc.integer({ min: 0, max: 59 }),
        days: fc.subarray([...SCHEDULE_DAYS], { minLength: 1 }),
      })
      .map(({ hour, minute, days }) => ({ at: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, days })),
  );

  it('is always later, within a week and a day, and on a whole minute', () => {
    fc.assert(
      fc.property(schedules, zones, instants, (schedule, zone, after) => {
        const next = nextOccurrence(schedule, zone, after);
        expect(next).toBeGreaterThan(after);
        expect(next - after).toBeLessThanOrEqual(8 * 24 * 3_600_000);
        expect(next % 60_000).toBe(0);
      }),
      settings,
    );
  });

  it('never skips an occurrence: nothing between `after` and the next one is an occurrence', () => {
    fc.assert(
      fc.property(schedules, zones, instants, (schedule, zone, after) => {
        const next = nextOccurrence(schedule, zone, after);
        // Any instant in between has the same next occurrence.
        const between = after + Math.floor((next - after) / 2);
        expect(nextOccurrence(schedule, zone, between)).toBe(next);
        expect(nextOccurrence(schedule, zone, next - 1)).toBe(next);
      }),
      settings,
    );
  });

  it('a daily time lands on that local time and weekday (outside a skipped hour)', () => {
    fc.assert(
      fc.property(schedules, zones, instants, (schedule, zone, after) => {
        if (!('at' in schedule)) return;
        const next = nextOccurrence(schedule, zone, after);
        const [weekday, time] = local(next, zone).split(' ');
        expect(schedule.days!.map((day) => day.toLowerCase())).toContain(weekday!.toLowerCase());
        // A wall time inside a spring-forward gap runs later the same day; all others run on the dot.
        if (time !== schedule.at) expect(time! > schedule.at).toBe(true);
      }),
      settings,
    );
  });
});

describe('planDue', () => {
  const quarter: Schedule = { every: 'minutes', interval: 15 };
  const grace = 3 * 60_000;

  it('runs an occurrence on time, whatever the missed policy', () => {
    const due = at('2026-12-07T10:15:00Z');
    for (const missed of ['run-once', 'skip'] as const) {
      expect(planDue(quarter, 'UTC', due, due + 20_000, missed, grace)).toEqual({ run: due, next: at('2026-12-07T10:30:00Z') });
    }
  });

  it('after a downtime: run-once runs the latest missed occurrence once, skip runs none; both wait for the next', () => {
    const due = at('2026-12-07T10:15:00Z');
    const now = at('2026-12-07T13:05:00Z');
    expect(planDue(quarter, 'UTC', due, now, 'run-once', grace)).toEqual({
      run: at('2026-12-07T13:00:00Z'),
      next: at('2026-12-07T13:15:00Z'),
    });
    expect(planDue(quarter, 'UTC', due, now, 'skip', grace)).toEqual({ run: null, next: at('2026-12-07T13:15:00Z') });
  });

  it('the latest of many missed occurrences runs when it is itself on time', () => {
    const due = at('2026-12-07T10:15:00Z');
    expect(planDue(quarter, 'UTC', due, at('2026-12-07T13:01:00Z'), 'skip', grace)).toEqual({
      run: at('2026-12-07T13:00:00Z'),
      next: at('2026-12-07T13:15:00Z'),
    });
  });
});

describe('schedule triggers in a flow definition', () => {
  const ctx = { allowedEvents: ['NEW_CLIENT'], httpActionsEnabled: false, catalog: catalogFromOpenApi() };
  const flow = (trigger: unknown) => ({
    name: 'weekly',
    enabled: true,
    trigger,
    conditions: { mode: 'all', rules: [] },
    actions: [{ id: 'tag', kind: 'clockify', operationId: 'createNewTag', body: { name: 'week of {{ event.scheduledFor }}' } }],
  });
  const problemsOf = (trigger: unknown) => {
    const result = validateFlowDefinition(flow(trigger), ctx);
    return result.ok ? [] : result.problems;
  };

  it('accepts the three forms', () => {
    expect(
      problemsOf({ kind: 'schedule', schedule: { at: '17:00', days: [...WEEKDAYS] }, timeZone: 'Europe/Berlin', missed: 'run-once' }),
    ).toEqual([]);
    expect(problemsOf({ kind: 'schedule', schedule: { every: 'minutes', interval: 15 } })).toEqual([]);
    expect(problemsOf({ kind: 'schedule', schedule: { every: 'hours', interval: 4 }, missed: 'skip' })).toEqual([]);
  });

  it('names the field of each problem', () => {
    const fields = (trigger: unknown) => problemsOf(trigger).map((problem) => problem.field);
    expect(problemsOf({ kind: 'schedule', schedule: { every: 'minutes', interval: 1 } })).toEqual([
      { field: 'trigger.schedule.interval', message: expect.stringContaining('at least 5 minutes') },
    ]);
    expect(fields({ kind: 'schedule', schedule: { every: 'minutes', interval: 7 } })).toEqual(['trigger.schedule.interval']);
    expect(fields({ kind: 'schedule', schedule: { every: 'hours', interval: 5 } })).toEqual(['trigger.schedule.interval']);
    expect(fields({ kind: 'schedule', schedule: { every: 'days', interval: 1 } })).toEqual(['trigger.schedule.every']);
    expect(fields({ kind: 'schedule', schedule: { at: '25:00' } })).toEqual(['trigger.schedule.at']);
    expect(fields({ kind: 'schedule', schedule: { at: '17:00', days: ['friday'] } })).toEqual(['trigger.schedule.days[0]']);
    expect(fields({ kind: 'schedule', schedule: { at: '17:00', days: ['fri', 'fri'] } })).toEqual(['trigger.schedule.days']);
    expect(fields({ kind: 'schedule', schedule: { at: '17:00' }, timeZone: 'Mars/Olympus' })).toEqual(['trigger.timeZone']);
    expect(fields({ kind: 'schedule', schedule: { at: '17:00' }, missed: 'twice' })).toEqual(['trigger.missed']);
    expect(fields({ kind: 'schedule' })).toEqual(['trigger.schedule']);
  });
});
