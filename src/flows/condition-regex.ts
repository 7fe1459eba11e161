/**
 * Regular expressions for the `matches` condition, run in time linear in the input by re2js (a
 * port of RE2: automata, no backtracking). V8's own engine is polynomial or exponential on patterns
 * far simpler than `(a+)+`: `a*a*b` against 10,000 `a`s takes minutes.
 *
 * Patterns are written in JavaScript syntax (checked with `new RegExp(p, 'u')`), parsed here, and
 * translated to RE2 syntax with JavaScript's meaning kept where the two differ: `.` excludes \r,
 * \u2028 and \u2029 too, `\s` is JavaScript's Unicode whitespace, `\u{…}`/`\uXXXX`/`\cX` escapes.
 * `\p{…}` takes the names RE2 knows (general categories such as Lu, scripts such as Greek).
 *
 * Supported: literals and escapes, `.`, classes, `\d \w \s \p{…}`, groups (capturing, named and
 * non-capturing, all treated as plain grouping), alternation, `* + ? {n} {n,} {n,m}` (greedy or lazy,
 * which only matters for captures), `^ $ \b \B`. Refused: backreferences, lookahead and lookbehind, and
 * nested quantifiers such as `(a+)+` (kept out so patterns stay portable to backtracking engines).
 */
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 200;
/** Longer subjects are cut to this many UTF-16 units before matching. */
export const MAX_SUBJECT_LENGTH = 10_000;
const MAX_REPEAT = 100;
/** Exported with the parser below for bench/support/pike-vm-regex.ts, the engine re2js replaced. */
export const MAX_PROGRAM_SIZE = 1_000;

export interface SafeRegex {
  readonly source: string;
  readonly ignoreCase: boolean;
  /** Searches anywhere in `subject` (like `RegExp.prototype.test`), after truncation. */
  test(subject: string): boolean;
}

export type SafeRegexResult = { ok: true; regex: SafeRegex } | { ok: false; message: string; position?: number };

export type Node =
  | { type: 'empty' }
  | { type: 'char'; source: string }
  | { type: 'assert'; kind: 'start' | 'end' | 'word' | 'notWord' }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'group'; body: Node }
  | { type: 'repeat'; body: Node; min: number; max: number };

export class PatternError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Recursive-descent parser over an already syntax-checked (`new RegExp(p, 'u')`) pattern. */
export class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.disjunction();
    if (this.pos < this.src.length) throw new PatternError('unbalanced parenthesis', this.pos);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private disjunction(): Node {
    const options = [this.alternative()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.alternative());
    }
    return options.length === 1 ? options[0]! : { type: 'alt', options };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.term());
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]! : { type: 'seq', items };
  }

  private term(): Node {
    const start = this.pos;
    const atom = this.atom();
    const quantifier = this.quantifier();
    if (!quantifier) return atom;
    if (atom.type === 'assert') return quantifier.min === 0 ? { type: 'empty' } : atom;
    if (quantifier.max > 1 && containsVariableRepeat(atom)) {
      throw new PatternError('nested quantifiers (like (a+)+) are not allowed', start);
    }
    return { type: 'repeat', body: atom, min: quantifier.min, max: quantifier.max };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const ch = this.peek();
    let result: { min: number; max: number } | undefined;
    if (ch === '*') result = { min: 0, max: Infinity };
    else if (ch === '+') result = { min: 1, max: Infinity };
    else if (ch === '?') result = { min: 0, max: 1 };
    if (result) {
      this.pos++;
    } else if (ch === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!match) return undefined;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        throw new PatternError(`repetition counts above ${MAX_REPEAT} are not allowed`, this.pos);
      }
      this.pos += match[0].length;
      result = { min, max };
    }
    if (result && this.peek() === '?') this.pos++; // lazy: same language, captures are not used
    return result;
  }

  private atom(): Node {
    const start = this.pos;
    const ch = this.peek()!;
    if (ch === '^' || ch === '$') {
      this.pos++;
      return { type: 'assert', kind: ch === '^' ? 'start' : 'end' };
    }
    if (ch === '(') return this.group();
    if (ch === '[') {
      this.skipClass();
      return { type: 'char', source: this.src.slice(start, this.pos) };
    }
    if (ch === '\\') return this.escape();
    if (ch === ')' || ch === '|') throw new PatternError('unexpected character', start);
    this.pos += codePointLength(this.src, this.pos);
    return { type: 'char', source: this.src.slice(start, this.pos) };
  }

  private group(): Node {
    const start = this.pos;
    this.pos++;
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') {
        this.pos += 2;
      } else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
        const close = this.src.indexOf('>', this.pos);
        if (close === -1) throw new PatternError('unterminated group name', start);
        this.pos = close + 1;
      } else if (next === '<') {
        throw new PatternError('lookbehind assertions are not allowed', start);
      } else {
        throw new PatternError('lookahead assertions are not allowed', start);
      }
    }
    const body = this.disjunction();
    if (this.peek() !== ')') throw new PatternError('unterminated group', start);
    this.pos++;
    return { type: 'group', body };
  }

  private skipClass(): void {
    this.pos++;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\') this.pos += 2;
      else if (ch === ']') {
        this.pos++;
        return;
      } else this.pos++;
    }
    throw new PatternError('unterminated character class', this.pos);
  }

  private escape(): Node {
    const start = this.pos;
    const next = this.peek(1);
    if (next === undefined) throw new PatternError('pattern ends with a backslash', start);
    if (next === 'b' || next === 'B') {
      this.pos += 2;
      return { type: 'assert', kind: next === 'b' ? 'word' : 'notWord' };
    }
    if (/[1-9]/.test(next) || next === 'k') throw new PatternError('backreferences are not allowed', start);
    if (next === 'p' || next === 'P') {
      const close = this.src.indexOf('}', this.pos);
      if (close === -1) throw new PatternError('unterminated property escape', start);
      this.pos = close + 1;
    } else if (next === 'c') {
      this.pos += 3;
    } else if (next === 'x') {
      this.pos += 4;
    } else if (next === 'u') {
      if (this.peek(2) === '{') {
        const close = this.src.indexOf('}', this.pos);
        if (close === -1) throw new PatternError('unterminated unicode escape', start);
        this.pos = close + 1;
      } else {
        const lead = parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16);
        this.pos += 6;
        // In `u` mode an escaped surrogate pair is one code point.
        if (lead >= 0xd800 && lead <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(this.src.slice(this.pos))) {
          this.pos += 6;
        }
      }
    } else {
      this.pos += 1 + codePointLength(this.src, this.pos + 1);
    }
    return { type: 'char', source: this.src.slice(start, this.pos) };
  }
}

