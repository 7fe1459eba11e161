/** Types of the OpenAPI operation catalog. Kept free of I/O so every consumer can import them cheaply. */

/** A JSON Schema object as found in the spec after `$ref` resolution (OpenAPI 3.0 flavour). */
export type JsonSchema = { [keyword: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Which Clockify server an operation lives on (from the spec's per-path `servers`). */
export type ServerKind = 'backend' | 'reports' | 'auditlog';

/**
 * A credential Clockify accepts for an operation (the spec's `security` requirements, by header):
 * `addonToken` = `X-Addon-Token`, `apiKey` = a user's personal `X-Api-Key`, `marketplaceToken` = `X-Marketplace-Token`.
 */
export type Credential = 'addonToken' | 'apiKey' | 'marketplaceToken';

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** Resolved: contains no `$ref`. */
  schema: JsonSchema;
  enum?: readonly unknown[];
  default?: unknown;
  description?: string;
}

export interface OperationRequestBody {
  required: boolean;
  /** Resolved: contains no `$ref`. */
  schema: JsonSchema;
  contentType: string;
}

/**
 * How a list operation pages through results.
 * - `query`: page number and page size are query parameters (`page` + `page-size`, `size`, `limit` or `pageSize`).
 * - `body`: both live in the JSON body, optionally inside a container object (reports: `detailedFilter`).
 */
export type PaginationStyle =
  | { kind: 'none' }
  | {
      kind: 'query';
      pageParam: string;
      sizeParam: string;
      firstPage: 0 | 1;
      defaultSize: number;
      maxSize?: number;
    }
  | {
      kind: 'body';
      pageField: string;
      sizeField: string;
      container?: string;
      firstPage: 0 | 1;
      defaultSize: number;
      maxSize?: number;
    };

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** Spec path, e.g. `/v1/workspaces/{workspaceId}/projects`. */
  path: string;
  server: ServerKind;
  tag: string;
  summary: string;
  description?: string;
  deprecated: boolean;
  parameters: OperationParameter[];
  requestBody?: OperationRequestBody;
  /** Resolved schema of the first 2xx JSON response, if any. */
  responseSchema?: JsonSchema;
  /** True for GET: the call cannot change anything in Clockify. */
  readOnly: boolean;
  /**
   * True when repeating the call cannot act twice: GET, PUT, DELETE and the POST operations that only
   * query (reports, `users/info`, webhook logs …). The API client retries 5xx only for these.
   */
  idempotent: boolean;
  pagination: PaginationStyle;
  /** Credentials Clockify accepts here, from the spec's `security` (every one when the spec says nothing). */
  security: Credential[];
  /**
   * False when Clockify refuses add-on tokens here: only a personal API key works (`GET|POST /v1/workspaces`,
   * the audit log). The add-ons hold no API keys, so they do not call these (see API_KEY_ONLY_REASON).
   */
  addonTokenAccepted: boolean;
  /** Manifest scopes the add-on needs to call this operation (see scopes.ts for the mapping). */
  scopes: string[];
  /** Names of the path parameters in path order. */
  pathParams: string[];
  /** Every required path/query parameter is `workspaceId` or has a default, and no body fields are required. */
  needsOnlyWorkspace: boolean;
}

export interface OperationFilter {
  method?: HttpMethod;
  readOnly?: boolean;
  /** Case-insensitive match against operation id, path, summary and tag. */
  text?: string;
  tag?: string;
}

export interface Catalog {
  /** All operations of the spec, in spec order. */
  operations: Operation[];
  get(operationId: string): Operation | undefined;
  byTag(): { tag: string; operations: Operation[] }[];
  filter(filter: OperationFilter): Operation[];
  /** The webhook event names Clockify accepts when registering a webhook (CreateWebhookRequestV1.webhookEvent). */
  webhookEvents: string[];
  /** Resolve every `$ref` of a schema against the spec's components (cycles cut). */
  resolveSchema(schema: JsonSchema): JsonSchema;
}

/** A problem found by `validateCall`, addressed by field (`params.projectId`, `body.name`). */
export interface Problem {
  field: string;
  message: string;
}

export interface CallInput {
  params?: Record<string, unknown>;
  body?: unknown;
}

export interface BaseUrls {
  /** From the token claim `backendUrl`, e.g. `https://api.clockify.me/api` (no `/v1`). */
  backendUrl: string;
  /** From the token claim `reportsUrl`, e.g. `https://reports.api.clockify.me`. */
  reportsUrl: string;
  /** Optional; derived from `backendUrl` when absent (see build-request.ts). */
  auditLogUrl?: string;
}

/** A fully addressed HTTP request, ready for the API client. Never carries a token. */
export interface BuiltRequest {
  method: HttpMethod;
  /** Absolute URL without query string. */
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
}
