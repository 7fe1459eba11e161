/**
 * The registry of template functions: `{{ value | name:arg1,arg2 }}`. templates.ts parses a call,
 * asks `functionCallProblem` at parse (so save) time, and runs `callTemplateFunction` when rendering.
 */
import { builtinFunctions } from './builtins.js';
import { dateFunctions } from './dates.js';
import { durationFunctions } from './durations.js';
import { listFunctions } from './lists.js';
import { numberFunctions } from './numbers.js';
import { stringFunctions } from './strings.js';
import { TemplateFunctionError, argumentProblem, signatureOf } from './types.js';
import type { FunctionArgument, TemplateFunction } from './types.js';

export type { FunctionArgument, TemplateFunction } from './types.js';
export { TemplateFunctionError } from './types.js';

/** Every function, built-in filters included, in the order the docs list them. */
export const TEMPLATE_FUNCTIONS: readonly TemplateFunction[] = [
  ...dateFunctions,
  ...durationFunctions,
  ...numberFunctions,
  ...builtinFunctions,
  ...stringFunctions,
  ...listFunctions,
];

const byName = new Map(TEMPLATE_FUNCTIONS.filter((fn) => fn.apply).map((fn) => [fn.name, fn]));

/** Names of the functions templates.ts dispatches here (the built-in filters are handled there). */
export const callableFunctionNames = (): string[] => [...byName.keys()];

/** Why `name:args` cannot be saved (unknown name or arguments that do not fit), or undefined. */
export function functionCallProblem(name: string, args: readonly FunctionArgument[]): string | undefined {
  const fn = byName.get(name);
  if (!fn) return `unknown function "${name}" (known: ${TEMPLATE_FUNCTIONS.map((f) => f.name).join(', ')})`;
  return argumentProblem(fn, args);
}

/**
 * Applies a function to the piped value. A missing value (undefined or null) passes through
 * unchanged so a later `default` can replace it; a value the function cannot use is an error.
 */
export function callTemplateFunction(
  name: string,
  value: unknown,
  args: readonly FunctionArgument[],
): { ok: true; value: unknown } | { ok: false; message: string } {
  const fn = byName.get(name);
  if (!fn?.apply) return { ok: false, message: `unknown function "${name}"` };
  if (value === undefined || value === null) return { ok: true, value };
  try {
    return { ok: true, value: fn.apply(value, args) };
  } catch (error) {
    if (error instanceof TemplateFunctionError) return { ok: false, message: error.message };
    return { ok: false, message: `${name}: the value could not be used` };
  }
}

/** The catalogue the API and the editor show. */
export function functionCatalogue() {
  return TEMPLATE_FUNCTIONS.map((fn) => ({
    name: fn.name,
    family: fn.family,
    signature: signatureOf(fn),
    description: fn.description,
    example: fn.example.template,
    input: fn.example.input,
    result: fn.example.result,
  }));
}
