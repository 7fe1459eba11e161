/**
 * What went wrong in the domain, by code, with no HTTP in it: rooms and background jobs throw and
 * catch these; only the HTTP error handler (src/server/domain-problems.ts) turns a code into a
 * status and a problem+json `type`. A job never sees a status code; a route never invents one.
 */
export const DOMAIN_ERROR_CODES = [
  'not-installed',
  'invalid-settings',
  'bootstrap-running',
  'nothing-to-retry',
  'no-previous-run',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** A field that failed a check, for errors about input (`invalid-settings`). */
export interface DomainFieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields?: DomainFieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
