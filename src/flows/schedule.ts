/**
 * When a scheduled flow is due: pure functions over a small structured schedule and an IANA time
 * zone, computed with Intl so daylight-saving changes are handled by the platform's tz database.
 *
 * - `{ every: 'minutes', interval }`: local wall-clock minutes divisible by the interval (a divisor of 60);
 * - `{ every: 'hours', interval }`: on the hour, local hours divisible by the interval (a divisor of 24);
 * - `{ at: 'HH:MM', days? }`: that local time on the given weekdays (default every day). A time the
 *   clocks skip (spring forward) runs at the same distance after the gap; a time that happens twice
 *   (fall back) runs the first time only.
 * - `{ cron: '0 17 * * 1-5' }`: five-field cron (cron.ts), at least SCHEDULE_MIN_INTERVAL_MINUTES apart.
 */
import { nextCronOccurrence, parseCron, type CronParse } from './cron.js';

export const SCHEDULE_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type ScheduleDay = (typeof SCHEDULE_DAYS)[number];

/** The shortest allowed time between two occurrences of one flow's schedule. */
export const SCHEDULE_MIN_INTERVAL_MINUTES = 5;
/** Intervals that divide the hour / the day, so occurrences sit on the same wall-clock marks every day. */
export const MINUTE_INTERVALS = [5, 6, 10, 12, 15, 20, 30] as const;
export const HOUR_INTERVALS = [1, 2, 3, 4, 6, 8, 12] as const;

export type Schedule = { every: 'minutes' | 'hours'; interval: number } | { at: string; days?: ScheduleDay[] } | { cron: string };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows this IANA time zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localTime(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in ms (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTime(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a local wall time happens: the first of two in a repeated hour, shifted past a skipped one. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // One transition at most around a given day: the offsets a day before and after bracket it.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const valid = [wall - before, wall - after].filter((candidate) => {
    const local = localTime(candidate, timeZone);
    return local.hour === hour && local.minute === minute && local.day === day;
  });
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

/** Parsed once per expression: the ticker and a catch-up after downtime ask about the same few often. */
const parsedCrons = new Map<string, CronParse>();

/** The first occurrence strictly after `after` (epoch ms). */
export function nextOccurrence(schedule: Schedule, timeZone: string, after: number): number {
  if ('cron' in schedule) {
    // Saved flows were checked; a cron that no longer parses (hand-edited row) never comes due.
    let parsed = parsedCrons.get(schedule.cron);
    if (!parsed) {
      parsed = parseCron(schedule.cron);
      if (parsedCrons.size >= 1_000) parsedCrons.delete(parsedCrons.keys().next().value as string);
      parsedCrons.set(schedule.cron, parsed);
    }
    if (!parsed.ok) throw new Error(`invalid cron "${schedule.cron}": ${parsed.message}`);
    return nextCronOccurrence(parsed.cron, timeZone, after);
  }
  if ('every' in schedule) {
    const interval = schedule.interval;
    let candidate = Math.floor(after / MINUTE) * MINUTE + MINUTE;
    // At most a day of hourly steps; minute steps land on the next mark directly.
    for (let step = 0; step < 2_000; step++) {
      const local = localTime(candidate, timeZone);
      if (schedule.every === 'minutes') {
        const rest = local.minute % interval;
        if (rest === 0) return candidate;
        candidate += (interval - rest) * MINUTE;
      } else {
        if (local.minute === 0 && local.hour % interval === 0) return candidate;
        candidate += (local.minute === 0 ? 60 : 60 - local.minute) * MINUTE;
      }
    }
    throw new Error('no occurrence found');
  }
  const [hour, minute] = schedule.at.split(':').map(Number) as [number, number];
  const days = new Set(schedule.days ?? SCHEDULE_DAYS);
  const today = localTime(after, timeZone);
  const base = Date.UTC(today.year, today.month - 1, today.day);
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(base + offset * DAY);
    if (!days.has(SCHEDULE_DAYS[date.getUTCDay()]!)) continue;
    const instant = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, timeZone);
    if (instant > after) return instant;
  }
  throw new Error('no occurrence found');
}

/**
 * What to do with a schedule whose `dueAt` has come, at `now`: the occurrence to run (or none) and
 * the next one to wait for. Occurrences later than `graceMs` were missed (the process was down):
 * they collapse into one run with 'run-once' and none with 'skip'; an occurrence on time always runs.
 */
export function planDue(schedule: Schedule, timeZone: string, dueAt: number, now: number, missed: 'run-once' | 'skip', graceMs: number): { run: number | null; next: number } {
  let latest = dueAt;
  // Bounded: a week down at the shortest interval is about 2,000 occurrences; beyond, start from now.
  for (let step = 0; step < 5_000; step++) {
    const following = nextOccurrence(schedule, timeZone, latest);
    if (following > now) break;
    latest = following;
  }
  if (latest > now) return { run: null, next: latest };
  const onTime = now - latest <= graceMs;
  return { run: onTime || missed === 'run-once' ? latest : null, next: nextOccurrence(schedule, timeZone, Math.max(now, latest)) };
}
