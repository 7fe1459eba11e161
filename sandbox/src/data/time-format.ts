/** Clockify writes instants without milliseconds: `2020-07-17T11:35:01Z`. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ISO-8601 duration as Clockify writes it: `PT1H30M`, `PT45S`, `PT0S`. */
export function isoDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  if (hours === 0 && minutes === 0 && seconds === 0) return 'PT0S';
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
}

/** Parses a date-time query/body value; undefined when absent, NaN-free or throws via the caller's check. */
export function parseInstant(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value);
}
