import type { JsonSchema } from './openapi.js';

/**
 * Turns the spec's OpenAPI 3.0 schemas into plain JSON Schema that matches what Clockify really sends.
 *
 * The spec is generated (springdoc) and has quirks that would reject real answers:
 * - Java enums are written as `{type:'object', oneOf:[{type:'string', enum}], properties:{...}}`;
 *   Clockify sends the bare string, so these become `{type:'string', enum}`.
 * - `FeaturePlan` is `oneOf: [itself]`, an infinite loop for a validator; the `oneOf` is dropped.
 * - Java `Object` fields are a bare `{type:'object'}`; Clockify sends strings, numbers, arrays... there,
 *   so they accept anything.
 * - Java enum *sets* are written as one enum value (`features`, `adminOnlyPages`), with an example that is
 *   a list; Clockify sends the list, so such an enum also accepts a list of its values.
 * - OpenAPI 3.0 `nullable: true` becomes a union with null (the current spec has none, older ones do).
 * With `nullableProperties`, every property also accepts null: the live API sends null for absent
 * references (`taskId`, a running timer's `end`) although the spec never says so.
 */
export interface NormalizeOptions {
  nullableProperties?: boolean;
  /** Rewrites local `#/...` refs to point into a document registered under this id. */
  refBase?: string;
  /**
   * Every declared property is required (answers: "every field the spec declares is present"), except
   * the ones `absentAllowed(schemaName, field)` lets go (deviations.ts).
   */
  allPresent?: (schemaName: string | undefined, field: string) => boolean;
}

export function normalizeSchema(schema: unknown, options: NormalizeOptions = {}, selfName?: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => normalizeSchema(s, options));
  if (!isObject(schema)) return schema;

  const enumWrapped = unwrapEnum(schema);
  if (enumWrapped) return withNullable(enumSet(schema, enumWrapped), schema['nullable'] === true);
  if (schema['type'] === 'string' && Array.isArray(schema['enum']) && listExample(schema['example'])) {
    return withNullable(enumSet(schema, { type: 'string', enum: schema['enum'] }), schema['nullable'] === true);
  }

  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'deprecated') continue;
    if (key === '$ref' && typeof value === 'string') {
      out[key] = options.refBase && value.startsWith('#') ? options.refBase + value : value;
    } else if (key === 'oneOf' && Array.isArray(value) && selfName && value.some((s) => isSelfRef(s, selfName))) {
      continue;
    } else if (key === 'properties' && isObject(value)) {
      const props: JsonSchema = {};
      for (const [name, prop] of Object.entries(value)) {
        const normalized = normalizeSchema(prop, options);
        props[name] = options.nullableProperties ? orNull(normalized) : normalized;
      }
      out[key] = props;
    } else if (key === 'description' || key === 'title' || key === 'default' || key === 'example') {
      out[key] = value;
    } else {
      out[key] = normalizeSchema(value, options);
    }
  }
  if (isBareObject(out)) return {};
  if (options.allPresent && isObject(out['properties'])) {
    const properties = out['properties'] as Record<string, JsonSchema>;
    // A write-only field is never answered.
    const declared = Object.keys(properties).filter(
      (field) =>
        (schema['properties'] as Record<string, JsonSchema>)[field]?.['writeOnly'] !== true && options.allPresent!(selfName, field),
    );
    const required = new Set([...(Array.isArray(out['required']) ? (out['required'] as string[]) : []), ...declared]);
    if (required.size > 0) out['required'] = [...required];
  }
  return withNullable(out, schema['nullable'] === true);
}

/** Normalizes every `components.schemas` entry (keeping names, so refs still resolve). */
export function normalizeComponents(schemas: Record<string, JsonSchema>, options: NormalizeOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) out[name] = normalizeSchema(schema, options, name);
  return out;
}

function unwrapEnum(schema: JsonSchema): JsonSchema | undefined {
  const oneOf = schema['oneOf'];
  if (schema['type'] !== 'object' || !Array.isArray(oneOf) || oneOf.length !== 1) return undefined;
  const only = oneOf[0];
  if (!isObject(only) || only['type'] !== 'string' || !Array.isArray(only['enum'])) return undefined;
  return { type: 'string', enum: only['enum'] };
}

/** A Java enum set written as one value (its example is a list): one value or a list of them. */
function enumSet(original: JsonSchema, single: JsonSchema): JsonSchema {
  if (!listExample(original['example'])) return single;
  return { anyOf: [single, { type: 'array', items: single }] };
}

function listExample(example: unknown): boolean {
  return Array.isArray(example) || (typeof example === 'string' && example.trim().startsWith('['));
}

function isSelfRef(schema: unknown, name: string): boolean {
  return isObject(schema) && schema['$ref'] === `#/components/schemas/${name}`;
}

function isBareObject(schema: JsonSchema): boolean {
  const meaningful = Object.keys(schema).filter((k) => !['description', 'title', 'default', 'example'].includes(k));
  return meaningful.length === 1 && schema['type'] === 'object';
}

function withNullable(schema: JsonSchema, nullable: boolean): JsonSchema {
  return nullable ? orNull(schema) : schema;
}

function orNull(schema: unknown): JsonSchema {
  if (!isObject(schema) || Object.keys(schema).length === 0) return (schema as JsonSchema) ?? {};
  return { anyOf: [schema, { type: 'null' }] };
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
