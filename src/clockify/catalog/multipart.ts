import type { JsonSchema, Operation, Problem } from './types.js';

/**
 * Clockify's `multipart/form-data` operations (create and update an expense, upload an image) take
 * form fields and file parts. Callers that speak JSON (the explorer form, flows, the history) give a
 * plain object: scalar fields as values, lists as arrays (sent as repeated fields), and every field the
 * spec declares `format: binary` as a *file value*:
 *
 *   { "filename": "receipt.png", "contentType": "image/png", "base64": "iVBORw0…" }
 *
 * `toFormData` encodes such an object as the spec describes; a ready `FormData` passes through.
 */
export interface FileValue {
  filename: string;
  contentType?: string;
  base64: string;
}

export function isMultipart(operation: Operation): boolean {
  return operation.requestBody?.contentType === 'multipart/form-data';
}

export function isFileValue(value: unknown): value is FileValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.filename === 'string' &&
    typeof candidate.base64 === 'string' &&
    (candidate.contentType === undefined || typeof candidate.contentType === 'string')
  );
}

/** Names of the body fields that are files (`type: string, format: binary`, or a list of them). */
export function fileFields(schema: JsonSchema): Set<string> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = new Set<string>();
  for (const [name, property] of Object.entries(properties)) {
    const items = property.items as JsonSchema | undefined;
    if (property.format === 'binary' || items?.format === 'binary') names.add(name);
  }
  return names;
}

/** Problems of a multipart body: required fields, file fields that are not file values (or not base64), files in non-file fields. */
export function validateFormBody(schema: JsonSchema, body: unknown): Problem[] {
  if (body instanceof FormData) {
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const present = new Set(body.keys());
    return required.filter((name) => !present.has(name)).map((name) => ({ field: `body.${name}`, message: 'is required' }));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return [{ field: 'body', message: 'must be an object of form fields' }];
  const problems: Problem[] = [];
  const fields = body as Record<string, unknown>;
  const files = fileFields(schema);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const name of required)
    if (fields[name] === undefined || fields[name] === null || fields[name] === '')
      problems.push({ field: `body.${name}`, message: 'is required' });
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (files.has(name)) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every((item) => isFileValue(item) && isBase64(item.base64))) {
        problems.push({ field: `body.${name}`, message: 'must be a file: {"filename", "contentType", "base64"}' });
      }
    } else if (isFileValue(value)) {
      problems.push({ field: `body.${name}`, message: 'is not a file field' });
    }
  }
  return problems;
}

/** The form Clockify expects: files as parts with their name and type, lists as repeated fields, objects as JSON text. */
export function toFormData(schema: JsonSchema, body: unknown): FormData {
  if (body instanceof FormData) return body;
  const form = new FormData();
  const files = fileFields(schema);
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (files.has(name) && isFileValue(item)) {
        const bytes = Buffer.from(item.base64, 'base64');
        form.append(name, new Blob([bytes], { type: item.contentType ?? 'application/octet-stream' }), item.filename);
      } else {
        form.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
      }
    }
  }
  return form;
}

/** The body as it may be recorded or shown: file contents replaced by their size. */
export function withoutFileContents(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof FormData) return body;
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([name, value]) => [
      name,
      isFileValue(value)
        ? { filename: value.filename, contentType: value.contentType, bytes: Buffer.byteLength(value.base64, 'base64') }
        : value,
    ]),
  );
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s+/g, ''));
}
