/**
 * Five-field cron (`minute hour day-of-month month day-of-week`) for schedule triggers: parsed
 * once into sets, then stepped through in a time zone. Pure, no dependency.
 *
 * Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*\/n` and `a-b/n`; months and weekdays
 * also take names (JAN, MON); weekday 0 and 7 are Sunday. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted a day matching either runs.
 *
 * Daylight saving, also as in Vixie cron: a schedule with fixed hours runs by the wall clock — a
 * time the clocks skip runs at the same distance after the gap, a time that happens twice runs the
 * first time only; a schedule of every hour (`*` in the hour field) runs by real time, so
 * `*\/15 * * * *` stays 15 minutes apart through both changes.
 */
import { SCHEDULE_MIN_INTERVAL_MINUTES } from './shared/flow-constants.js';
import { zonedInstant } from './zoned-time.js';

export interface CronSpec {
  source: string;
  minutes: number[];
  hours: number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** `*` in the hour field: stepped by real time, not by wall clock. */
  everyHour: boolean;
  /** Which of the two day fields restrict (both: either matches). */
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

export type CronParse = { ok: true; cron: CronSpec } | { ok: false; message: string };

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], base: 1 },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], base: 0 },
] as const;

const MAX_CRON_LENGTH = 200;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Searched ahead for an occurrence: enough for 29 February on any weekday. */
const SEARCH_DAYS = 366 * 8;

class CronError extends Error {}

