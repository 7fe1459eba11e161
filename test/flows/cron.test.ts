/**
 * Five-field cron for schedule triggers: the next occurrences of a table of expressions, across
 * daylight-saving changes in Europe/Berlin (29 March and 25 October 2026) and America/New_York
 * (8 March 2026), and the expressions refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { nextCronOccurrence, nextCronOccurrences, parseCron, tooFrequent } from '../../src/flows/cron.js';

const cron = (source: string) => {
  const parsed = parseCron(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cron;
};
const next = (source: string, timeZone: string, after: string, count = 1) =>
  nextCronOccurrences(cron(source), timeZone, Date.parse(after), count).map((instant) => new Date(instant).toISOString());

describe('cron: next occurrences', () => {
  it.each([
    [
      'weekdays at 17:00, from a Friday evening',
      '0 17 * * 1-5',
      'UTC',
      '2026-12-04T17:00:00Z',
      ['2026-12-07T17:00:00.000Z', '2026-12-08T17:00:00.000Z'],
    ],
    [
      'every 15 minutes',
      '*/15 * * * *',
      'UTC',
      '2026-12-07T04:07:00Z',
      ['2026-12-07T04:15:00.000Z', '2026-12-07T04:30:00.000Z', '2026-12-07T04:45:00.000Z'],
    ],
    ['names for days and months', '0 9 * JAN,DEC MON', 'UTC', '2026-12-01T00:00:00Z', ['2026-12-07T09:00:00.000Z']],
    ['Monday 09:00 in Berlin, summer time begun', '0 9 * * MON', 'Europe/Berlin', '2026-03-28T00:00:00Z', ['2026-03-30T07:00:00.000Z']],
    [
      '02:30 in Berlin on the night it does not exist: right after the gap',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-03-28T12:00:00Z',
      ['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
    ],
    [
      '02:30 in Berlin on the night it happens twice: the first time only',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ],
    [
      'every 30 minutes through the autumn change: real time, both 02:00s',
      '*/30 * * * *',
      'Europe/Berlin',
      '2026-10-24T23:45:00Z',
      ['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z'],
    ],
    [
      'every 30 minutes through the spring change: the lost hour has none',
      '*/30 * * * *',
      'Europe/Berlin',
      '2026-03-29T00:15:00Z',
      ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z'],
    ],
    [
      '02:00 in New York on the night clocks skip it',
      '0 2 * * *',
      'America/New_York',
      '2026-03-07T12:00:00Z',
      ['2026-03-08T07:00:00.000Z', '2026-03-09T06:00:00.000Z'],
    ],
    [
      'day of month or weekday (both restricted)',
      '0 0 13 * 5',
      'UTC',
      '2026-11-01T00:00:00Z',
      ['2026-11-06T00:00:00.000Z', '2026-11-13T00:00:00.000Z', '2026-11-20T00:00:00.000Z'],
    ],
    ['29 February, years ahead', '0 12 29 2 *', 'UTC', '2026-03-01T00:00:00Z', ['2028-02-29T12:00:00.000Z']],
    [
      'ranges with steps and Sunday as 7',
      '0 8-18/5 * * 7',
      'UTC',
      '2026-12-06T09:00:00Z',
      ['2026-12-06T13:00:00.000Z', '2026-12-06T18:00:00.000Z', '2026-12-13T08:00:00.000Z'],
    ],
  ])('%s: %s in %s', (_label, source, timeZone, after, expected) => {
    expect(next(source, timeZone, after, expected.length)).toEqual(expected);
  });

  it('never returns the instant it starts from', () => {
    const start = Date.parse('2026-12-07T17:00:00Z');
    expect(nextCronOccurrence(cron('0 17 * * *'), 'UTC', start)).toBe(Date.parse('2026-12-08T17:00:00Z'));
  });
});

describe('cron: refused', () => {
  it.each([
    ['* * * *', 'has 4 fields'],
    ['60 * * * *', 'minute 60 is out of range 0-59'],
    ['0 24 * * *', 'hour 24 is out of range 0-23'],
    ['5-1 * * * *', 'range 5-1 goes backwards'],
    ['0 9 * * FOO', 'day of week "FOO" is not a number or a name'],
    ['0 9 ? * *', 'is not a number, range'],
    ['*/0 * * * *', 'step /0 must be between 1'],
    ['0 0 31 2 *', 'never comes'],
  ])('%s', (source, message) => {
    const parsed = parseCron(source);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it.each([
    ['*/2 * * * *', true],
    ['*/5 * * * *', false],
    ['0,3 9 * * *', true],
    ['58 9,10 * * *', false],
    ['0,58 9,10 * * *', true],
    ['0,58 9 * * *', false],
  ])('%s is too frequent for a 5-minute minimum: %s', (source, expected) => {
    expect(tooFrequent(cron(source), 5)).toBe(expected);
  });
});
