/** ISO 8601 durations (`PT1H30M`, Clockify's timeInterval.duration) as hours or as "1 h 30 m". */
import { fail, preview } from './types.js';
import type { TemplateFunction } from './types.js';

export interface IsoDuration {
  sign: 1 | -1;
  years: number;
  months: number;
  /** Weeks and days together, in days. */
  days: number;
  /** Hours, minutes and seconds together, in milliseconds. */
  timeMs: number;
}

const DURATION =
  /^(-)?P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9}(?:[.,]\d{1,9})?)S)?)?$/;

/** Parses an ISO 8601 duration; undefined when the text is not one. */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const match = DURATION.exec(text);
  if (!match || text.endsWith('T') || !/\d/.test(text)) return undefined;
  const n = (group: string | undefined) => (group === undefined ? 0 : Number(group.replace(',', '.')));
  return {
    sign: match[1] ? -1 : 1,
    years: n(match[2]),
    months: n(match[3]),
    days: n(match[4]) * 7 + n(match[5]),
    timeMs: Math.round((n(match[6]) * 3600 + n(match[7]) * 60 + n(match[8])) * 1000),
  };
}

/** Milliseconds of a duration text, or of a number taken as seconds (the reports API's unit). */
export function durationMs(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  const parsed = typeof value === 'string' ? parseIsoDuration(value.trim()) : undefined;
  if (!parsed) return fail(name, `${preview(value)} is not an ISO 8601 duration such as "PT1H30M"`);
  if (parsed.years !== 0 || parsed.months !== 0) fail(name, `${preview(value)} has years or months, which have no fixed length`);
  return parsed.sign * (parsed.days * 86_400_000 + parsed.timeMs);
}

export function durationText(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const totalSeconds = Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pieces = [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} m` : '', seconds > 0 ? `${seconds} s` : ''].filter(Boolean);
  return pieces.length === 0 ? '0 m' : sign + pieces.join(' ');
}

export const durationFunctions: TemplateFunction[] = [
  {
    name: 'hours',
    family: 'durations',
    description: 'An ISO 8601 duration (or a number of seconds) as a number of hours; days count 24 h. Combine with round.',
    params: [],
    example: { template: '{{ event.timeInterval.duration | hours }}', input: 'PT1H30M', result: 1.5 },
    apply: (value) => durationMs('hours', value) / 3_600_000,
  },
  {
    name: 'duration',
    family: 'durations',
    description: 'An ISO 8601 duration (or a number of seconds) as readable text in hours, minutes and seconds.',
    params: [],
    example: { template: '{{ event.timeInterval.duration | duration }}', input: 'PT1H30M', result: '1 h 30 m' },
    apply: (value) => durationText(durationMs('duration', value)),
  },
];
