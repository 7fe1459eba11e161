/**
 * Condition evaluation: pure and total — any event value (including non-JSON ones) yields a result
 * and a trace, never an exception.
 *
 * Semantics (each condition selects a node list with its JSONPath):
 * - With several selected values a condition holds when ANY value satisfies it; `not_equals` and
 *   `not_exists` are the exceptions: they hold when NO value equals / nothing is selected.
 * - `exists`: something is selected (a JSON null counts). `empty`: nothing selected, or a value that is
 *   null, '', [] or {}; `not_empty`: some selected value is none of those.
 * - `equals`: deep equality; the only leniency is that a number equals a string holding the same
 *   decimal number (5 equals "5", "5.0"), as form inputs arrive as strings.
 * - `contains`: substring for strings (value converted with String() when it is a number or boolean),
 *   element (by `equals`) for arrays. `in`: the operand is an array holding the value (by `equals`).
 * - `gt`/`gte`/`lt`/`lte`: both numbers (numeric strings accepted), else both ISO 8601 date-times,
 *   else both ISO 8601 durations (PT1H30M); anything else does not hold.
 * - `matches`: the operand is a pattern string or `{ pattern, ignoreCase? }`; strings, numbers and
 *   booleans are tested (as text, first 10,000 characters) with the linear-time engine.
 * - A group without rules holds (whatever its mode), so "no conditions" means "always".
 * - One evaluation has a budget (JSONPath nodes visited and selected, characters tested by
 *   `matches`) shared by all its rules: past it the evaluation stops, does not match, and says which
 *   limit it hit in `exceeded`.
 */
import { compileJsonPath } from './condition-path.js';
import { compileSafeRegex, MAX_SUBJECT_LENGTH, type SafeRegex } from './condition-regex.js';
import { BudgetExceededError, EvaluationBudget, type EvaluationLimit } from './evaluation-budget.js';
import { FLOW_LIMITS, type ConditionGroup } from './model.js';

export interface ConditionTrace {
  path: string;
  op: string;
  matched: boolean;
  /** The selected value (or values, when several), shortened when large. */
  actual?: unknown;
  /** Why the condition could not be evaluated (bad path, bad operand). */
  error?: string;
}

export interface ConditionsResult {
  matched: boolean;
  trace: ConditionTrace[];
  /** Set when the evaluation ran out of budget (and so did not match): which limit, and a sentence for people. */
  exceeded?: { limit: EvaluationLimit; message: string };
}

const TRACE_VALUE_LIMIT = 1_000;
/** Deeper than any valid flow; only protects against unvalidated input. */
const MAX_EVALUATION_DEPTH = 32;

export function evaluateConditions(group: ConditionGroup, event: unknown, budget = new EvaluationBudget()): ConditionsResult {
  const trace: ConditionTrace[] = [];
  let matched = false;
  try {
    matched = evaluateGroup(group, event, trace, 1, budget);
  } catch (error) {
    if (error instanceof BudgetExceededError) {
      const last = trace[trace.length - 1];
      if (last) last.error = error.message;
      return { matched: false, trace, exceeded: { limit: error.limit, message: error.message } };
    }
    matched = false;
  }
  return { matched, trace };
}

function evaluateGroup(group: unknown, event: unknown, trace: ConditionTrace[], depth: number, budget: EvaluationBudget): boolean {
  if (group === null || typeof group !== 'object' || depth > MAX_EVALUATION_DEPTH) return false;
  const { mode, rules } = group as { mode?: unknown; rules?: unknown };
  if (!Array.isArray(rules) || (mode !== 'all' && mode !== 'any')) return false;
  if (rules.length === 0) return true;
  // Every rule is evaluated (no short-circuit) so the trace explains the whole decision.
  const outcomes = rules.map((rule: unknown) =>
    isGroup(rule) ? evaluateGroup(rule, event, trace, depth + 1, budget) : evaluateCondition(rule, event, trace, budget),
  );
  return mode === 'all' ? outcomes.every(Boolean) : outcomes.some(Boolean);
}

function isGroup(rule: unknown): boolean {
  return rule !== null && typeof rule === 'object' && 'rules' in rule;
}

function evaluateCondition(rule: unknown, event: unknown, trace: ConditionTrace[], budget: EvaluationBudget): boolean {
  const { path, op, value } = (rule ?? {}) as { path?: unknown; op?: unknown; value?: unknown };
  const entry: ConditionTrace = { path: String(path), op: String(op), matched: false };
  trace.push(entry);
  try {
    const compiled = compileJsonPath(path);
    if (!compiled.ok) {
      entry.error = compiled.message;
      return false;
    }
    const selected = compiled.evaluate(event, budget);
    if (selected.length > 0) entry.actual = traceValue(selected.length === 1 ? selected[0] : selected);
    const outcome = applyOperator(String(op), selected, value, budget);
    if (typeof outcome === 'string') {
      entry.error = outcome;
      return false;
    }
    entry.matched = outcome;
    return outcome;
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    entry.error = 'condition could not be evaluated';
    return false;
  }
}

/** The value itself when small, else the start of its JSON; never serialises more than the limit. */
function traceValue(value: unknown): unknown {
  const text = boundedJson(value, TRACE_VALUE_LIMIT);
  if (text === undefined) return '[unserialisable value]';
  if (text.length <= TRACE_VALUE_LIMIT) return value;
  // A string's size is known without serialising it (escapes aside); a structure's is not.
  const size = typeof value === 'string' ? `${value.length + 2} characters` : `more than ${TRACE_VALUE_LIMIT} characters`;
  return `${text.slice(0, TRACE_VALUE_LIMIT)}… (${size})`;
}

