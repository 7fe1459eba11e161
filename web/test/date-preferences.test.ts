import { afterEach, describe, expect, it } from 'vitest';
import { clockifyDateTime, setDatePreferences } from '../src/lib/date-preferences';
import { dateTime } from '../src/lib/format';

const at = Date.UTC(2026, 11, 7, 14, 5, 9);

describe("dates in the user's Clockify format and zone", () => {
  afterEach(() => setDatePreferences(null));

  it('follows the date pattern, the 12/24-hour clock and the time zone', () => {
    expect(clockifyDateTime(new Date(at), { timeZone: 'America/New_York', dateFormat: 'MM/DD/YYYY', timeFormat: 'HOUR12' })).toBe(
      '12/07/2026 9:05:09 AM',
    );
    expect(clockifyDateTime(new Date(at), { timeZone: 'Europe/Berlin', dateFormat: 'DD.MM.YYYY', timeFormat: 'HOUR24' })).toBe(
      '07.12.2026 15:05:09',
    );
  });

  it('falls back to ISO order and the browser zone for unknown values', () => {
    expect(clockifyDateTime(new Date(at), { timeZone: 'Not/AZone', dateFormat: 'weird', timeFormat: 'HOUR24' })).toMatch(
      /^2026-12-0[67] \d{2}:05:09$/,
    );
  });

  it('is what dateTime shows once the preferences are set', () => {
    setDatePreferences({ timeZone: 'UTC', dateFormat: 'YYYY-MM-DD', timeFormat: 'HOUR24' });
    expect(dateTime(at)).toBe('2026-12-07 14:05:09');
  });
});
