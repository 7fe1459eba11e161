/**
 * The shape of a template function (`{{ value | name:arg1,arg2 }}`). Functions are pure, take the
 * piped value plus literal arguments (checked when the flow is saved), and never evaluate code.
 */

export type FunctionArgument = string | number | boolean | null;

export interface ParameterSpec {
  name: string;
  type: 'string' | 'integer';
  optional?: boolean;
  /** Allowed values (strings only). */
  oneOf?: readonly string[];
  /** Inclusive bounds for integers. */
  min?: number;
  max?: number;
  /** Extra literal check; returns a problem text or undefined. */
  check?: (value: string) => string | undefined;
}

export interface TemplateFunction {
  name: string;
  family: 'dates' | 'durations' | 'numbers' | 'strings' | 'lists' | 'values';
  description: string;
  params: readonly ParameterSpec[];
  /** One worked example: `input` is the piped value, `result` what the template renders to. */
  example: { template: string; input: unknown; result: unknown };
  /** Absent for the filters implemented directly in templates.ts (default, lower, upper, trim). */
  apply?: (value: unknown, args: readonly FunctionArgument[]) => unknown;
}

/** Thrown by `apply` for a value it cannot work on; the message names the function. */
export class TemplateFunctionError extends Error {}

/** Bounds that keep one call cheap whatever the input: output size matches TEMPLATE_LIMITS.outputSize. */
export const FUNCTION_LIMITS = { outputSize: 1_000_000, truncateLength: 100_000, roundDigits: 10 } as const;

export function fail(name: string, message: string): never {
  throw new TemplateFunctionError(`${name}: ${message}`);
}

/** `name:"a",1` as written in a template, for signatures and messages. */
export function signatureOf(fn: Pick<TemplateFunction, 'name' | 'params'>): string {
  if (fn.params.length === 0) return fn.name;
  return `${fn.name}:${fn.params.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(',')}`;
}

/** The problem with the literal arguments of a call, or undefined when they fit the signature. */
export function argumentProblem(fn: TemplateFunction, args: readonly FunctionArgument[]): string | undefined {
  const required = fn.params.filter((p) => !p.optional).length;
  if (args.length < required || args.length > fn.params.length) {
    const count = required === fn.params.length ? `${required}` : `${required} to ${fn.params.length}`;
    return `function "${fn.name}" takes ${count} argument${count === '1' ? '' : 's'} (${signatureOf(fn)}), got ${args.length}`;
  }
  for (const [index, arg] of args.entries()) {
    const param = fn.params[index]!;
    const where = `function "${fn.name}": ${param.name}`;
    if (param.type === 'integer') {
      if (typeof arg !== 'number' || !Number.isInteger(arg)) return `${where} must be a whole number`;
      if (param.min !== undefined && arg < param.min) return `${where} must be at least ${param.min}`;
      if (param.max !== undefined && arg > param.max) return `${where} must be at most ${param.max}`;
    } else {
      if (typeof arg !== 'string') return `${where} must be a quoted string`;
      if (param.oneOf && !param.oneOf.includes(arg)) return `${where} must be one of ${param.oneOf.map((v) => `"${v}"`).join(', ')}`;
      const problem = param.check?.(arg);
      if (problem) return `${where} ${problem}`;
    }
  }
  return undefined;
}

/** Text of a scalar; objects and arrays are refused so a function never guesses a rendering. */
export function scalarText(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(name, `expects text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
}

export function numberOf(name: string, value: unknown, what = 'the value'): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) fail(name, `${what} is not a number (${preview(value)})`);
  return number;
}

export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
