import type { Session } from '../session/session';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem from the server, or a network failure (status 0), in words a user can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly type: string = 'about:blank',
    readonly fieldErrors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The problem's slug, e.g. `admin-required` from `https://…/problems/admin-required`. */
  get slug(): string {
    return this.type.split('/').pop() ?? '';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Problems that mean the token itself is unusable: the page cannot recover without a new one. */
const SESSION_ENDING_SLUGS = new Set(['invalid-token', 'token-not-for-this-target', 'not-installed']);

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Root of the add-on's API as seen from the page: `/sidebar` lives at the root of the add-on, so
 * anything in front of it (a reverse-proxy prefix) is kept.
 */
export function apiRootOf(pathname: string): string {
  return pathname.replace(/\/sidebar\/?$/, '').replace(/\/+$/, '');
}

export class ApiClient {
  readonly root: string;

  constructor(
    private readonly session: Session,
    root = apiRootOf(window.location.pathname),
  ) {
    this.root = root;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  delete<T = void>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /** The live stream URL: EventSource cannot send headers, so this one carries the token in its query. */
  streamUrl(): string | null {
    const token = this.session.currentToken();
    return token ? `${this.root}/ui/webhooks/stream${queryString({ auth_token: token })}` : null;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const token = this.session.currentToken();
    if (!token) throw new ApiError(401, 'Session ended', 'Your session has ended.');
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.root + path + queryString(options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'Network error', 'The add-on server could not be reached. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return body as T;
    const error = toApiError(response, body);
    if (response.status === 401 || (response.status === 403 && SESSION_ENDING_SLUGS.has(error.slug))) {
      this.session.end(
        error.slug === 'not-installed' ? 'not-installed' : this.session.expired() || /expired/i.test(error.detail) ? 'expired' : 'rejected',
        error.detail,
      );
    }
    throw error;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (body && typeof body === 'object') {
    const problem = body as Record<string, unknown>;
    const errors = Array.isArray(problem.errors)
      ? problem.errors
          .filter((e): e is FieldError => !!e && typeof e === 'object' && typeof (e as FieldError).message === 'string')
          .map((e) => ({ field: String(e.field ?? ''), message: e.message }))
      : [];
    return new ApiError(
      response.status,
      typeof problem.title === 'string' ? problem.title : response.statusText || 'Error',
      typeof problem.detail === 'string' ? problem.detail : `The server answered ${response.status}.`,
      typeof problem.type === 'string' ? problem.type : 'about:blank',
      errors,
      typeof problem.requestId === 'string' ? problem.requestId : requestId,
    );
  }
  const detail =
    response.status === 404
      ? 'This feature is not available on this server.'
      : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, response.statusText || 'Error', detail, 'about:blank', [], requestId);
}

/** Any thrown value as an ApiError, so views have one error shape to show. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'Unexpected error', error instanceof Error ? error.message : 'Something went wrong.');
}
