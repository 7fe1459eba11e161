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
import { isTimeZone, localTime, zonedInstant } from './zoned-time.js';

export { isTimeZone, zonedInstant };

export const SCHEDULE_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type ScheduleDay = (typeof SCHEDULE_DAYS)[number];

/** The shortest allowed time between two occurrences of one flow's schedule. */
export { SCHEDULE_MIN_INTERVAL_MINUTES } from './shared/flow-constants.js';
/** Intervals that divide the hour / the day, so occurrences sit on the same wall-clock marks every day. */
export const MINUTE_INTERVALS = [5, 6, 10, 12, 15, 20, 30] as const;
export const HOUR_INTERVALS = [1, 2, 3, 4, 6, 8, 12] as const;

export type Schedule = { every: 'minutes' | 'hours'; interval: number } | { at: string; days?: ScheduleDay[] } | { cron: string };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

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
export function planDue(
  schedule: Schedule,
  timeZone: string,
  dueAt: number,
  now: number,
  missed: 'run-once' | 'skip',
  graceMs: number,
): { run: number | null; next: number } {
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
