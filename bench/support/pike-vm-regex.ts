/**
 * The hand-written Pike VM the `matches` operator used before re2js, kept as the reference
 * bench/regex-engines.ts measures re2js against. Its compiler and VM are as they were; the pattern
 * checks and parser, which did not change, are imported from src/flows/condition-regex.ts.
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

import {
  MAX_PATTERN_LENGTH,
  MAX_PROGRAM_SIZE,
  MAX_SUBJECT_LENGTH,
  Parser,
  PatternError,
  codePointLength,
} from '../../src/flows/condition-regex.js';
import type { Node, SafeRegexResult } from '../../src/flows/condition-regex.js';

// The pattern checks and the parser are the product's own (src/flows/condition-regex.ts): only the engine differs.
export { MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH };
export type { SafeRegex, SafeRegexResult } from '../../src/flows/condition-regex.js';

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
