/** Keys whose values are secrets wherever they appear (compared case-insensitively, ignoring - and _). */
const DEFAULT_SECRET_KEYS = [
  'authToken',
  'token',
  'x-addon-token',
  'clockify-signature',
  'x-addon-lifecycle-token',
  'authorization',
  'secret',
  'password',
  'apiKey',
  'x-api-key',
  'cookie',
  'set-cookie',
  'auth_token',
  'installationToken',
  'webhook-signature',
  'encryptionKey',
  'secretCiphertext',
  'tokenCiphertext',
  'x-hub-signature-256',
];

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

export const REDACTED = '[REDACTED]';

export interface Redactor {
  /** A deep copy with secret keys replaced and JWT-looking strings masked; never mutates the input. */
  redact<T>(value: T): T;
  isSecretKey(key: string): boolean;
}

export function createRedactor(extraKeys: string[] = []): Redactor {
  const secretKeys = new Set([...DEFAULT_SECRET_KEYS, ...extraKeys].map(normalise));
  const isSecretKey = (key: string) => secretKeys.has(normalise(key));

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object' || depth > 12) return value;
    if (value instanceof Error) return value;
    // Bytes have no secret keys to remove, and copying a 5 MB body byte by byte as an object would stall every log line.
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, depth + 1);
    }
    return copy;
  };

  return { redact: <T>(value: T) => walk(value, 0) as T, isSecretKey };
}

export function redactString(text: string): string {
  if (!text.includes('eyJ') && !text.includes('auth_token=')) return text;
  // auth_token= has a fixed prefix and a run that cannot contain it again: the regex is linear.
  return maskJwts(text).replace(/(auth_token=)[^&\s"]+/g, `$1${REDACTED}`);
}

/**
 * Masks what `/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\/g` would match (a JWT: three
 * base64url parts, the first starting with eyJ = '{"'), in one pass. The regex itself backtracks
 * through the whole run at every `eyJ` of `eyJeyJeyJ…` (quadratic). Here each run of base64url
 * characters is looked at once: the dot can only follow the end of a run, so if the first `eyJ` of a
 * run does not start a match, no later one in that run can (its first part is only shorter).
 */
export function maskJwts(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let runStart = 0;
  let start = -1;
  const length = text.length;
  while (runStart < length) {
    while (runStart < length && !isBase64Url(text.charCodeAt(runStart))) runStart++;
    const runEnd = endOfRun(text, runStart);
    // Searched again only once passed, so the whole text is searched once.
    if (start < runStart) start = text.indexOf('eyJ', runStart);
    if (start === -1) break;
    if (start < runEnd) {
      const secondStart = runEnd + 1;
      const secondEnd = text.charCodeAt(runEnd) === DOT ? endOfRun(text, secondStart) : -1;
      if (runEnd - (start + 3) >= 5 && secondEnd - secondStart >= 5 && text.charCodeAt(secondEnd) === DOT) {
        const end = endOfRun(text, secondEnd + 1);
        out += text.slice(copiedUpTo, start) + REDACTED;
        copiedUpTo = end;
        runStart = end;
        continue;
      }
    }
    runStart = runEnd;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

const DOT = 46;

function isBase64Url(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

function endOfRun(text: string, from: number): number {
  let at = from;
  while (at < text.length && isBase64Url(text.charCodeAt(at))) at++;
  return at;
}
