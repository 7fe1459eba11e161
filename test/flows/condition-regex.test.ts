import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_SUBJECT_LENGTH } from '../../src/flows/condition-regex.js';

function regex(pattern: string, ignoreCase = false) {
  const result = compileSafeRegex(pattern, { ignoreCase });
  if (!result.ok) throw new Error(`${pattern}: ${result.message}`);
  return result.regex;
}

describe('compileSafeRegex: matching', () => {
  it.each([
    ['urgent', 'this is urgent!', true],
    ['urgent', 'URGENT', false],
    ['^PROJ-\\d+$', 'PROJ-123', true],
    ['^PROJ-\\d+$', 'xPROJ-123', false],
    ['^PROJ-\\d+$', 'PROJ-12a', false],
    ['colou?r', 'color', true],
    ['colou?r', 'colour', true],
    ['a{2,3}', 'a', false],
    ['^a{2,3}$', 'aaaa', false],
    ['^a{2,3}$', 'aaa', true],
    ['^a{2,}$', 'aaaaaa', true],
    ['^(?:ab|cd)+$', 'abcdab', true],
    ['^(?:ab|cd)+$', 'abc', false],
    ['^(?<year>\\d{4})-(\\d{2})$', '2024-05', true],
    ['\\bcat\\b', 'a cat sat', true],
    ['\\bcat\\b', 'concatenate', false],
    ['\\Bcat\\B', 'concatenate', true],
    ['[^a-z]', 'abc', false],
    ['[^a-z]', 'abC', true],
    ['[\\d.]+', '3.14', true],
    ['^.$', '😀', true],
    ['^\\p{Lu}', 'Über', true],
    ['^\\u{1F600}$', '😀', true],
    ['^\\uD83D\\uDE00$', '😀', true],
    ['^a.c$', 'a\nc', false],
    ['^$', '', true],
    ['x*', '', true],
    ['^\\x41\\u0042\\t$', 'AB\t', true],
    ['a|', 'zzz', true],
    ['^(?:)+$', '', true],
  ])('%s on %j → %s', (pattern, subject, expected) => {
    expect(regex(pattern).test(subject)).toBe(expected);
  });

  it('ignores case when asked', () => {
    expect(regex('^urgent$', true).test('URGENT')).toBe(true);
    expect(regex('^[a-z]+$', true).test('ABC')).toBe(true);
    expect(regex('^urgent$').test('URGENT')).toBe(false);
  });

  it('only looks at the first 10,000 characters', () => {
    const subject = `${'a'.repeat(MAX_SUBJECT_LENGTH)}needle`;
    expect(regex('needle').test(subject)).toBe(false);
    expect(regex('a$').test(subject)).toBe(true);
  });

  it.each(['a*a*b', '.*.*x', '\\w+\\s*\\w+x', '(?:a|ab)*c', '(?:a|a)*b', `${'.{0,50}'.repeat(5)}x`])(
    'finishes on 10,000 characters for %s (catastrophic for backtracking engines)',
    (pattern) => {
      expect(regex(pattern).test('a'.repeat(MAX_SUBJECT_LENGTH))).toBe(false);
    },
  );
});

