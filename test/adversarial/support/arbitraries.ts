/**
 * Generators of hostile input shared by the fuzz tests: JSON of any shape with the keys and values
 * that break parsers (prototype keys, huge numbers, control characters, injection text), header
 * values a real client can send, content types, and token-looking garbage.
 */
import fc from 'fast-check';

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

/** Values an HTTP client can put in a header (printable ASCII; Node refuses control characters). */
export const headerValue = fc.oneof(
  fc.string({ unit: printableAscii, maxLength: 120 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'undefined',
    '[]',
    '{}',
    'Bearer',
    'Bearer ',
    'bearer x',
    'sha256=',
    'v1,',
    'v1,AAAA',
    '0',
    '-1',
    '9'.repeat(40),
    'eyJ',
    'eyJhbGciOiJub25lIn0.e30.',
    'a.b.c',
    '..',
    '%00',
    '../../etc/passwd',
  ),
);

/** Strings that have broken software before. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE installations; --',
    '${jndi:ldap://x}',
    '{{ event }}',
    '{{',
    '}}',
    '$..*',
    '$[?@.a==1]',
    '\u0000',
    '\ud800',
    '\u202e',
    '__proto__',
    'constructor',
    'prototype',
    '<script>alert(1)</script>',
    'a'.repeat(5000),
    '../'.repeat(20),
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    'NaN',
    'Infinity',
    '1e309',
  ),
);

const nastyKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'workspaceId', 'addonId', 'authToken', '$ref', ''),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 1e308, 5e-324),
);

/** JSON of any shape, biased towards hostile keys and values. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    nastyNumber,
    nastyString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** JSON text (as sent over the wire, so `__proto__` keys survive) or not-quite-JSON text. */
export const hostileBodyText = fc.oneof(
  hostileJson.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(
    '',
    '{',
    '[',
    '{"a":',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    'null',
    'true',
    '"text"',
    '1e999',
    '{"a":1,"a":2}',
    '['.repeat(2000) + ']'.repeat(2000),
    '\u0000',
    '\ufeff{}',
  ),
  fc.string({ maxLength: 200 }),
);

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/html',
  'nonsense',
);

/** Structurally plausible JWTs whose parts are garbage. */
export const garbageJwt = fc
  .tuple(fc.base64String({ maxLength: 60 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 100 }))
  .map(([a, b, c]) => `eyJ${a.replace(/=/g, '')}.${b.replace(/=/g, '')}.${c.replace(/=/g, '')}`);

/** Object.prototype must stay untouched by anything a request carries. */
export function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** Any text as one URL path segment (UTF-8 percent-encoded; lone surrogates become U+FFFD). */
export function pathSegment(text: string, maxLength = 300): string {
  const encoded = [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return encoded.slice(0, maxLength).replace(/%[0-9A-F]?$/, '') || '%20';
}
