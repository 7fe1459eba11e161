/**
 * Shape limits for JSON request bodies, checked on the raw bytes before `JSON.parse`: a body of a
 * few KB can nest thousands of levels, and every recursive walk after parsing (validation,
 * redaction, storage, conditions) would pay for it or overflow the stack.
 */
export const JSON_BODY_LIMITS = {
  /** Nesting of objects and arrays; Clockify's payloads nest fewer than 10 levels; a flow with templates nested 64 deep (their own limit) still fits. */
  depth: 128,
  /** Members of one object. */
  keysPerObject: 10_000,
} as const;

export type JsonShapeViolation = { limit: 'depth' | 'keysPerObject'; message: string };

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * One pass over UTF-8 bytes (multi-byte characters never contain these ASCII bytes). A colon outside
 * a string is always one member of the innermost open object. Malformed JSON is left to the parser.
 */
export function checkJsonShape(
  bytes: Uint8Array,
  limits: { depth: number; keysPerObject: number } = JSON_BODY_LIMITS,
): JsonShapeViolation | undefined {
  const keys = new Uint32Array(limits.depth + 2);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        depth++;
        if (depth > limits.depth) return { limit: 'depth', message: `The request body is nested deeper than ${limits.depth} levels.` };
        keys[depth] = 0;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        if (depth > 0) depth--;
        break;
      case COLON:
        if (++keys[depth]! > limits.keysPerObject)
          return { limit: 'keysPerObject', message: `An object in the request body has more than ${limits.keysPerObject} keys.` };
        break;
    }
  }
  return undefined;
}
