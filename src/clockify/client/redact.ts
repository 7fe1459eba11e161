/**
 * Keep secrets out of records, errors and logs: values under secret-looking keys are replaced, texts
 * are scrubbed of known secrets, excerpts are bounded.
 */
import { redactString } from '../../observability/redact.js';

export const REDACTED = '[REDACTED]';

/** token, authToken, X-Addon-Token, secret, clientSecret, password, apiKey, api_key, authorization, signature, cookie … */
const SECRET_KEY = /token|secret|passw(or)?d|api[-_]?key|authorization|signature|cookie/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with every secret-looking key's value replaced. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[…]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = isSecretKey(key) ? REDACTED : redactValue(child, depth + 1);
    return out;
  }
  return value;
}

/** Redacted JSON (or text) of a body, cut to at most `maxBytes` UTF-8 bytes. */
export function excerpt(body: unknown, maxBytes = 2048, secrets: readonly string[] = []): string {
  if (body === undefined || body === null || body === '') return '';
  const text = typeof body === 'string' ? redactJsonText(body) : JSON.stringify(redactValue(body));
  // Tokens also travel under harmless keys (a note, a description): mask anything shaped like a JWT, not only the caller's own token.
  return truncateBytes(redactString(scrubText(text, secrets)), maxBytes);
}

/** Text bodies that are JSON after all (wrong content type) are still redacted by key. */
function redactJsonText(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(text)));
    } catch {
      // not JSON: fall through to the plain text
    }
  }
  return text;
}

const MARKER = '…[truncated]';

export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(MARKER);
  let cut = text.slice(0, budget);
  while (Buffer.byteLength(cut) > budget) cut = cut.slice(0, -1);
  return cut + MARKER;
}

/** Replace every occurrence of each secret (e.g. the token) in a text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** The URL with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (isSecretKey(key)) parsed.searchParams.set(key, REDACTED);
  }
  return parsed.toString();
}
