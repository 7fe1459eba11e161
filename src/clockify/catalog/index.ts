export { getCatalog } from './catalog.js';
export { buildCatalog } from './build-catalog.js';
export { validateCall } from './validate-call.js';
export { buildRequest, deriveAuditLogUrl, serverUrl, urlWithQuery } from './build-request.js';
export { exampleBody, exampleFromSchema, knownValuesFor } from './examples.js';
export { curlSnippet } from './curl.js';
export { MANIFEST_SCOPES, scopesFor } from './scopes.js';
export { API_KEY_ONLY_REASON } from './security.js';
export { fileFields, isFileValue, isMultipart, toFormData, withoutFileContents } from './multipart.js';
export type { FileValue } from './multipart.js';
export type {
  BaseUrls,
  BuiltRequest,
  CallInput,
  Catalog,
  Credential,
  HttpMethod,
  JsonSchema,
  Operation,
  OperationFilter,
  OperationParameter,
  OperationRequestBody,
  PaginationStyle,
  Problem,
  ServerKind,
} from './types.js';
