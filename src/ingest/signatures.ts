import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks (https://www.standardwebhooks.com): `whsec_` + base64 key; signatures `v1,<base64>` separated by spaces. */
export const STANDARD_TOLERANCE_SECONDS = 5 * 60;

export type SignatureFailure = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'no_matching_signature';

function secretBytes(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

export function signStandard(secret: string, id: string, timestampSeconds: number, body: Buffer | string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** Checks a Standard Webhooks delivery against any of `secrets` (current and, during rotation, previous). */
export function verifyStandard(
  secrets: string[],
  headers: { id?: string; timestamp?: string; signature?: string },
  body: Buffer,
  nowSeconds: number,
  toleranceSeconds = STANDARD_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  if (!headers.id || !headers.timestamp || !headers.signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  const offered = headers.signature
    .split(' ')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(signStandard(secret, headers.id, timestamp, body).slice(3), 'base64');
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}

export function signHmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** The timestamped HMAC (as Stripe does): hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signHmacHexTimestamped(secret: string, timestampSeconds: number | string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/** A hex HMAC-SHA256 of the body (GitHub-style `sha256=` prefix accepted), for simple senders. */
export function verifyHmacHex(
  secrets: string[],
  header: string | undefined,
  body: Buffer,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  if (!header) return { ok: false, reason: 'missing_headers' };
  return matchHex(secrets, header, (secret) => signHmacHex(secret, body));
}

/**
 * The HMAC over timestamp and body: the timestamp header must be whole seconds within the tolerance
 * of our clock, so a captured delivery stops verifying once the window has passed.
 */
export function verifyHmacHexTimestamped(
  secrets: string[],
  headers: { timestamp?: string; signature?: string },
  body: Buffer,
  nowSeconds: number,
  toleranceSeconds = STANDARD_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  if (!headers.timestamp || !headers.signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  return matchHex(secrets, headers.signature, (secret) => signHmacHexTimestamped(secret, headers.timestamp!, body));
}

function matchHex(
  secrets: string[],
  header: string,
  sign: (secret: string) => string,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  const given = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return { ok: false, reason: 'no_matching_signature' };
  const offered = Buffer.from(given.toLowerCase(), 'hex');
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret), 'hex');
    if (timingSafeEqual(offered, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