export function parseCron(source: unknown): CronParse {
  if (typeof source !== 'string') return { ok: false, message: 'must be a string of five fields, e.g. "0 17 * * 1-5"' };
  if (source.length > MAX_CRON_LENGTH) return { ok: false, message: `is longer than ${MAX_CRON_LENGTH} characters` };
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5)
    return {
      ok: false,
      message: `has ${parts.length} field${parts.length === 1 ? '' : 's'}; cron takes five: minute hour day-of-month month day-of-week (e.g. "0 17 * * 1-5")`,
    };
  try {
    const sets = parts.map((part, index) => parseField(part, FIELDS[index]!));
    const daysOfWeek = new Set([...sets[4]!].map((day) => day % 7));
    const cron: CronSpec = {
      source: parts.join(' '),
      minutes: [...sets[0]!].sort((a, b) => a - b),
      hours: [...sets[1]!].sort((a, b) => a - b),
      daysOfMonth: sets[2]!,
      months: sets[3]!,
      daysOfWeek,
      everyHour: parts[1] === '*',
      dayOfMonthRestricted: !parts[2]!.startsWith('*'),
      dayOfWeekRestricted: !parts[4]!.startsWith('*'),
    };
    if (!canEverRun(cron)) return { ok: false, message: 'names a day that never comes (e.g. 31 in a month of 30 days)' };
    return { ok: true, cron };
  } catch (error) {
    if (error instanceof CronError) return { ok: false, message: error.message };
    throw error;
  }
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw new CronError(`${field.name} field "${text}" is not a number, range (a-b), list (a,b), step (*/n) or *`);
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1 || step > field.max) throw new CronError(`${field.name} step /${stepText} must be between 1 and ${field.max}`);
    let from: number = field.min;
    let to: number = field.name === 'day of week' ? 6 : field.max;
    if (range !== '*') {
      const [start, end] = range!.split('-');
      from = valueOf(start!, field);
      // `5/15` means from 5 to the end, every 15.
      to = end !== undefined ? valueOf(end, field) : stepText !== undefined ? field.max : from;
      if (from > to) throw new CronError(`${field.name} range ${range} goes backwards`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function valueOf(text: string, field: (typeof FIELDS)[number]): number {
  const names: readonly string[] | undefined = 'names' in field ? field.names : undefined;
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0 && 'base' in field) return named + field.base;
  if (!/^\d+$/.test(text)) throw new CronError(`${field.name} "${text}" is not ${names ? 'a number or a name' : 'a number'}`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronError(`${field.name} ${value} is out of range ${field.min}-${field.max}`);
  return value;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function canEverRun(cron: CronSpec): boolean {
  if (cron.dayOfWeekRestricted || !cron.dayOfMonthRestricted) return true;
  const earliestDay = Math.min(...cron.daysOfMonth);
  return [...cron.months].some((month) => earliestDay <= DAYS_IN_MONTH[month - 1]!);
}

/**
 * The shortest time between two occurrences, in minutes, by the schedule's fields (clock changes
 * aside): for the minimum interval, checked when a flow is saved.
 */
export function shortestGapMinutes(cron: CronSpec): number {
  const { minutes, hours } = cron;
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < minutes.length; i++) gap = Math.min(gap, minutes[i]! - minutes[i - 1]!);
  // From the last minute of one hour to the first of the next, when two hours follow each other.
  const hourSet = new Set(hours);
  const adjacentHours = hours.some((hour) => hourSet.has((hour + 1) % 24));
  if (adjacentHours) gap = Math.min(gap, 60 - minutes[minutes.length - 1]! + minutes[0]!);
  return gap;
}

export function tooFrequent(cron: CronSpec, minIntervalMinutes = SCHEDULE_MIN_INTERVAL_MINUTES): boolean {
  return shortestGapMinutes(cron) < minIntervalMinutes;
}

function dayMatches(cron: CronSpec, year: number, month: number, day: number): boolean {
  if (!cron.months.has(month)) return false;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const byMonthDay = cron.daysOfMonth.has(day);
  const byWeekday = cron.daysOfWeek.has(weekday);
  if (cron.dayOfMonthRestricted && cron.dayOfWeekRestricted) return byMonthDay || byWeekday;
  if (cron.dayOfMonthRestricted) return byMonthDay;
  if (cron.dayOfWeekRestricted) return byWeekday;
  return true;
}

const localFormatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let formatter = localFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    localFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The first occurrence strictly after `after` (epoch ms) in the time zone. */
export function nextCronOccurrence(cron: CronSpec, timeZone: string, after: number): number {
  return cron.everyHour ? nextByRealTime(cron, timeZone, after) : nextByWallClock(cron, timeZone, after);
}

/** Fixed hours: each matching local day's times, through zonedInstant (skipped → shifted, repeated → first). */
function nextByWallClock(cron: CronSpec, timeZone: string, after: number): number {
  const today = localParts(after, timeZone);
  const start = Date.UTC(today.year, today.month - 1, today.day);
  // Wall times well before `after`'s own (more than any clock change) cannot follow it: skipped unconverted.
  const earliestWall = Date.UTC(today.year, today.month - 1, today.day, today.hour, today.minute) - 3 * 60 * MINUTE;
  // From the day before: a time shifted past a gap may land after `after` though its date is earlier.
  for (let offset = -1; offset <= SEARCH_DAYS; offset++) {
    const date = new Date(start + offset * DAY);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!dayMatches(cron, year, month, day)) continue;
    for (const hour of cron.hours) {
      if (Date.UTC(year, month - 1, day, hour, 59) < earliestWall) continue;
      for (const minute of cron.minutes) {
        if (Date.UTC(year, month - 1, day, hour, minute) < earliestWall) continue;
        const instant = zonedInstant(year, month, day, hour, minute, timeZone);
        if (instant > after) return instant;
      }
    }
  }
  throw new Error(`cron "${cron.source}" has no occurrence in the next ${SEARCH_DAYS} days`);
}

/** Every hour: minute marks stepped in real time; a day that does not match is skipped to the next local midnight. */
function nextByRealTime(cron: CronSpec, timeZone: string, after: number): number {
  let candidate = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const minutes = new Set(cron.minutes);
  for (let step = 0; step < SEARCH_DAYS * 30; step++) {
    const local = localParts(candidate, timeZone);
    if (!dayMatches(cron, local.year, local.month, local.day)) {
      const tomorrow = new Date(Date.UTC(local.year, local.month - 1, local.day) + DAY);
      candidate = Math.max(
        candidate + MINUTE,
        zonedInstant(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), 0, 0, timeZone),
      );
      continue;
    }
    if (minutes.has(local.minute)) return candidate;
    const later = cron.minutes.find((minute) => minute > local.minute);
    candidate += ((later ?? 60 + cron.minutes[0]!) - local.minute) * MINUTE;
  }
  throw new Error(`cron "${cron.source}" has no occurrence in the next ${SEARCH_DAYS} days`);
}

/** The next `count` occurrences after `after`: for previews. */
export function nextCronOccurrences(cron: CronSpec, timeZone: string, after: number, count: number): number[] {
  const list: number[] = [];
  let from = after;
  for (let i = 0; i < count; i++) {
    from = nextCronOccurrence(cron, timeZone, from);
    list.push(from);
  }
  return list;
}
