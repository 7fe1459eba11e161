export { createClockifyClient } from './create-client.js';
export { createClientMetrics, type ClientMetrics } from './metrics.js';
export {
  ClockifyApiError,
  ClockifyClientError,
  ClockifyNetworkError,
  ClockifyTimeoutError,
  HostNotAllowedError,
  PayloadTooLargeError,
} from './errors.js';
export { createHostAllowlist, isClockifyHost, type HostAllowlist } from './host-allowlist.js';
export { MAX_REQUEST_BODY_BYTES } from './body.js';
export { excerpt, redactUrl, redactValue, REDACTED } from './redact.js';
export { backoffDelay, DEFAULT_RETRY_SETTINGS, parseRetryAfter, type RetryReason, type RetrySettings } from './retry-policy.js';
export { getAddonSettingsRequest, updateAddonSettingsRequest, userTokenRequest } from './addon-endpoints.js';
export type {
  CallRecordContext,
  ApiCallRecord,
  ApiResponse,
  ClientCallInput,
  ClockifyClient,
  ClockifyClientOptions,
  RawRequestInput,
} from './types.js';
