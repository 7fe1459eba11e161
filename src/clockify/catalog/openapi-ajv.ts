import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './types.js';

/**
 * Ajv set up for OpenAPI 3.0 schemas. OpenAPI 3.0 is not JSON Schema: `nullable: true` stands for
 * `type: [T, 'null']`, `exclusiveMinimum/Maximum` are booleans, `example` and `discriminator` are extra
 * keywords, and formats such as int32/int64/double/binary are OpenAPI's own. `toJsonSchema` translates the
 * first two; strict mode is off so the annotations are ignored; the OpenAPI formats are registered here.
 */

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const INT32 = 2 ** 31;

function createAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -INT32 && value < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('binary', { type: 'string', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  return ajv;
}

let bodyAjv: Ajv | undefined;
let paramsAjv: Ajv | undefined;

/** Ajv for request bodies: values are checked as sent, never coerced. */
export function getBodyAjv(): Ajv {
  return (bodyAjv ??= createAjv(false));
}

/** Ajv for parameters, which arrive as strings from forms and URLs: "12" may stand for 12, "x" for ["x"]. */
export function getParamsAjv(): Ajv {
  return (paramsAjv ??= createAjv('array'));
}

const converted = new WeakMap<object, JsonSchema>();

/** Translate an OpenAPI 3.0 schema (already `$ref`-free) to JSON Schema for Ajv. Shared sub-schemas are translated once. */
export function toJsonSchema(schema: JsonSchema): JsonSchema {
  const cached = converted.get(schema);
  if (cached) return cached;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'discriminator' || key === 'xml' || key === 'externalDocs' || key.startsWith('x-')) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(value as Record<string, JsonSchema>)) properties[name] = toJsonSchema(child);
      out[key] = properties;
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && value && typeof value === 'object') {
      out[key] = toJsonSchema(value as JsonSchema);
    } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((child) => toJsonSchema(child as JsonSchema));
    } else out[key] = value;
  }
  if (schema.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  converted.set(schema, out);
  return out;
}

export type { ErrorObject, ValidateFunction };
