import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ClockifyError } from '../errors.js';
import { forValidation, type MultipartBody } from './multipart.js';
import { normalizeComponents, normalizeSchema } from './normalize.js';
import { loadOpenApi, specRoutes, type JsonSchema, type SpecRoute } from './openapi.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const DOC_ID = 'clockify-openapi-requests.json';

/** What the sandbox checks of one request, compiled once per operation. */
interface CompiledOperation {
  path: ValidateFunction;
  query: ValidateFunction;
  /** Query parameters declared as arrays: `a,b` and `?x=a&x=b` both arrive as a list. */
  arrayQuery: Set<string>;
  /** Media type → body validator. */
  bodies: Map<string, ValidateFunction>;
  bodyRequired: boolean;
}

export interface IncomingRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  /** `content-type` without parameters, lower-case; undefined when the request has none. */
  mediaType?: string;
  /** Parsed body (JSON value, or multipart fields as strings and file parts as `{filename,type,size}`). */
  body: unknown;
}

/**
 * Checks every request against the spec operation it addresses, like Clockify's own validation:
 * path and query parameters (types, enums, bounds such as a page-size maximum, required ones), the media
 * type and the body (JSON Schema of the request body; multipart fields coerced from their text form).
 * Each operation is compiled once per process, the first time it is called, and shared by every sandbox
 * of the process: compiling all 168 up front costs seconds (the spec's schemas nest deeply), which every
 * test file starting a sandbox would pay. `compileAll()` does it eagerly (the sandbox's own tests do).
 */
export class RequestChecker {
  private readonly compiled = new Map<SpecRoute, CompiledOperation>();
  private readonly ajvs = { paramsAjv: newAjv(true), jsonAjv: newAjv(false), formAjv: newAjv(true) };

  compileAll(): void {
    for (const route of specRoutes()) this.compiledFor(route);
  }

  private compiledFor(route: SpecRoute): CompiledOperation {
    let compiled = this.compiled.get(route);
    if (!compiled) {
      compiled = compileOperation(route, this.ajvs);
      this.compiled.set(route, compiled);
    }
    return compiled;
  }

  /** The first violation as Clockify would answer it (400, or 415 for a media type the operation does not take); undefined when valid. */
  check(route: SpecRoute, request: IncomingRequest): ClockifyError | undefined {
    const compiled = this.compiledFor(route);
    // Ajv coerces in place: the route handlers keep the path values as sent.
    if (!compiled.path({ ...request.params })) return badRequest('path', compiled.path.errors);
    const query = copyQuery(request.query, compiled.arrayQuery);
    if (!compiled.query(query)) return badRequest('query', compiled.query.errors);

    const hasBody = request.body !== undefined;
    if (!hasBody) return compiled.bodyRequired ? new ClockifyError(400, 'Required request body is missing') : undefined;
    if (compiled.bodies.size === 0) return undefined; // Spring ignores a body nobody reads.
    const validate = request.mediaType ? compiled.bodies.get(request.mediaType) : undefined;
    if (!validate) {
      return new ClockifyError(
        415,
        `Content-Type '${request.mediaType ?? ''}' is not supported; use ${[...compiled.bodies.keys()].join(' or ')}`,
      );
    }
    // Multipart fields are coerced in place: validate a copy.
    const body =
      request.mediaType === 'multipart/form-data' && isRecord(request.body) ? forValidation(request.body as MultipartBody) : request.body;
    return validate(body) ? undefined : badRequest('body', validate.errors);
  }
}

let shared: RequestChecker | undefined;

/** The process-wide checker (compiling 168 operations takes a moment; every sandbox of a process shares it). */
export function requestChecker(): RequestChecker {
  return (shared ??= new RequestChecker());
}

function newAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    validateFormats: true,
    inlineRefs: false,
    ...(coerce ? { coerceTypes: 'array' as const } : {}),
  });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: { schemas: normalizeComponents(loadOpenApi().components.schemas, { refBase: DOC_ID }) } });
  return ajv;
}

function compileOperation(route: SpecRoute, ajvs: { paramsAjv: Ajv; jsonAjv: Ajv; formAjv: Ajv }): CompiledOperation {
  const parameters = route.operation.parameters ?? [];
  const group = (where: 'path' | 'query'): JsonSchema => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const parameter of parameters.filter((p) => p.in === where)) {
      const schema = normalizeSchema(parameter.schema ?? { type: 'string' }, { refBase: DOC_ID }) as JsonSchema;
      properties[parameter.name] = where === 'path' && schema['type'] === 'string' ? { ...schema, minLength: 1 } : schema;
      // Spring: a parameter with a default value is optional, whatever `required` says (`include-roles`).
      if (where === 'path' || (parameter.required === true && schema['default'] === undefined)) required.push(parameter.name);
    }
    return { type: 'object', properties, required };
  };
  const arrayQuery = new Set(parameters.filter((p) => p.in === 'query' && p.schema?.['type'] === 'array').map((p) => p.name));
  const bodies = new Map<string, ValidateFunction>();
  for (const [mediaType, media] of Object.entries(route.operation.requestBody?.content ?? {})) {
    const schema = normalizeSchema(media.schema ?? {}, { refBase: DOC_ID }) as JsonSchema;
    const ajv = mediaType === 'multipart/form-data' ? ajvs.formAjv : ajvs.jsonAjv;
    bodies.set(mediaType, ajv.compile(schema));
  }
  const requestBody = route.operation.requestBody as { required?: boolean } | undefined;
  return {
    path: ajvs.paramsAjv.compile(group('path')),
    query: ajvs.paramsAjv.compile(group('query')),
    arrayQuery,
    bodies,
    bodyRequired: requestBody?.required === true,
  };
}

/** Query values as Fastify gives them, with comma lists split for array parameters (Clockify accepts both forms). */
function copyQuery(query: IncomingRequest['query'], arrays: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (arrays.has(name)) {
      out[name] = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
    } else {
      out[name] = Array.isArray(value) ? [...value] : value;
    }
  }
  return out;
}

function badRequest(where: 'path' | 'query' | 'body', errors: ErrorObject[] | null | undefined): ClockifyError {
  const error = errors?.[0];
  const field = error ? describeField(where, error) : where;
  return new ClockifyError(
    400,
    `Invalid request ${where === 'body' ? 'body' : `${where} parameter`}: ${field} ${error?.message ?? 'is invalid'}`,
  );
}

function describeField(where: string, error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  if (where === 'body') return path ? `body.${path}` : 'body';
  return path || where;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
