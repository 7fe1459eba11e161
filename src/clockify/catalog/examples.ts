import { fileFields } from './multipart.js';
import type { JsonSchema, Operation } from './types.js';

/**
 * Small, deterministic example values for forms and snippets.
 *
 * Precedence per schema: `default`, a spec `example` of the right type, the first `enum` value, a value
 * for the `format`, then a plain value for the type. Objects list their required properties; an object
 * without required properties lists its first few properties so the user sees what it takes.
 * Depth is bounded, so recursive schemas stay small.
 */
const MAX_DEPTH = 4;
const OPTIONAL_PROPERTIES_SHOWN = 6;

export function exampleFromSchema(schema: JsonSchema, depth = 0): unknown {
  // Objects are always built from their properties: object-level examples in the spec are large and
  // not always consistent with the schema.
  if (typeOf(schema) !== 'object') {
    // An empty-string default is the spec's way of saying "none"; it makes a poor example.
    if (schema.default !== undefined && schema.default !== '' && isPlausible(schema.default, schema)) return clone(schema.default);
    if (schema.example !== undefined && isPlausible(schema.example, schema)) return clone(schema.example);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return clone(schema.enum[0]);
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants) && variants[0] && schema.type === undefined) return exampleFromSchema(variants[0], depth);

  switch (typeOf(schema)) {
    case 'string':
      return exampleString(schema);
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 0;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array': {
      if (depth >= MAX_DEPTH) return [];
      const items = schema.items as JsonSchema | undefined;
      return items ? [exampleFromSchema(items, depth + 1)] : [];
    }
    case 'object':
      return depth >= MAX_DEPTH ? {} : exampleObject(schema, depth);
    default:
      return null;
  }
}

/** A body to start editing from, or undefined when the operation takes none. */
export function exampleBody(operation: Operation): unknown {
  if (!operation.requestBody) return undefined;
  const example = exampleFromSchema(operation.requestBody.schema);
  if (operation.requestBody.contentType !== 'multipart/form-data' || example === null || typeof example !== 'object') return example;
  // A file part is a file value (multipart.ts): a 1×1 PNG, so the example runs as it is.
  const withFiles = { ...(example as Record<string, unknown>) };
  for (const name of fileFields(operation.requestBody.schema))
    withFiles[name] = { filename: 'example.png', contentType: 'image/png', base64: EXAMPLE_PNG };
  return withFiles;
}

/** A 1×1 transparent PNG. */
const EXAMPLE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Parameters that the add-on already knows for the current user, to pre-fill in a form. */
export function knownValuesFor(operation: Operation, context: { workspaceId: string; userId: string }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.name === 'workspaceId') values.workspaceId = context.workspaceId;
    if (parameter.name === 'userId' && parameter.in === 'path') values.userId = context.userId;
  }
  return values;
}

function exampleObject(schema: JsonSchema, depth: number): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const names =
    required.length > 0 ? required.filter((name) => name in properties) : Object.keys(properties).slice(0, OPTIONAL_PROPERTIES_SHOWN);
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = exampleFromSchema(properties[name]!, depth + 1);
  return out;
}

function exampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'date-time':
      return '2024-01-01T09:00:00Z';
    case 'date':
      return '2024-01-01';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    default: {
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      return 'string'.padEnd(minLength, 'x').slice(0, Math.max(maxLength, minLength));
    }
  }
}

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') as string | undefined;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/**
 * A shallow check of a spec-provided default or example. The spec has defaults such as "" for
 * fields with `minLength: 1` and array examples written as JSON strings; those are not used.
 */
function isPlausible(value: unknown, schema: JsonSchema): boolean {
  if (!fitsType(value, schema) || !fitsEnum(value, schema)) return false;
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
  }
  if (Array.isArray(value)) {
    const items = schema.items as JsonSchema | undefined;
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (items && typeOf(items) === 'object') return false;
    if (items && !value.every((item) => isPlausible(item, items))) return false;
  }
  return true;
}

function fitsType(value: unknown, schema: JsonSchema): boolean {
  switch (typeOf(schema)) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function fitsEnum(value: unknown, schema: JsonSchema): boolean {
  return !Array.isArray(schema.enum) || schema.enum.includes(value);
}

function clone<T>(value: T): T {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
