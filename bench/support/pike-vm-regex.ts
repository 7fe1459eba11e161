/**
 * The hand-written Pike VM the `matches` operator used before re2js, kept unchanged (but for this
 * note) as the reference bench/regex-engines.ts measures re2js against.
 *
 * Regular expressions for the `matches` condition, run in time linear in the input.
 *
 * V8's backtracking engine is polynomial or exponential on patterns far simpler than `(a+)+`:
 * `a*a*b` against 10,000 `a`s takes minutes. So patterns are checked for standard JavaScript syntax
 * (`u` flag) and then run on a small Pike VM (Thompson NFA simulation), which visits each
 * (position, instruction) pair at most once. Single-character atoms (literals, escapes, classes,
 * `\p{…}`, `.`) are still decided by native RegExp against one code point, so their meaning is exactly
 * JavaScript's.
 *
 * Supported: literals and escapes, `.`, classes, `\d \w \s \p{…}`, groups (capturing, named and
 * non-capturing, all treated as plain grouping), alternation, `* + ? {n} {n,} {n,m}` (greedy or lazy,
 * which only matters for captures), `^ $ \b \B`. Refused: backreferences, lookahead and lookbehind, and
 * nested quantifiers such as `(a+)+` (kept out so patterns stay portable to backtracking engines).
 */

export const MAX_PATTERN_LENGTH = 200;
/** Longer subjects are cut to this many UTF-16 units before matching. */
export const MAX_SUBJECT_LENGTH = 10_000;
const MAX_REPEAT = 100;
const MAX_PROGRAM_SIZE = 1_000;

export interface SafeRegex {
  readonly source: string;
  readonly ignoreCase: boolean;
  /** Searches anywhere in `subject` (like `RegExp.prototype.test`), after truncation. */
  test(subject: string): boolean;
}

export type SafeRegexResult = { ok: true; regex: SafeRegex } | { ok: false; message: string; position?: number };

type Node =
  | { type: 'empty' }
  | { type: 'char'; source: string }
  | { type: 'assert'; kind: 'start' | 'end' | 'word' | 'notWord' }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'group'; body: Node }
  | { type: 'repeat'; body: Node; min: number; max: number };

