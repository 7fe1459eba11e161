import { randomBytes } from 'node:crypto';

/** Set once per process, so two instances never hand out the same id. */
const PROCESS_PREFIX = randomBytes(6).toString('base64url');
let issued = 0;

/**
 * The id of a request that brought none: a process prefix and a counter. Every request gets one, so
 * it must cost next to nothing; request ids correlate log lines and errors, they are not secrets
 * and need not sort by time.
 */
export function nextRequestId(): string {
  issued += 1;
  return `${PROCESS_PREFIX}-${issued.toString(36)}`;
}
