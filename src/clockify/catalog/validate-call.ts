import { getBodyAjv, getParamsAjv, toJsonSchema, type ErrorObject, type ValidateFunction } from './openapi-ajv.js';
import { validateFormBody } from './multipart.js';
import type { CallInput, JsonSchema, Operation, Problem } from './types.js';

/**
 * Check a call against the operation before it is sent, naming every bad field
 * (`params.projectId`, `params.page`, `body.name`, `body.detailedFilter.page`).
 *
 * Parameters: unknown names, missing required ones (empty strings count as missing), types with string
 * coercion ("2" is an integer, "true" a boolean, a single value stands for a one-item array), enums and
 * bounds. Body: JSON Schema validation with Ajv (OpenAPI `nullable` honoured); multipart bodies are
 * checked for their required fields and their file parts (file values, see multipart.ts).
 * Validators are compiled on first use and cached per operation.
 */
export function validateCall(operation: Operation, input: CallInput): Problem[] {
  return [...validateParams(operation, input.params ?? {}), ...validateBody(operation, input.body)];
}

const paramValidators = new WeakMap<Operation, ValidateFunction>();
const bodyValidators = new WeakMap<Operation, ValidateFunction>();

function validateParams(operation: Operation, params: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(operation.parameters.map((parameter) => parameter.name));
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!known.has(name)) {
      problems.push({ field: `params.${name}`, message: `is not a parameter of ${operation.operationId}` });
      continue;
    }
    if (isBlank(value)) continue;
    // `.` and `..` would survive URI encoding as dot segments and address another endpoint than this operation.
    if ((value === '.' || value === '..') && operation.parameters.some((parameter) => parameter.name === name && parameter.in === 'path')) {
      problems.push({ field: `params.${name}`, message: 'must not be a dot segment' });
    }
    // Ajv coerces in place: validate a copy so the caller's values are left alone.
    given[name] = Array.isArray(value) ? [...value] : value;
  }
  let validate = paramValidators.get(operation);
  if (!validate) {
    validate = getParamsAjv().compile(paramsSchema(operation));
    paramValidators.set(operation, validate);
  }
  if (!validate(given)) problems.push(...toProblems(validate.errors ?? [], 'params'));
  return dedupe(problems);
}

function paramsSchema(operation: Operation): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of operation.parameters) {
    const schema = toJsonSchema(parameter.schema);
    // A path segment cannot be empty; say so instead of letting "" through.
    properties[parameter.name] = parameter.in === 'path' && schema.type === 'string' ? { ...schema, minLength: 1 } : schema;
  }
  return {
    type: 'object',
    properties,
    required: operation.parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

function validateBody(operation: Operation, body: unknown): Problem[] {
  const requestBody = operation.requestBody;
  if (body === undefined) {
    return requestBody?.required ? [{ field: 'body', message: 'is required' }] : [];
  }
  if (!requestBody) return [{ field: 'body', message: `${operation.operationId} takes no request body` }];
  if (requestBody.contentType === 'multipart/form-data') return validateFormBody(requestBody.schema, body);
  if (requestBody.contentType !== 'application/json') return validateFormFields(requestBody.schema, body);
  let validate = bodyValidators.get(operation);
  if (!validate) {
    validate = getBodyAjv().compile(toJsonSchema(requestBody.schema));
    bodyValidators.set(operation, validate);
  }
  return validate(body) ? [] : dedupe(toProblems(validate.errors ?? [], 'body'));
}

function validateFormFields(schema: JsonSchema, body: unknown): Problem[] {
  if (body === null || typeof body !== 'object') return [{ field: 'body', message: 'must be an object of form fields' }];
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const fields = body instanceof FormData ? new Set(body.keys()) : new Set(Object.keys(body));
  return required.filter((name) => !fields.has(name)).map((name) => ({ field: `body.${name}`, message: 'is required' }));
}

function toProblems(errors: readonly ErrorObject[], root: 'params' | 'body'): Problem[] {
  return errors
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      const base = root + pointerToPath(error.instancePath);
      const params = error.params as Record<string, unknown>;
      switch (error.keyword) {
        case 'required':
          return { field: `${base}.${String(params.missingProperty)}`, message: 'is required' };
        case 'additionalProperties':
          return { field: `${base}.${String(params.additionalProperty)}`, message: 'is not allowed here' };
        case 'enum':
          return { field: base, message: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
        default:
          return { field: base, message: error.message ?? `fails ${error.keyword}` };
      }
    });
}

/** `/detailedFilter/page` → `.detailedFilter.page`, `/items/0/id` → `.items[0].id`. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
