import type { JsonSchema, OperationParameter, OperationRequestBody, PaginationStyle } from './types.js';

/**
 * Detects how a list operation pages (PLATFORM.md §5.4):
 * - query `page` + one of `page-size` | `pageSize` | `size` | `limit`; the first page is 0 when the spec's
 *   default for `page` is 0 (webhook logs/statuses, entity changes), otherwise 1;
 * - body `page` + `pageSize` | `page-size`, either at the top level (users/info, invoices/info, audit log,
 *   expense report …) or inside a required filter object that declares them (`detailedFilter` of the
 *   detailed report, `attendanceFilter` of the attendance report). Summary and weekly reports declare
 *   the other reports' filters only as optional siblings and are therefore not paginated.
 */
const SIZE_NAMES = ['page-size', 'pageSize', 'size', 'limit'] as const;
const DEFAULT_PAGE_SIZE = 50;

export function detectPagination(parameters: readonly OperationParameter[], requestBody?: OperationRequestBody): PaginationStyle {
  const query = parameters.filter((parameter) => parameter.in === 'query');
  const page = query.find((parameter) => parameter.name === 'page');
  const size = SIZE_NAMES.map((name) => query.find((parameter) => parameter.name === name)).find((parameter) => parameter !== undefined);
  if (page && size) {
    return {
      kind: 'query',
      pageParam: page.name,
      sizeParam: size.name,
      firstPage: isZero(page.schema.default) ? 0 : 1,
      defaultSize: numberOr(size.schema.default, DEFAULT_PAGE_SIZE),
      ...maxOf(size.schema),
    };
  }
  if (requestBody && requestBody.contentType === 'application/json') return detectBodyPagination(requestBody.schema);
  return { kind: 'none' };
}

function detectBodyPagination(schema: JsonSchema): PaginationStyle {
  const topLevel = pagingFields(schema);
  if (topLevel) return { kind: 'body', ...topLevel };
  const properties = propertiesOf(schema);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const name of required) {
    const container = properties[name];
    const fields = container ? pagingFields(container) : undefined;
    if (fields) return { kind: 'body', container: name, ...fields };
  }
  return { kind: 'none' };
}

function pagingFields(schema: JsonSchema) {
  const properties = propertiesOf(schema);
  const page = properties.page;
  const sizeField = ['pageSize', 'page-size'].find((name) => properties[name] !== undefined);
  if (!page || !sizeField) return undefined;
  const size = properties[sizeField] as JsonSchema;
  return {
    pageField: 'page',
    sizeField,
    firstPage: isZero(page.default) ? (0 as const) : (1 as const),
    defaultSize: numberOr(size.default, DEFAULT_PAGE_SIZE),
    ...maxOf(size),
  };
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  return properties && typeof properties === 'object' ? (properties as Record<string, JsonSchema>) : {};
}

/** The spec writes some defaults as strings (`page: { type: 'string', default: '0' }`). */
function isZero(value: unknown): boolean {
  return value === 0 || value === '0';
}

function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

function maxOf(schema: JsonSchema): { maxSize?: number } {
  return typeof schema.maximum === 'number' ? { maxSize: schema.maximum } : {};
}
