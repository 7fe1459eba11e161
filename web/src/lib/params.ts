import type { JsonSchema, OperationParameter } from '../api/types';

/**
 * Turning an operation's parameters into form inputs and the typed values back into call
 * parameters. Inputs hold text; the server validates against the spec and names bad fields.
 */
export type InputKind = 'enum' | 'boolean' | 'integer' | 'number' | 'array' | 'text';

function schemaType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  return Array.isArray(type) ? (type.find((t) => t !== 'null') as string | undefined) : (type as string | undefined);
}

export function enumOf(param: OperationParameter): string[] | undefined {
  const values = param.enum ?? (Array.isArray(param.schema.enum) ? (param.schema.enum as unknown[]) : undefined);
  return values && values.length > 0 ? values.map(String) : undefined;
}

export function inputKindOf(param: OperationParameter): InputKind {
  if (enumOf(param)) return 'enum';
  const type = schemaType(param.schema);
  if (type === 'boolean') return 'boolean';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'array') return 'array';
  return 'text';
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The input's first value. An optional parameter stays unset unless the user sets it (its spec
 * default is only shown as a placeholder: sending every default narrowed "Get all projects" to 9 of
 * 40); a required one starts from a known value (workspace, user), else the spec's default.
 */
export function initialValues(
  params: OperationParameter[],
  prefill: Record<string, unknown>,
  given: Record<string, unknown> = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of params) {
    const required = param.required || param.in === 'path';
    const value =
      param.name in given
        ? given[param.name]
        : !required
          ? undefined
          : param.name in prefill
            ? prefill[param.name]
            : param.in === 'path'
              ? undefined
              : defaultOf(param);
    values[param.name] = asText(value);
  }
  return values;
}

export function defaultOf(param: OperationParameter): unknown {
  return param.default ?? param.schema.default;
}

/** The placeholder of an optional input: what the server assumes when it is left out. */
export function placeholderOf(param: OperationParameter): string {
  const fallback = defaultOf(param);
  return fallback === undefined || fallback === '' ? 'not set' : `not set (default ${asText(fallback)})`;
}

function coerceScalar(raw: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') {
    const number = Number(raw);
    return raw.trim() !== '' && Number.isFinite(number) ? number : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** One input's text as the parameter value, or undefined to leave the parameter out. */
export function coerceValue(param: OperationParameter, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  const kind = inputKindOf(param);
  if (kind === 'array') {
    const items = param.schema.items && typeof param.schema.items === 'object' ? (param.schema.items as JsonSchema) : {};
    return text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => coerceScalar(item, schemaType(items)));
  }
  if (kind === 'enum') return text;
  return coerceScalar(text, schemaType(param.schema));
}

export function buildParams(params: OperationParameter[], values: Record<string, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const param of params) {
    const value = coerceValue(param, values[param.name] ?? '');
    if (value !== undefined) result[param.name] = value;
  }
  return result;
}

/** Server field names look like `params.projectId` or `body.name`; map them to the form's inputs. */
export function errorsByParam(errors: { field: string; message: string }[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const match = /^(?:params|query|path)\.([^.]+)/.exec(error.field);
    if (match?.[1] && !result[match[1]]) result[match[1]] = error.message;
  }
  return result;
}

export type BodyParse = { ok: true; value: unknown } | { ok: false; message: string };

/** The body editor's text as JSON; empty means "no body". */
export function parseBody(text: string): BodyParse {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not valid JSON.' };
  }
}
