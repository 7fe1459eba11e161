/**
 * Dates and times in a time zone, with Intl only: format with a small token pattern, add an ISO 8601
 * duration (calendar parts on the zone's wall clock, so "P1D" crosses daylight saving correctly),
 * and the start of the day or the (Monday) week. Results of add and startOf are UTC ISO instants.
 */
import { formatterFor, isTimeZone } from '../zoned-time.js';
import { parseIsoDuration } from './durations.js';

export { isTimeZone };
import { fail, preview } from './types.js';
import type { ParameterSpec, TemplateFunction } from './types.js';

interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const timeZoneParam: ParameterSpec = {
  name: 'timeZone',
  type: 'string',
  optional: true,
  check: (zone) => (isTimeZone(zone) ? undefined : `"${zone}" is not a known time zone (e.g. "Europe/Berlin", "UTC")`),
};

export function wallIn(timeZone: string, instant: number): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    ms: ((instant % 1000) + 1000) % 1000,
  };
}

const wallUtc = (wall: Wall) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);

/** Offset of the zone from UTC at an instant, in milliseconds. */
export function offsetMs(timeZone: string, instant: number): number {
  return wallUtc(wallIn(timeZone, instant)) - instant;
}

/**
 * The instant a wall-clock time names in a zone. Near a daylight-saving change the two offsets tried
 * can differ: the earlier of those that really show this wall time wins (a repeated hour is taken at
 * its first occurrence); a time skipped by the change moves forward.
 */
export function instantOf(timeZone: string, wall: Wall): number {
  const guess = wallUtc(wall);
  const first = guess - offsetMs(timeZone, guess);
  const second = guess - offsetMs(timeZone, first);
  const showsWall = [first, second].filter((candidate) => wallUtc(wallIn(timeZone, candidate)) === guess);
  return showsWall.length > 0 ? Math.min(...showsWall) : Math.max(first, second);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An instant from an ISO 8601 date-time (Clockify's form) or epoch milliseconds. */
export function instantFrom(name: string, value: unknown): number {
  const instant =
    typeof value === 'number' ? value : typeof value === 'string' && ISO_DATE.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isFinite(instant) || Math.abs(instant) > 8.64e15)
    fail(name, `${preview(value)} is not a date such as "2024-05-06T09:00:00Z"`);
  return instant;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TOKEN = /yyyy|yy|MMMM|MMM|MM|M|dd|d|EEEE|EEE|HH|H|hh|h|mm|ss|a|XXX|'[^']*'/g;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatInstant(instant: number, pattern: string, timeZone: string): string {
  const wall = wallIn(timeZone, instant);
  const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
  const offset = Math.round(offsetMs(timeZone, instant) / 60_000);
  const hour12 = wall.hour % 12 === 0 ? 12 : wall.hour % 12;
  return pattern.replace(TOKEN, (token) => {
    switch (token) {
      case 'yyyy':
        return pad(wall.year, 4);
      case 'yy':
        return pad(wall.year % 100);
      case 'MMMM':
        return MONTHS[wall.month - 1]!;
      case 'MMM':
        return MONTHS[wall.month - 1]!.slice(0, 3);
      case 'MM':
        return pad(wall.month);
      case 'M':
        return String(wall.month);
      case 'dd':
        return pad(wall.day);
      case 'd':
        return String(wall.day);
      case 'EEEE':
        return WEEKDAYS[weekday]!;
      case 'EEE':
        return WEEKDAYS[weekday]!.slice(0, 3);
      case 'HH':
        return pad(wall.hour);
      case 'H':
        return String(wall.hour);
      case 'hh':
        return pad(hour12);
      case 'h':
        return String(hour12);
      case 'mm':
        return pad(wall.minute);
      case 'ss':
        return pad(wall.second);
      case 'a':
        return wall.hour < 12 ? 'AM' : 'PM';
      case 'XXX':
        return offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      default:
        return token.slice(1, -1); // 'quoted text'
    }
  });
}

export function addDuration(instant: number, text: string, timeZone: string): number {
  const duration = parseIsoDuration(text)!;
  const wall = wallIn(timeZone, instant);
  const monthIndex = wall.year * 12 + (wall.month - 1) + duration.sign * (duration.years * 12 + duration.months);
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = new Date(Date.UTC(year, month - 1, Math.min(wall.day, lastDay) + duration.sign * duration.days));
  const moved = instantOf(timeZone, { ...wall, year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() });
  return moved + duration.sign * duration.timeMs;
}

export function startOf(instant: number, unit: 'day' | 'week', timeZone: string): number {
  const wall = wallIn(timeZone, instant);
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (unit === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return instantOf(timeZone, {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: 0,
    minute: 0,
    second: 0,
    ms: 0,
  });
}

const iso = (name: string, instant: number) => {
  if (!Number.isFinite(instant) || Math.abs(instant) > 8.64e15) fail(name, 'the result is out of the date range');
  return new Date(instant).toISOString();
};
const zone = (arg: unknown) => (typeof arg === 'string' ? arg : 'UTC');

export const dateFunctions: TemplateFunction[] = [
  {
    name: 'formatDate',
    family: 'dates',
    description:
      'Formats a date-time in a time zone (default UTC). Tokens: yyyy yy MMMM MMM MM M dd d EEEE EEE HH H hh h mm ss a XXX; text in single quotes is kept.',
    params: [{ name: 'pattern', type: 'string' }, timeZoneParam],
    example: {
      template: '{{ event.timeInterval.start | formatDate:"EEE d MMM yyyy, HH:mm","Europe/Berlin" }}',
      input: '2024-05-06T09:00:00Z',
      result: 'Mon 6 May 2024, 11:00',
    },
    apply: (value, [pattern, timeZone]) => formatInstant(instantFrom('formatDate', value), pattern as string, zone(timeZone)),
  },
  {
    name: 'addTime',
    family: 'dates',
    description:
      'Adds an ISO 8601 duration ("-" in front subtracts); years, months, weeks and days move the calendar in the time zone (default UTC). Returns a UTC ISO date-time.',
    params: [
      {
        name: 'duration',
        type: 'string',
        check: (text) => (parseIsoDuration(text) ? undefined : 'must be an ISO 8601 duration such as "P1D" or "-PT30M"'),
      },
      timeZoneParam,
    ],
    example: {
      template: '{{ event.timeInterval.start | addTime:"PT1H30M" }}',
      input: '2024-05-06T09:00:00Z',
      result: '2024-05-06T10:30:00.000Z',
    },
    apply: (value, [duration, timeZone]) => iso('addTime', addDuration(instantFrom('addTime', value), duration as string, zone(timeZone))),
  },
  {
    name: 'startOf',
    family: 'dates',
    description: 'Midnight at the start of the day, or of the week (Monday), in the time zone (default UTC). Returns a UTC ISO date-time.',
    params: [{ name: 'unit', type: 'string', oneOf: ['day', 'week'] }, timeZoneParam],
    example: {
      template: '{{ event.timeInterval.start | startOf:"week","Europe/Berlin" }}',
      input: '2024-05-08T09:00:00Z',
      result: '2024-05-05T22:00:00.000Z',
    },
    apply: (value, [unit, timeZone]) => iso('startOf', startOf(instantFrom('startOf', value), unit as 'day' | 'week', zone(timeZone))),
  },
];