class PatternError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Recursive-descent parser over an already syntax-checked (`new RegExp(p, 'u')`) pattern. */
class Parser {
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

function codePointLength(text: string, index: number): number {
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

type Instruction =
  | { op: 'char'; test: (ch: string) => boolean }
  | { op: 'split'; first: number; second: number }
  | { op: 'jump'; to: number }
  | { op: 'assert'; kind: 'start' | 'end' | 'word' | 'notWord' }
  | { op: 'match' };

/** Decides one code point with native RegExp; results are memoised per code point. */
function charPredicate(source: string, flags: string): (ch: string) => boolean {
  if (flags === 'u' && source.length === codePointLength(source, 0) && !/[.^$\\[\]()|*+?{}]/.test(source)) {
    return (ch) => ch === source;
  }
  const regex = new RegExp(`^(?:${source})$`, flags);
  const memo = new Map<string, boolean>();
  return (ch) => {
    let result = memo.get(ch);
    if (result === undefined) {
      result = regex.test(ch);
      if (memo.size > 4096) memo.clear();
      memo.set(ch, result);
    }
    return result;
  };
}

class Compiler {
  readonly program: Instruction[] = [];

  constructor(private readonly flags: string) {}

  private emit(instruction: Instruction): number {
    if (this.program.length >= MAX_PROGRAM_SIZE) throw new PatternError('pattern is too complex', 0);
    this.program.push(instruction);
    return this.program.length - 1;
  }

  compile(node: Node): void {
    switch (node.type) {
      case 'empty':
        return;
      case 'char':
        this.emit({ op: 'char', test: charPredicate(node.source, this.flags) });
        return;
      case 'assert':
        this.emit({ op: 'assert', kind: node.kind });
        return;
      case 'group':
        this.compile(node.body);
        return;
      case 'seq':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt':
        this.compileAlternation(node.options);
        return;
      case 'repeat':
        this.compileRepeat(node);
        return;
    }
  }

  private compileAlternation(options: Node[]): void {
    const jumps: { op: 'jump'; to: number }[] = [];
    options.forEach((option, index) => {
      if (index === options.length - 1) {
        this.compile(option);
        return;
      }
      const split: Instruction = { op: 'split', first: 0, second: 0 };
      this.emit(split);
      split.first = this.program.length;
      this.compile(option);
      const jump = { op: 'jump' as const, to: 0 };
      this.emit(jump);
      jumps.push(jump);
      split.second = this.program.length;
    });
    for (const jump of jumps) jump.to = this.program.length;
  }

  private compileRepeat(node: Extract<Node, { type: 'repeat' }>): void {
    for (let i = 0; i < node.min; i++) this.compile(node.body);
    if (node.max === Infinity) {
      const split: Instruction = { op: 'split', first: 0, second: 0 };
      const loop = this.emit(split);
      split.first = this.program.length;
      this.compile(node.body);
      this.emit({ op: 'jump', to: loop });
      split.second = this.program.length;
      return;
    }
    const splits: Extract<Instruction, { op: 'split' }>[] = [];
    for (let i = node.min; i < node.max; i++) {
      const split: Instruction = { op: 'split', first: 0, second: 0 };
      this.emit(split);
      split.first = this.program.length;
      splits.push(split);
      this.compile(node.body);
    }
    for (const split of splits) split.second = this.program.length;
  }
}

function runProgram(program: readonly Instruction[], isWord: (ch: string | undefined) => boolean, subject: string): boolean {
  const chars = Array.from(subject);
  const length = chars.length;
  const seen = new Int32Array(program.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];

  /** Adds `pc` and everything reachable from it without consuming input; true when MATCH is reached. */
  const addThread = (list: number[], pc: number, position: number): boolean => {
    stack.push(pc);
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen[at] === position) continue;
      seen[at] = position;
      const instruction = program[at]!;
      switch (instruction.op) {
        case 'match':
          stack.length = 0;
          return true;
        case 'char':
          list.push(at);
          break;
        case 'jump':
          stack.push(instruction.to);
          break;
        case 'split':
          stack.push(instruction.second, instruction.first);
          break;
        case 'assert': {
          const before = chars[position - 1];
          const after = chars[position];
          const holds =
            instruction.kind === 'start'
              ? position === 0
              : instruction.kind === 'end'
                ? position === length
                : (isWord(before) !== isWord(after)) === (instruction.kind === 'word');
          if (holds) stack.push(at + 1);
          break;
        }
      }
    }
    return false;
  };

  for (let position = 0; position <= length; position++) {
    if (addThread(current, 0, position)) return true;
    if (position === length) break;
    const ch = chars[position]!;
    next.length = 0;
    for (const pc of current) {
      const instruction = program[pc]!;
      if (instruction.op === 'char' && instruction.test(ch) && addThread(next, pc + 1, position + 1)) return true;
    }
    [current, next] = [next, current];
  }
  return false;
}

/** Checks `pattern` and prepares it for linear-time matching. Never throws. */
export function compileSafeRegex(pattern: unknown, options: { ignoreCase?: boolean } = {}): SafeRegexResult {
  if (typeof pattern !== 'string') return { ok: false, message: 'pattern must be a string' };
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
    const compiler = new Compiler(flags);
    compiler.compile(new Parser(pattern).parse());
    compiler.program.push({ op: 'match' });
    const program = compiler.program;
    const wordRegex = new RegExp('\\w', flags);
    const isWord = (ch: string | undefined): boolean => ch !== undefined && wordRegex.test(ch);
    return {
      ok: true,
      regex: {
        source: pattern,
        ignoreCase: options.ignoreCase === true,
        test: (subject: string) => runProgram(program, isWord, subject.slice(0, MAX_SUBJECT_LENGTH)),
      },
    };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, message: error.message, position: error.position };
    return { ok: false, message: 'pattern could not be compiled' };
  }
}
