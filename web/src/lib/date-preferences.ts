/**
 * Dates and times as the viewer set them in Clockify: their date pattern (`MM/DD/YYYY`,
 * `DD.MM.YYYY`, `YYYY-MM-DD` …), 12- or 24-hour clock, and time zone. Until they are known (or when
 * Clockify does not say) the browser's own locale and zone are used.
 */
export interface DatePreferences {
  timeZone: string | null;
  dateFormat: string | null;
  timeFormat: string | null;
}

let current: DatePreferences | null = null;

export function setDatePreferences(preferences: DatePreferences | null): void {
  current = preferences && (preferences.timeZone || preferences.dateFormat || preferences.timeFormat) ? preferences : null;
}

export function datePreferences(): DatePreferences | null {
  return current;
}

function validZone(zone: string | null): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The date in the user's pattern and zone, with the time on their clock: "12/07/2026 2:05:09 PM". */
export function clockifyDateTime(date: Date, preferences: DatePreferences): string {
  const timeZone = validZone(preferences.timeZone);
  const hour12 = preferences.timeFormat === 'HOUR12';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12,
      hourCycle: hour12 ? 'h12' : 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const pattern =
    preferences.dateFormat && /^(?=.*YYYY)(?=.*MM)(?=.*DD)[YMD./ -]+$/.test(preferences.dateFormat) ? preferences.dateFormat : 'YYYY-MM-DD';
  const day = pattern
    .replace('YYYY', parts.year ?? '')
    .replace('MM', parts.month ?? '')
    .replace('DD', parts.day ?? '');
  const hour = hour12 ? String(Number(parts.hour)) : parts.hour;
  const time = `${hour}:${parts.minute}:${parts.second}${hour12 ? ` ${(parts.dayPeriod ?? '').toUpperCase()}` : ''}`;
  return `${day} ${time}`;
}
