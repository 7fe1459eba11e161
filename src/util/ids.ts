import { randomBytes } from 'node:crypto';

let lastTime = 0;
let sequence = 0;

/**
 * A time-ordered, URL-safe id (22 characters): ids sort by creation time, so they serve as
 * cursors for pagination, and the random tail keeps them unguessable and unique across instances.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastTime) sequence += 1;
  else {
    lastTime = now;
    sequence = 0;
  }
  const time = now.toString(36).padStart(9, '0');
  const seq = (sequence % 1296).toString(36).padStart(2, '0');
  return time + seq + randomBytes(8).toString('base64url').slice(0, 11);
}

/** A random secret of `bytes` bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
