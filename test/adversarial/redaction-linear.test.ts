/**
 * The JWT masking in logs, dry runs and action answers runs in one pass: `eyJeyJeyJ…` (quadratic
 * for the regex it replaces) is masked at the size of a whole request body, and the result is
 * exactly what that regex produced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskJwts, REDACTED, redactString } from '../../src/observability/redact.js';

/** The regex the scanner replaces: the reference for what gets masked. */
const REFERENCE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const reference = (text: string) => text.replace(REFERENCE, REDACTED);
const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';

describe('JWT masking', () => {
  it('masks tokens wherever they appear and leaves the rest', () => {
    expect(redactString(`GET /ui?x=1&t=${jwt}&y=2`)).toBe(`GET /ui?x=1&t=${REDACTED}&y=2`);
    expect(redactString(`${jwt} and ${jwt}.`)).toBe(`${REDACTED} and ${REDACTED}.`);
    expect(redactString('eyJ.short.parts')).toBe('eyJ.short.parts');
    expect(redactString('auth_token=abc&x=1')).toBe(`auth_token=${REDACTED}&x=1`);
  });

  it('masks exactly what the reference regex masks, on text made of token-like pieces', () => {
    const piece = fc.constantFrom('eyJ', 'eyJab', 'abcde', 'x', '.', '-', '_', ' ', '/', 'eyJhbGciOi', jwt, '..', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(maskJwts(text)).toBe(reference(text));
      }),
      { seed: 18, numRuns: 5_000 },
    );
  });

  it('masks a 16 KB `eyJeyJ…` URL that ends in a token, and one that does not', () => {
    const run = 'eyJ'.repeat((16 * 1024) / 3);
    expect(redactString(`/x?a=${run}.abcdef.ghi`)).toBe(`/x?a=${REDACTED}`);
    expect(redactString(`/x?a=${run}`)).toBe(`/x?a=${run}`);
    expect(redactString(`/x?a=${run}.abcdef`)).toBe(`/x?a=${run}.abcdef`);
  });

  // Linear by construction (each base64url run is scanned a bounded number of times, no
  // backtracking regex): 1 MB of the worst input finishes well inside the default test timeout,
  // where the regex would need about (10^6)^2 / 2 steps.
  it('handles 1 MB of `eyJeyJ…` and of `eyJ….eyJ…` shapes', () => {
    const size = 1024 * 1024;
    const run = 'eyJ'.repeat(size / 3);
    expect(maskJwts(run)).toBe(run);
    expect(maskJwts(`${run}.`)).toBe(`${run}.`);
    expect(maskJwts(`${run}.${run}`)).toBe(`${run}.${run}`);
    expect(maskJwts(`${run}.${run}.${run}`)).toBe(REDACTED);
    const pairs = 'eyJabcdef.'.repeat(size / 10);
    expect(maskJwts(pairs)).toBe(pairs.replace(REFERENCE, REDACTED));
  });
});
