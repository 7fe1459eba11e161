import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ANSWER_NOT_AS_DECLARED, NULL_FOR_ABSENT_VALUES, absentAllowed } from './deviations.js';
import { normalizeComponents, normalizeSchema, type NormalizeOptions } from './normalize.js';
import { loadOpenApi, requestBodySchema, successResponse, type JsonSchema, type OpenApiOperation } from './openapi.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const DOC_ID = 'clockify-openapi.json';

/**
 * Validates JSON values against the spec's schemas (normalized, see normalize.ts). One instance per
 * mode: requests are checked as written; responses accept null in any property, like the live API.
 */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<unknown, ValidateFunction>();

  private readonly options: NormalizeOptions;

  /**
   * `allPresent` (responses): every field a schema declares must be in the answer, except the allowed
   * deviations (deviations.ts); without it a missing field goes unnoticed, as plain JSON Schema has it.
   */
  constructor(
    private readonly mode: 'request' | 'response',
    settings: { allPresent?: boolean } = {},
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.ajv);
    this.options = {
      nullableProperties: mode === 'response' && NULL_FOR_ABSENT_VALUES,
      refBase: DOC_ID,
      ...(mode === 'response' && settings.allPresent ? { allPresent: (schemaName, field) => !absentAllowed(schemaName, field) } : {}),
    };
    const components = normalizeComponents(loadOpenApi().components.schemas, this.options);
    this.ajv.addSchema({ $id: DOC_ID, components: { schemas: components } });
  }

  /** Compiles (once) and runs a schema from the spec; returns the error text or undefined when valid. */
  validate(schema: JsonSchema, value: unknown): string | undefined {
    let fn = this.cache.get(schema);
    if (!fn) {
      const normalized = normalizeSchema(schema, this.options);
      fn = this.ajv.compile(normalized as JsonSchema);
      this.cache.set(schema, fn);
    }
    return fn(value) ? undefined : describeErrors(fn.errors ?? []);
  }

  /** Checks a request body against the operation's request schema (no schema: anything goes). */
  validateRequestBody(operation: OpenApiOperation, body: unknown): string | undefined {
    const schema = requestBodySchema(operation);
    return schema ? this.validate(schema, body) : undefined;
  }

  /** Checks an answer against the operation's success-response schema. */
  validateResponse(operation: OpenApiOperation, body: unknown): string | undefined {
    if (operation.operationId !== undefined && operation.operationId in ANSWER_NOT_AS_DECLARED) return undefined;
    const { schema } = successResponse(operation);
    return schema ? this.validate(schema, body) : undefined;
  }
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
