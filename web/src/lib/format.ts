/** Display formatting: times, durations, counts. Pure, so the same inputs always read the same. */
import { clockifyDateTime, datePreferences } from './date-preferences';

export type TimeValue = number | string | null | undefined;

export function toDate(value: TimeValue): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "in 2 hours". */
export function relativeTime(value: TimeValue, now: number, locale?: string): string {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = (date.getTime() - now) / 1000;
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

/** In the viewer's Clockify format and zone when known (see date-preferences.ts), else "22 Nov 2025, 14:03:12" in their locale. */
export function dateTime(value: TimeValue, locale?: string): string {
  const date = toDate(value);
  if (!date) return '—';
  const preferences = datePreferences();
  if (preferences) return clockifyDateTime(date, preferences);
  return date.toLocaleString(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export function count(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function plural(value: number, one: string, many = `${one}s`, locale?: string): string {
  return `${count(value, locale)} ${value === 1 ? one : many}`;
}

/** NEW_TIME_ENTRY → "New time entry", for headings; the raw name stays visible in code style. */
export function humanizeEvent(eventType: string): string {
  const words = eventType.toLowerCase().split('_').filter(Boolean);
  const text = words.join(' ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : eventType;
}

/** An entity type of the snapshot as a label: `time-entries` → "Time entries", `raw:getWorkspaceOfUser` → "Workspace of user". */
/** Snapshot types whose machine-made names read badly ("Webhooks statuses"): said plainly instead. */
const ENTITY_LABELS: Record<string, string> = {
  'raw:getLoggedUser': 'Your user profile',
  'raw:getWorkspaceOfUser': 'Workspace',
  'raw:getInvoiceSettings': 'Invoice settings',
  'raw:generateSummaryReport': 'Summary report',
  'expenses-categories': 'Expense categories',
  'scheduling-assignments-all': 'Scheduled assignments',
  'time-off-policies': 'Time off policies',
  'time-off-balances': 'Time off balances',
  'reports-detailed': 'Detailed report rows',
  'audit-log': 'Audit log entries',
  'invoices-payments': 'Invoice payments',
  'users-managers': 'Managers of users',
  'webhooks-statuses': 'Webhook delivery statuses',
  'project-custom-fields': 'Custom fields of projects',
};

export function entityTypeLabel(type: string): string {
  if (ENTITY_LABELS[type]) return ENTITY_LABELS[type]!;
  const raw = type.startsWith('raw:') ? type.slice(4).replace(/^get(?=[A-Z])/, '') : type;
  return humanizeKey(raw);
}

/** `bootstrap_entities` → "Bootstrap entities"; `timeEntries` → "Time entries". */
export function humanizeKey(key: string): string {
  const text = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : key;
}

/** A `datetime-local` input value (local time, minutes) as an ISO instant, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Pretty JSON for display; strings longer than this are shown collapsed by the viewers. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