export function codePointLength(text: string, index: number): number {
  const code = text.codePointAt(index);
  return code !== undefined && code > 0xffff ? 2 : 1;
}

function containsVariableRepeat(node: Node): boolean {
  switch (node.type) {
    case 'repeat':
      return node.max > 1 && node.max !== node.min ? true : containsVariableRepeat(node.body);
    case 'group':
      return containsVariableRepeat(node.body);
    case 'seq':
      return node.items.some(containsVariableRepeat);
    case 'alt':
      return node.options.some(containsVariableRepeat);
    default:
      return false;
  }
}

/** Size of the automaton a pattern unrolls to: counted repeats copy their body. */
function programSize(node: Node): number {
  switch (node.type) {
    case 'empty':
      return 0;
    case 'char':
    case 'assert':
      return 1;
    case 'group':
      return programSize(node.body);
    case 'seq':
      return node.items.reduce((sum, item) => sum + programSize(item), 0);
    case 'alt':
      return node.options.reduce((sum, option) => sum + programSize(option), 0) + 2 * (node.options.length - 1);
    case 'repeat': {
      const body = programSize(node.body);
      return node.min * body + (node.max === Infinity ? body + 2 : (node.max - node.min) * (body + 1));
    }
  }
}

/** JavaScript's \s (WhiteSpace and LineTerminator), as RE2 class items; RE2's own \s is ASCII only. */
const JS_SPACE = '\\x{9}-\\x{d}\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
/** JavaScript's `.` without the s flag: anything but a line terminator. */
const JS_DOT = '[^\\x{a}\\x{d}\\x{2028}\\x{2029}]';
const PROPERTY_PREFIX = /^(?:General_Category|gc|Script|sc|Script_Extensions|scx)=/;

/** One code point as RE2 text that means itself everywhere, in a class or not. */
function literal(codePoint: number): string {
  const ch = String.fromCodePoint(codePoint);
  return /^[A-Za-z0-9]$/.test(ch) ? ch : `\\x{${codePoint.toString(16)}}`;
}

/** Length of the escape starting at `src[at]` (a backslash), as the parser reads it. */
function escapeLength(src: string, at: number): number {
  const next = src[at + 1];
  if (next === 'p' || next === 'P' || (next === 'u' && src[at + 2] === '{')) return src.indexOf('}', at) + 1 - at;
  if (next === 'c') return 3;
  if (next === 'x') return 4;
  if (next === 'u') {
    const lead = parseInt(src.slice(at + 2, at + 6), 16);
    return lead >= 0xd800 && lead <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(src.slice(at + 6)) ? 12 : 6;
  }
  return 1 + codePointLength(src, at + 1);
}

