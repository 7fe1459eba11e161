/**
 * Typed errors of the Clockify API client. Messages are built only from status codes, operation ids,
 * hosts and redacted body excerpts, so they are safe to log: no token ever appears in them.
 */
export class ClockifyClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Clockify answered with a status that is not 2xx (after any retries). */
export class ClockifyApiError extends ClockifyClientError {
  readonly status: number;
  readonly operationId: string;
  /** Redacted and truncated to 2 KB: safe to show and log. */
  readonly bodyExcerpt: string;
  /**
   * The parsed response body, unredacted, for callers that need to show Clockify's answer. It and
   * `headers` are not enumerable, so log serializers that copy an error's properties leave them out.
   */
  declare readonly body: unknown;
  declare readonly headers: Record<string, string>;
  readonly attempts: number;

  constructor(init: {
    status: number;
    operationId: string;
    bodyExcerpt: string;
    body: unknown;
    headers: Record<string, string>;
    attempts: number;
  }) {
    super(`Clockify ${init.operationId} answered ${init.status}${init.bodyExcerpt ? `: ${init.bodyExcerpt.slice(0, 300)}` : ''}`);
    this.status = init.status;
    this.operationId = init.operationId;
    this.bodyExcerpt = init.bodyExcerpt;
    Object.defineProperty(this, 'body', { value: init.body, enumerable: false });
    Object.defineProperty(this, 'headers', { value: init.headers, enumerable: false });
    this.attempts = init.attempts;
  }
}

/** The URL's host is not Clockify's and not in the allowlist; nothing was sent. */
export class HostNotAllowedError extends ClockifyClientError {
  readonly host: string;
  constructor(host: string, reason = 'is not in the allowlist') {
    super(`Refusing to call ${host}: the host ${reason}`);
    this.host = host;
  }
}

/** The request body is larger than the client sends; nothing was sent. */
export class PayloadTooLargeError extends ClockifyClientError {
  readonly bytes: number;
  readonly limitBytes: number;
  constructor(bytes: number, limitBytes: number) {
    super(`Request body of ${bytes} bytes exceeds the limit of ${limitBytes} bytes`);
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }
}

/** Clockify did not answer within the time limit (on the last attempt). */
export class ClockifyTimeoutError extends ClockifyClientError {
  readonly timeoutMs: number;
  readonly operationId: string;
  readonly attempts: number;
  constructor(operationId: string, timeoutMs: number, attempts: number) {
    super(`Clockify ${operationId} did not answer within ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'})`);
    this.timeoutMs = timeoutMs;
    this.operationId = operationId;
    this.attempts = attempts;
  }
}

/** The connection failed or broke (after any retries). `code` is the system/undici code when known. */
export class ClockifyNetworkError extends ClockifyClientError {
  readonly code: string | undefined;
  readonly operationId: string;
  readonly attempts: number;
  constructor(operationId: string, code: string | undefined, detail: string, attempts: number) {
    super(`Clockify ${operationId} could not be reached${code ? ` (${code})` : ''}: ${detail}`);
    this.code = code;
    this.operationId = operationId;
    this.attempts = attempts;
  }
}
