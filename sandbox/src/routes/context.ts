import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WorkspaceData } from '../data/workspace.js';
import { ClockifyError, badRequest } from '../errors.js';
import type { InstallationService } from '../installations.js';
import { requestState } from '../request-state.js';
import type { SpecValidator } from '../spec/validator.js';
import type { TokenService } from '../tokens.js';
import type { Plan } from '../types.js';
import type { TriggerContext, WebhookRegistry } from '../webhook-registry.js';

/** What route handlers share. */
export interface RouteContext {
  workspaces: Map<string, WorkspaceData>;
  installations: InstallationService;
  registry: WebhookRegistry;
  tokens: TokenService;
  validator: () => SpecValidator;
  plan: () => Plan;
}

export type Query = Record<string, string | string[] | undefined>;

export const WS = '/api/v1/workspaces/:workspaceId';

export function params(request: FastifyRequest): Record<string, string> {
  return request.params as Record<string, string>;
}

export function query(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** The workspace of the URL. The auth hook already checked the token belongs to it. */
export function workspaceOf(ctx: RouteContext, request: FastifyRequest): WorkspaceData {
  const id = params(request)['workspaceId'];
  const ws = id ? ctx.workspaces.get(id) : undefined;
  if (!ws) throw new ClockifyError(404, 'Workspace not found');
  return ws;
}

/** The user the token speaks for: the workspace owner (installation token) or the viewing user (user token). */
export function callerUserId(request: FastifyRequest): string {
  const token = requestState(request).token;
  if (!token) throw new ClockifyError(401, 'Unauthorized');
  return token.userId;
}

/** The request body checked against the operation's request schema in the spec; 400 when it does not fit. */
export function body<T = Record<string, unknown>>(ctx: RouteContext, request: FastifyRequest): T {
  const value = request.body;
  if (value === undefined || value === null) throw badRequest('Required request body is missing');
  const match = requestState(request).match;
  if (match) {
    const problem = ctx.validator().validateRequestBody(match.route.operation, value);
    if (problem) throw badRequest(`Invalid request body: ${problem}`);
  }
  return value as T;
}

/** Queues a webhook event, sent after the answer like Clockify does. */
export function emit(request: FastifyRequest, workspaceId: string, event: string, payload: unknown, trigger?: TriggerContext): void {
  requestState(request).events.push({ workspaceId, event, payload, ...(trigger && { trigger }) });
}

export function text(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `?a=1&a=2` and `?a=1,2` both give ['1','2'] (Clockify accepts both). */
export function list(q: Query, name: string): string[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function flag(q: Query, name: string): boolean | undefined {
  const v = text(q, name);
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`Query parameter ${name} must be true or false`);
}

/** Clockify pagination: `page` from 1, `page-size` default 50, header `Last-Page`. */
export function paginate<T>(reply: FastifyReply, q: Query, items: readonly T[], defaultSize = 50): T[] {
  const page = positiveInt(q, 'page') ?? 1;
  const size = positiveInt(q, 'page-size') ?? defaultSize;
  const start = (page - 1) * size;
  void reply.header('Last-Page', String(start + size >= items.length));
  return items.slice(start, start + size);
}

function positiveInt(q: Query, name: string): number | undefined {
  const v = text(q, name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Query parameter ${name} must be a positive integer`);
  return n;
}

/** Applies `sort-column`/`sort-order` when the column is one this list supports. */
export function sorted<T>(q: Query, items: T[], columns: Record<string, (item: T) => string | number>): T[] {
  const column = text(q, 'sort-column');
  const key = column ? columns[column.toUpperCase()] : undefined;
  if (!key) return items;
  const direction = text(q, 'sort-order')?.toUpperCase() === 'DESCENDING' ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : Number(x) - Number(y)) * direction;
  });
}

/**
 * `name` filter: contains (case-insensitive) or, with `strict-name-search=true`, equals. Only the lists
 * whose spec declares `strict-name-search` (projects, tasks, tags) take it; elsewhere Clockify ignores
 * it as an unknown parameter, so `strict: false` does the same.
 */
export function nameMatches(q: Query, name: string, options: { strict: boolean } = { strict: true }): boolean {
  const wanted = text(q, 'name');
  if (!wanted) return true;
  return options.strict && flag(q, 'strict-name-search') ? name === wanted : name.toLowerCase().includes(wanted.toLowerCase());
}

export function requireName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${what} name is required`);
  return value.trim();
}