describe('compileSafeRegex: refusals', () => {
  it.each([
    ['(a+)+', 'nested quantifiers'],
    ['(a*)*b', 'nested quantifiers'],
    ['(?:\\w+\\s?)+$', 'nested quantifiers'],
    ['(a{1,3}){2,}', 'nested quantifiers'],
    ['(a)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'lookbehind'],
    ['a(?=b)', 'lookahead'],
    ['a(?!b)', 'lookahead'],
    ['a{101}', 'repetition counts above 100'],
    ['a{1,500}', 'repetition counts above 100'],
    ['(', 'invalid regular expression'],
    ['[a-', 'invalid regular expression'],
    ['a{2', 'invalid regular expression'],
    ['\\', 'invalid regular expression'],
    ['a'.repeat(201), 'longer than 200'],
    [`${'[a-z]{0,100}'.repeat(12)}`, 'too complex'],
  ])('refuses %s (%s)', (pattern, message) => {
    const result = compileSafeRegex(pattern);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('accepts quantified groups whose inside has fixed length or optional parts', () => {
    expect(compileSafeRegex('(?:ab?)+').ok).toBe(true);
    expect(compileSafeRegex('(?:a{2})+').ok).toBe(true);
    expect(compileSafeRegex('(a+)?').ok).toBe(true);
  });

  it('refuses non-string patterns without throwing', () => {
    expect(compileSafeRegex(42).ok).toBe(false);
    expect(compileSafeRegex(undefined).ok).toBe(false);
  });
});

describe('compileSafeRegex agrees with JavaScript RegExp', () => {
  // Small patterns from a grammar that only produces constructs the engine accepts.
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', 'x');
  const quantified = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,2}', '{0,}')).map(([a, q]) => a + q);
  const sequence = fc.array(quantified, { minLength: 1, maxLength: 4 }).map((items) => items.join(''));
  const group = sequence.map((s) => `(?:${s})`);
  const term = fc.oneof(
    sequence,
    fc.tuple(group, fc.constantFrom('', '?', '{2}')).map(([g, q]) => g + q),
  );
  const pattern = fc
    .tuple(
      fc.constantFrom('', '^'),
      fc.array(term, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('', '|b', '|a.'),
      fc.constantFrom('', '$', '\\b'),
    )
    .map(([start, terms, alternative, end]) => `${start}${terms.join('')}${alternative}${end}`);
  const subject = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '1', ' ', '\n'), maxLength: 12 });

  it('for random patterns and subjects', () => {
    fc.assert(
      fc.property(pattern, subject, fc.boolean(), (source, text, ignoreCase) => {
        const compiled = compileSafeRegex(source, { ignoreCase });
        if (!compiled.ok) return; // e.g. a quantified group that holds a quantifier
        expect(compiled.regex.test(text)).toBe(new RegExp(source, ignoreCase ? 'iu' : 'u').test(text));
      }),
      { seed: 20240601, numRuns: 2000 },
    );
  });
});

describe("compileSafeRegex keeps JavaScript's meaning where RE2's differs", () => {
  it.each([
    ['^.$', '\r', false],
    ['^.$', '\u2028', false],
    ['^\\s$', '\u00a0', true],
    ['^\\s$', '\v', true],
    ['^\\S$', '\u3000', false],
    ['^[\\s]$', '\ufeff', true],
    ['^[a-c-]+$', 'a-c', true],
    ['^[-a]$', '-', true],
    ['^[\\u0041-\\u005A]+$', 'ABZ', true],
    ['^[\\u0041-\\u005A]+$', 'a', false],
    ['^\\u{61}\\x62\\cJ$', 'ab\n', true],
    ['^[.]$', 'x', false],
    ['^\\p{Script=Greek}+$', 'αβγ', true],
    ['^[\\b]$', '\b', true],
  ])('%s on %j → %s', (pattern, subject, expected) => {
    expect(regex(pattern).test(subject)).toBe(expected);
    expect(new RegExp(pattern, 'u').test(subject)).toBe(expected);
  });

  it('agrees with RegExp on random patterns over classes, escapes and line terminators', () => {
    const atom = fc.constantFrom(
      '.',
      '\\s',
      '\\S',
      '[\\s\\d]',
      '[^\\s]',
      '[a-c-]',
      '[\\u0041-\\u005A]',
      '\\u{61}',
      '\\x62',
      '[.\\-]',
      '\\.',
      'a',
      'A',
    );
    const pattern = fc
      .array(
        fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}')).map(([a, q]) => a + q),
        { minLength: 1, maxLength: 4 },
      )
      .map((items) => items.join(''));
    const subject = fc.string({
      unit: fc.constantFrom('a', 'b', 'A', 'Z', '-', '.', '1', ' ', '\r', '\n', '\u00a0', '\u2028', '\t'),
      maxLength: 10,
    });
    fc.assert(
      fc.property(pattern, subject, fc.boolean(), (source, text, ignoreCase) => {
        const compiled = compileSafeRegex(source, { ignoreCase });
        expect(compiled.ok).toBe(true);
        if (compiled.ok) expect(compiled.regex.test(text)).toBe(new RegExp(source, ignoreCase ? 'iu' : 'u').test(text));
      }),
      { seed: 18, numRuns: 2000 },
    );
  });
});
