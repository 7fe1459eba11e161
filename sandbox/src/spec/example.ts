import { createHash } from 'node:crypto';
import { normalizeComponents, normalizeSchema } from './normalize.js';
import { loadOpenApi, type JsonSchema } from './openapi.js';

/**
 * Builds a plausible answer from a response schema, for the operations the sandbox does not keep
 * state for. Values are deterministic, valid against the schema, and use the request's path
 * parameters where a field names one (e.g. `workspaceId`).
 */
export interface ExampleContext {
  /** Path parameters of the request, e.g. `{ workspaceId: '...' }`. */
  params?: Record<string, string>;
  /** Items for a top-level array; default 3. */
  arrayItems?: number;
  /**
   * Real values for fields by name (`projectId` → a project of the workspace), consulted for string
   * fields and string list items after the path parameters; `index` is the item's position.
   */
  known?: (name: string, index: number) => string | undefined;
  /**
   * A value to conform to the schema: every field the schema declares is present; where `base` has a
   * value of the right type under the same name it is kept (objects and lists of objects recursively),
   * elsewhere an example fills in. How stored entities are answered under each operation's schema.
   */
  base?: unknown;
}

const MAX_DEPTH = 7;
let components: Record<string, unknown> | undefined;

function schemas(): Record<string, unknown> {
  components ??= normalizeComponents(loadOpenApi().components.schemas);
  return components;
}

export function buildExample(schema: JsonSchema, context: ExampleContext = {}): unknown {
  const normalized = normalizeSchema(schema) as JsonSchema;
  const state: State = {
    params: context.params ?? {},
    topItems: context.arrayItems ?? 3,
    ...(context.known ? { known: context.known } : {}),
  };
  return context.base === undefined ? generate(normalized, state, '', 0, 0) : conform(normalized, context.base, state, '', 0, 0);
}

interface State {
  params: Record<string, string>;
  topItems: number;
  known?: (name: string, index: number) => string | undefined;
}

/** `generate`, keeping what `base` already holds where it fits the schema. */
function conform(raw: JsonSchema, base: unknown, state: State, name: string, depth: number, index: number, arrayItem = false): unknown {
  const schema = resolve(raw);
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (variants && variants.length > 0) {
    const firstNonNull = variants.find((v) => resolve(v)['type'] !== 'null') ?? variants[0];
    return conform(firstNonNull as JsonSchema, base, state, name, depth, index, arrayItem);
  }
  if (base === undefined || base === null || depth >= MAX_DEPTH) return generate(schema, state, name, depth, index, arrayItem);
  const type = schema['type'] ?? (schema['properties'] ? 'object' : schema['items'] ? 'array' : undefined);
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
    return (schema['enum'] as unknown[]).includes(base) ? base : generate(schema, state, name, depth, index, arrayItem);
  }
  switch (type) {
    case 'object': {
      if (typeof base !== 'object' || Array.isArray(base)) return generate(schema, state, name, depth, index, arrayItem);
      const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      if (Object.keys(properties).length === 0) return base;
      const out: Record<string, unknown> = {};
      const record = base as Record<string, unknown>;
      for (const [prop, propSchema] of Object.entries(properties)) {
        if (resolve(propSchema)['writeOnly'] === true || propSchema['writeOnly'] === true) continue;
        // A hydrated answer (`project: {id, name}`) of an entity stored by reference (`projectId`).
        const reference = record[`${prop}Id`];
        const value = record[prop] === undefined && typeof reference === 'string' ? { id: reference } : record[prop];
        out[prop] = conform(propSchema, value, state, prop, depth + 1, index);
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(base)) return generate(schema, state, name, depth, index, arrayItem);
      const items = (schema['items'] ?? {}) as JsonSchema;
      const singular = name.endsWith('s') ? name.slice(0, -1) : name;
      return base.map((item, i) => conform(items, item, state, singular, depth + 1, i, true));
    }
    case 'string':
      return typeof base === 'string' && fitsFormat(schema['format'], base) ? base : generate(schema, state, name, depth, index, arrayItem);
    case 'integer':
      return typeof base === 'number' && Number.isInteger(base) ? base : generate(schema, state, name, depth, index, arrayItem);
    case 'number':
      return typeof base === 'number' ? base : generate(schema, state, name, depth, index, arrayItem);
    case 'boolean':
      return typeof base === 'boolean' ? base : generate(schema, state, name, depth, index, arrayItem);
    default:
      return base;
  }
}

function resolve(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 20; hops++) {
    const name = (current['$ref'] as string).replace('#/components/schemas/', '');
    current = (schemas()[name] as JsonSchema | undefined) ?? {};
  }
  return current;
}