/** A JavaScript escape (`\\d`, `\\u{1F600}`, `\\.`, …) in RE2 syntax, inside a class or not. */
function translateEscape(escape: string, inClass: boolean): string {
  const next = escape[1]!;
  switch (next) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
      return escape;
    case 's':
      return inClass ? JS_SPACE : `[${JS_SPACE}]`;
    case 'S':
      // Inside a class RE2's ASCII \S is the nearest expression (a class cannot hold a negated class).
      return inClass ? '\\S' : `[^${JS_SPACE}]`;
    case 't':
      return literal(9);
    case 'n':
      return literal(10);
    case 'v':
      return literal(11);
    case 'f':
      return literal(12);
    case 'r':
      return literal(13);
    case '0':
      return literal(0);
    case 'b':
      return literal(8);
    case 'c':
      return literal(escape.charCodeAt(2) % 32);
    case 'x':
      return literal(parseInt(escape.slice(2, 4), 16));
    case 'u': {
      if (escape[2] === '{') return literal(parseInt(escape.slice(3, -1), 16));
      const lead = parseInt(escape.slice(2, 6), 16);
      if (escape.length === 12) return literal(0x10000 + ((lead - 0xd800) << 10) + (parseInt(escape.slice(8, 12), 16) - 0xdc00));
      return literal(lead);
    }
    case 'p':
    case 'P':
      return `\\${next}{${escape.slice(3, -1).replace(PROPERTY_PREFIX, '')}}`;
    default:
      return literal(escape.codePointAt(1)!);
  }
}

/** A JavaScript class `[…]` in RE2 syntax; ranges stay ranges, everything else is spelled out. */
function translateClass(source: string): string {
  let at = 1;
  let out = '[';
  if (source[at] === '^') {
    out += '^';
    at++;
  }
  const end = source.length - 1;
  let afterSingle = false;
  while (at < end) {
    const ch = source[at]!;
    if (ch === '-' && afterSingle && at + 1 < end) {
      out += '-';
      at++;
      afterSingle = false;
      // The range's upper end.
      const upper = source[at] === '\\' ? escapeLength(source, at) : codePointLength(source, at);
      out += source[at] === '\\' ? translateEscape(source.slice(at, at + upper), true) : literal(source.codePointAt(at)!);
      at += upper;
      continue;
    }
    if (ch === '\\') {
      const length = escapeLength(source, at);
      const escape = source.slice(at, at + length);
      out += translateEscape(escape, true);
      afterSingle = !/^\\[dDwWsSpP]/.test(escape);
      at += length;
    } else {
      out += literal(source.codePointAt(at)!);
      afterSingle = true;
      at += codePointLength(source, at);
    }
  }
  return `${out}]`;
}

function translateChar(source: string): string {
  if (source === '.') return JS_DOT;
  if (source.startsWith('[')) return translateClass(source);
  if (source.startsWith('\\')) return translateEscape(source, false);
  return literal(source.codePointAt(0)!);
}

/** The parsed pattern in RE2 syntax. */
function toRe2(node: Node): string {
  switch (node.type) {
    case 'empty':
      return '';
    case 'char':
      return translateChar(node.source);
    case 'assert':
      return node.kind === 'start' ? '^' : node.kind === 'end' ? '$' : node.kind === 'word' ? '\\b' : '\\B';
    case 'group':
      return `(?:${toRe2(node.body)})`;
    case 'seq':
      return node.items.map(toRe2).join('');
    case 'alt':
      return node.options.map(toRe2).join('|');
    case 'repeat': {
      const count = node.max === Infinity ? `{${node.min},}` : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`;
      return `(?:${toRe2(node.body)})${count}`;
    }
  }
}

const compiledCache = new Map<string, SafeRegexResult>();
const CACHE_LIMIT = 1_000;

/**
 * Checks `pattern` and prepares it for linear-time matching. Never throws. Results are cached by
 * pattern and flag: validation, every run and every dry run of a flow compile the same few patterns.
 */
export function compileSafeRegex(pattern: unknown, options: { ignoreCase?: boolean } = {}): SafeRegexResult {
  if (typeof pattern !== 'string') return { ok: false, message: 'pattern must be a string' };
  const key = `${options.ignoreCase ? 'i' : '-'}${pattern}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const result = compileUncached(pattern, options);
  if (compiledCache.size >= CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value as string);
  compiledCache.set(key, result);
  return result;
}

function compileUncached(pattern: string, options: { ignoreCase?: boolean }): SafeRegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  const flags = options.ignoreCase ? 'iu' : 'u';
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return { ok: false, message: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  try {
    const tree = new Parser(pattern).parse();
    if (programSize(tree) > MAX_PROGRAM_SIZE) throw new PatternError('pattern is too complex', 0);
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(toRe2(tree), options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (error) {
      return { ok: false, message: `pattern is not supported: ${(error as Error).message}` };
    }
    return {
      ok: true,
      regex: {
        source: pattern,
        ignoreCase: options.ignoreCase === true,
        test: (subject: string) => compiled.test(subject.slice(0, MAX_SUBJECT_LENGTH)),
      },
    };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, message: error.message, position: error.position };
    return { ok: false, message: 'pattern could not be compiled' };
  }
}