/**
 * JSON of `value`, cut once it passes `limit` characters: selected values of a descendant path
 * hold each other (`$..*` selects every subtree), so serialising them all would cost their total
 * size, many times the event's.
 */
function boundedJson(value: unknown, limit: number): string | undefined {
  let out = '';
  const write = (current: unknown, depth: number): void => {
    if (out.length > limit) return;
    if (current === null || typeof current !== 'object' || depth > MAX_EVALUATION_DEPTH * 4) {
      const scalar = typeof current === 'string' ? current.slice(0, limit + 1) : current;
      out += JSON.stringify(scalar === undefined ? null : scalar) ?? 'null';
      return;
    }
    const isArray = Array.isArray(current);
    out += isArray ? '[' : '{';
    let first = true;
    for (const key of isArray ? current.keys() : Object.keys(current)) {
      if (out.length > limit) return;
      if (!first) out += ',';
      first = false;
      if (!isArray) out += `${JSON.stringify(key)}:`;
      write((current as Record<string | number, unknown>)[key], depth + 1);
    }
    out += isArray ? ']' : '}';
  };
  try {
    write(value, 0);
  } catch {
    return undefined;
  }
  return out;
}

/** true/false, or a message when the operand is unusable. */
export function applyOperator(
  op: string,
  selected: readonly unknown[],
  operand: unknown,
  budget = new EvaluationBudget(),
): boolean | string {
  switch (op) {
    case 'exists':
      return selected.length > 0;
    case 'not_exists':
      return selected.length === 0;
    case 'empty':
      return selected.length === 0 || selected.some(isEmpty);
    case 'not_empty':
      return selected.some((value) => !isEmpty(value));
    case 'equals':
      return selected.some((value) => looselyEqual(value, operand));
    case 'not_equals':
      return !selected.some((value) => looselyEqual(value, operand));
    case 'contains':
      return selected.some((value) => contains(value, operand));
    case 'in':
      if (!Array.isArray(operand)) return 'the "in" operator needs an array value';
      return selected.some((value) => operand.some((candidate) => looselyEqual(value, candidate)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return selected.some((value) => compareHolds(op, value, operand));
    case 'matches': {
      const regex = regexFor(operand);
      if (typeof regex === 'string') return regex;
      return selected.some((value) => {
        if (!isScalar(value)) return false;
        const text = String(value);
        budget.testCharacters(Math.min(text.length, MAX_SUBJECT_LENGTH));
        return regex.test(text);
      });
    }
    default:
      return `unknown operator "${op}"`;
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const DECIMAL = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function numberFromString(text: string): number | undefined {
  return text.length <= 40 && DECIMAL.test(text) ? Number(text) : undefined;
}

/** Deep equality plus the documented number/numeric-string leniency at the top level. */
export function looselyEqual(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'string') return numberFromString(expected) === actual;
  if (typeof actual === 'string' && typeof expected === 'number') return numberFromString(actual) === expected;
  return deepEqual(actual, expected, 0);
}

function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (depth > 64 || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index], depth + 1));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) => Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1),
  );
}

function contains(actual: unknown, operand: unknown): boolean {
  if (typeof actual === 'string') {
    return isScalar(operand) && actual.includes(String(operand));
  }
  if (Array.isArray(actual)) return actual.some((item) => looselyEqual(item, operand));
  return false;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const ISO_DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function dateValue(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40 || !ISO_DATE.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** Seconds in an ISO 8601 duration without years/months (their length varies), e.g. PT1H30M. */
function durationValue(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 60) return undefined;
  const match = ISO_DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [, sign, weeks, days, hours, minutes, seconds] = match;
  const total =
    Number(weeks ?? 0) * 604_800 +
    Number(days ?? 0) * 86_400 +
    Number(hours ?? 0) * 3_600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0);
  return sign ? -total : total;
}

function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const parsed = numberFromString(value);
    return parsed !== undefined && Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Orders two values as numbers, dates or durations (the first kind both sides share). */
export function compareValues(a: unknown, b: unknown): number | undefined {
  for (const read of [numericValue, dateValue, durationValue]) {
    const left = read(a);
    const right = read(b);
    if (left !== undefined && right !== undefined) return left === right ? 0 : left < right ? -1 : 1;
  }
  return undefined;
}

function compareHolds(op: 'gt' | 'gte' | 'lt' | 'lte', actual: unknown, operand: unknown): boolean {
  const order = compareValues(actual, operand);
  if (order === undefined) return false;
  switch (op) {
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}

/** Reads the `matches` operand: a pattern string, or `{ pattern, ignoreCase? }`. */
export function regexOperand(operand: unknown): { pattern: unknown; ignoreCase: boolean } {
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    const { pattern, ignoreCase } = operand as { pattern?: unknown; ignoreCase?: unknown };
    return { pattern, ignoreCase: ignoreCase === true };
  }
  return { pattern: operand, ignoreCase: false };
}

function regexFor(operand: unknown): SafeRegex | string {
  const { pattern, ignoreCase } = regexOperand(operand);
  if (typeof pattern !== 'string') return 'the "matches" operator needs a pattern string';
  const compiled = compileSafeRegex(pattern, { ignoreCase });
  return compiled.ok ? compiled.regex : compiled.message;
}

/** Depth of a condition group, counting the group itself as 1. */
export function groupDepth(group: unknown, depth = 1): number {
  if (depth > FLOW_LIMITS.conditionDepth + 1) return depth;
  const rules = (group as { rules?: unknown })?.rules;
  if (!Array.isArray(rules)) return depth;
  let deepest = depth;
  for (const rule of rules) if (isGroup(rule)) deepest = Math.max(deepest, groupDepth(rule, depth + 1));
  return deepest;
}
