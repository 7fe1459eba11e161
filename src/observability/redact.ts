/** Keys whose values are secrets wherever they appear (compared case-insensitively, ignoring - and _). */
const DEFAULT_SECRET_KEYS = [
  'authToken', 'token', 'x-addon-token', 'clockify-signature', 'x-addon-lifecycle-token', 'authorization',
  'secret', 'password', 'apiKey', 'x-api-key', 'cookie', 'set-cookie', 'auth_token', 'installationToken',
  'webhook-signature', 'encryptionKey', 'secretCiphertext', 'tokenCiphertext', 'x-hub-signature-256',
];

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

// A JWT (three base64url parts, the first starting with eyJ = '{"') anywhere in a string.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

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
  return text.replace(JWT_PATTERN, REDACTED).replace(/(auth_token=)[^&\s"]+/g, `$1${REDACTED}`);
}
