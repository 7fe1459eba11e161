/**
 * Keeping credential values out of what is recorded: by value (whatever the header or field they
 * ended up in, or an answer that echoes them) and, for URLs, by the names of query parameters that
 * conventionally carry secrets (`?api_key=`), whether or not a credential put them there.
 */
import { REDACTED } from '../observability/redact.js';

/** Query parameter names that carry secrets by convention (compared case-insensitively, - and _ alike). */
const SECRET_PARAM =
  /^(api[-_]?key|apikey|key|token|access[-_]?token|auth|auth[-_]?token|secret|client[-_]?secret|password|passwd|pwd|sig|signature|private[-_]?token|session[-_]?id|code)$/i;

export function isSecretParamName(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** A URL with the values of secret-named query parameters, and any password in its userinfo, replaced. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:?#]*):[^/@?#]*@/i, `$1:${REDACTED}@`)
    .replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, separator: string, name: string) =>
      isSecretParamName(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : whole,
    );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every form a secret can take on the wire: as is, URL-encoded (both ways), base64 of basic auth. */
export function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    // Very short values would mask ordinary words; credentials are not that short.
    if (value.length < 4) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  }
  // Longest first, so a value containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** A deep copy with every occurrence of the given secret strings replaced. Keys are kept. */
export function maskSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') {
      let text = item;
      for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
      return text;
    }
    if (item === null || typeof item !== 'object' || depth > 32) return item;
    if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item)) copy[key] = walk(entry, depth + 1);
    return copy;
  };
  return walk(value, 0) as T;
}
