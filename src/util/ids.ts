import { randomBytes } from 'node:crypto';

let lastTime = 0;
let sequence = 0;

// Random bytes drawn from the OS in blocks: one system call per 512 ids instead of one per id.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomTail(): string {
  if (poolOffset + 8 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const tail = pool.toString('base64url', poolOffset, poolOffset + 8).slice(0, 11);
  poolOffset += 8;
  return tail;
}

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
  return time + seq + randomTail();
}

/** A random secret of `bytes` bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
