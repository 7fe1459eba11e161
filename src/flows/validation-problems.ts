/** The problem list validation collects: each problem names its field; schema errors in plain words. */
import type { TSchema } from '@sinclair/typebox';
import { Errors, ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { ACTION_ID_PATTERN } from './shared/flow-constants.js';
import { joinField } from './templates.js';

export interface FlowProblem {
  field: string;
  message: string;
}

const MAX_PROBLEMS = 100;

/** Turns a TypeBox JSON pointer (`/actions/1/id`) into a field path under `base`. */
function fieldFromPointer(base: string, pointer: string): string {
  let field = base;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field = joinField(field, /^\d+$/.test(key) ? Number(key) : key);
  }
  return field;
}

/** Plain-language message for a schema error, from the failing keyword. */
function describeError(error: ValueError): string {
  const schema = error.schema as Record<string, unknown>;
  const options = schema.anyOf as { const?: unknown }[] | undefined;
  if (options && options.every((option) => option.const !== undefined)) {
    return `must be one of: ${options.map((option) => String(option.const)).join(', ')}`;
  }
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a known property';
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(schema.const)}`;
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? 'must not be empty' : `must be at least ${String(schema.minLength)} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters`;
    case ValueErrorType.StringPattern:
      return schema.pattern === ACTION_ID_PATTERN
        ? 'must start with a letter and use only letters, digits and _ (at most 40 characters)'
        : `must match ${String(schema.pattern)}`;
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${String(schema.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${String(schema.maximum)}`;
    case ValueErrorType.Array:
      return 'must be a list';
    case ValueErrorType.ArrayMinItems:
      return `needs at least ${String(schema.minItems)} item${schema.minItems === 1 ? '' : 's'}`;
    case ValueErrorType.ArrayMaxItems:
      return `may have at most ${String(schema.maxItems)} items`;
    case ValueErrorType.Object:
      return 'must be an object';
    case ValueErrorType.ObjectMaxProperties:
      return `may have at most ${String(schema.maxProperties)} entries`;
    default:
      return error.message.replace(/^Expected /, 'must be ');
  }
}

export class ProblemList {
  readonly items: FlowProblem[] = [];

  add(field: string, message: string): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push({ field, message });
  }

  /** Adds the schema errors of `value` (first per field); true when there were none. */
  schema(schema: TSchema, value: unknown, base: string): boolean {
    const seen = new Set<string>();
    for (const error of Errors(schema, value)) {
      const field = fieldFromPointer(base, error.path);
      if (seen.has(field)) continue;
      seen.add(field);
      this.add(field, describeError(error));
    }
    return seen.size === 0;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