function generate(raw: JsonSchema, state: State, name: string, depth: number, index: number, arrayItem = false): unknown {
  const schema = resolve(raw);
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (variants && variants.length > 0) {
    const firstNonNull = variants.find((v) => resolve(v)['type'] !== 'null') ?? variants[0];
    return generate(firstNonNull as JsonSchema, state, name, depth, index, arrayItem);
  }
  if (Array.isArray(schema['allOf'])) {
    const merged: Record<string, unknown> = {};
    for (const part of schema['allOf'] as JsonSchema[]) Object.assign(merged, generate(part, state, name, depth, index));
    return merged;
  }
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
    const values = schema['enum'] as unknown[];
    return values[index % values.length];
  }
  const type = schema['type'] ?? (schema['properties'] ? 'object' : schema['items'] ? 'array' : undefined);
  switch (type) {
    case 'object':
      return objectExample(schema, state, depth, index);
    case 'array':
      return arrayExample(schema, state, name, depth);
    case 'string':
      return stringExample(schema, state, name, index, arrayItem);
    case 'integer':
    case 'number':
      return numberExample(schema, type as 'integer' | 'number', index);
    case 'boolean':
      return typeof schema['default'] === 'boolean' ? schema['default'] : false;
    default:
      return schema['example'] ?? 'value';
  }
}

/** A stored string kept under a `date-time` or `date` field must be one (a request may have sent a date). */
function fitsFormat(format: unknown, value: string): boolean {
  if (format === 'date-time') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  if (format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value);
  return true;
}

function objectExample(schema: JsonSchema, state: State, depth: number, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth >= MAX_DEPTH) return out;
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  for (const [prop, propSchema] of Object.entries(properties)) {
    if (resolve(propSchema)['writeOnly'] === true || propSchema['writeOnly'] === true) continue;
    // The item index flows into nested values, so objects in a `uniqueItems` array differ.
    out[prop] = generate(propSchema, state, prop, depth + 1, index);
  }
  return out;
}

function arrayExample(schema: JsonSchema, state: State, name: string, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) return [];
  const items = (schema['items'] ?? {}) as JsonSchema;
  let count = depth === 0 ? state.topItems : 2;
  const resolvedItems = resolve(items);
  if (schema['uniqueItems'] === true && Array.isArray(resolvedItems['enum'])) count = Math.min(count, resolvedItems['enum'].length);
  if (typeof schema['minItems'] === 'number') count = Math.max(count, schema['minItems']);
  if (typeof schema['maxItems'] === 'number') count = Math.min(count, schema['maxItems']);
  const singular = name.endsWith('s') ? name.slice(0, -1) : name;
  return Array.from({ length: count }, (_, i) => generate(items, state, singular, depth + 1, i, true));
}

function stringExample(schema: JsonSchema, state: State, name: string, index: number, arrayItem: boolean): string {
  const format = schema['format'];
  if (format === 'date-time') return new Date(Date.UTC(2024, 0, 15 + index, 9, 0, 0)).toISOString().replace('.000Z', 'Z');
  if (format === 'date') return `2024-01-${String(15 + index).padStart(2, '0')}`;
  if (format === 'email') return `user${index + 1}@example.com`;
  if (format === 'uri') return `https://example.com/${index + 1}`;
  if (format === 'byte') return 'U2FuZGJveA==';
  if (typeof schema['pattern'] === 'string') return patternExample(schema, index);
  // A field named like a path parameter carries the request's value, except inside id lists (uniqueItems).
  if (state.params[name] !== undefined && !arrayItem) return state.params[name] as string;
  const known = state.known?.(name, index);
  if (known !== undefined) return known;
  if (/^id$|Id$/.test(name) || /Ids$/.test(name)) return fakeId(`${name}:${index}`);
  const example = schema['example'];
  // Items of one array differ, so `uniqueItems` holds.
  let value = typeof example === 'string' ? (index === 0 ? example : `${example}-${index + 1}`) : sampleWord(name, index);
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  while (value.length < min) value += 'x';
  return value.slice(0, max);
}

function patternExample(schema: JsonSchema, index: number): string {
  const pattern = new RegExp(schema['pattern'] as string);
  const example = schema['example'];
  if (typeof example === 'string' && pattern.test(example)) return example;
  const matching = ['#03A9F4', '#4CAF50', '#F44336'].filter((c) => pattern.test(c));
  return matching[index % Math.max(1, matching.length)] ?? '';
}

function numberExample(schema: JsonSchema, type: 'integer' | 'number', index: number): number {
  const example = schema['example'];
  let value = typeof example === 'number' && (type === 'number' || Number.isInteger(example)) ? example : index + 1;
  if (typeof schema['minimum'] === 'number') value = Math.max(value, schema['minimum']);
  if (typeof schema['maximum'] === 'number') value = Math.min(value, schema['maximum']);
  return value;
}

function sampleWord(name: string, index: number): string {
  if (name === 'name') return `Sample ${index + 1}`;
  if (name === 'email') return `user${index + 1}@example.com`;
  if (name === 'currency' || name === 'currencyCode' || name === 'code') return 'USD';
  if (/duration|estimate/i.test(name)) return 'PT1H';
  return name ? `${name}-${index + 1}` : `value-${index + 1}`;
}

/** A stable 24-hex id (ObjectId-like) derived from a label. */
export function fakeId(label: string): string {
  return createHash('sha1').update(label).digest('hex').slice(0, 24);
}
