/**
 * The role rule of the sidebar's API, in one place (the matrix is in docs/security.md).
 *
 * - Writes (every /ui route that is not a GET, except the few POSTs below that change nothing) are
 *   for workspace owners and admins, and only while the installation is ACTIVE: an INACTIVE add-on
 *   is read-only. `registerAccessPolicy` enforces this for every route of the UI scope before the
 *   route runs, so a route added tomorrow is covered the day it is added.
 * - Reads: owners and admins see the whole workspace. A member sees only rows about themselves
 *   (events, flow runs, explorer calls, their own user), never another user's data, never rates,
 *   amounts, costs or billing data, never the answers of Clockify calls made with the installation
 *   token, never settings the manifest declares ADMINS-only. Routes ask the helpers below; the
 *   functions are pure so the rule is tested apart from HTTP.
 */
import type { FastifyInstance } from 'fastify';
import { settingAccessLevel } from '../editions/settings.js';
import type { SettingDefinition } from '../editions/types.js';
import type { HttpProblem } from './problems.js';
import { problems } from './problems.js';

/** What the policy needs to know about the caller (a UserContext has it all). */
export interface Viewer {
  userId: string;
  isAdmin: boolean;
  installation: { status: string };
}

/**
 * POST routes that store and change nothing: dry runs of flows and previews of one step, and explorer calls, which run with
 * the caller's own token (an explorer call that writes to Clockify is a write: the explorer asks
 * `writeRefusal` for it).
 */
const POSTS_THAT_READ = new Set([
  '/ui/flows/test',
  '/ui/flows/:flowId/test',
  '/ui/flows/steps/preview',
  '/ui/api-explorer/execute',
  '/api-call',
  '/ui/api-explorer/history/:callId/rerun',
]);

/** Whether a route (its method and registered URL pattern) changes anything. */
export function isWriteRoute(method: string, url: string): boolean {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS') return false;
  return !POSTS_THAT_READ.has(url);
}

export const INACTIVE_DETAIL =
  'The add-on is deactivated in this workspace; it is read-only until a workspace admin activates it again in Clockify (Workspace settings → Add-ons). Nothing was changed.';

/** Why this viewer may not write now (role first, then the installation's state), or undefined. */
export function writeRefusal(viewer: Viewer): HttpProblem | undefined {
  if (!viewer.isAdmin) return problems.forbidden('admin-required', 'Only workspace owners and admins can change this.');
  if (viewer.installation.status !== 'ACTIVE') return problems.conflict('addon-inactive', INACTIVE_DETAIL);
  return undefined;
}

/** A read only owners and admins may make (a secret, for instance); allowed while inactive too. */
export function assertAdminRead<T extends Viewer>(viewer: T): T {
  if (!viewer.isAdmin) throw problems.forbidden('admin-required', 'Only workspace owners and admins can see this.');
  return viewer;
}

export function assertMayWrite<T extends Viewer>(viewer: T): T {
  const refusal = writeRefusal(viewer);
  if (refusal) throw refusal;
  return viewer;
}

/**
 * Every route of the UI scope: writes are refused before the body is even validated (a member's
 * write is a 403 whatever its body; an inactive installation's is a 409). Register after the
 * user-token check, in the same scope.
 */
export function registerAccessPolicy(ui: FastifyInstance): void {
  ui.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url || !request.user || !isWriteRoute(request.method, url)) return;
    assertMayWrite(request.user);
  });
}

// ---- rows ----

/** The user whose rows a viewer is limited to: undefined for owners and admins (every row). */
export function ownRowsOnly(viewer: Viewer): string | undefined {
  return viewer.isAdmin ? undefined : viewer.userId;
}

/** Whether a row about `userId` (null: about nobody in particular) is visible to the viewer. */
export function seesRowAbout(viewer: Viewer, userId: string | null | undefined): boolean {
  return viewer.isAdmin || (typeof userId === 'string' && userId.length > 0 && userId === viewer.userId);
}

// ---- fields ----

/** Words that make a field money or contact data, wherever it sits in a Clockify payload. */
const SENSITIVE_WORDS = new Set([
  'rate',
  'rates',
  'amount',
  'amounts',
  'cost',
  'costs',
  'price',
  'prices',
  'pricing',
  'billing',
  'budget',
  'invoice',
  'invoices',
  'salary',
  'earned',
  'earnings',
  'total',
  'totals',
  'subtotal',
  'balance',
  'tax',
  'taxes',
  'discount',
  'address',
  'addresses',
  'email',
  'emails',
  'phone',
  'memberships',
]);

/** `hourlyRate` → hourly, rate; `billing_address` → billing, address. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

export function isSensitiveField(key: string): boolean {
  return wordsOf(key).some((word) => SENSITIVE_WORDS.has(word));
}

/** A copy of a payload without its money and contact fields, at any depth. */
export function withoutSensitiveFields(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutSensitiveFields(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!isSensitiveField(key)) copy[key] = withoutSensitiveFields(item, depth + 1);
  }
  return copy;
}

/** A payload as this viewer may see it: whole for admins, without money and contact fields for members. */
export function payloadFor(viewer: Viewer, payload: unknown): unknown {
  return viewer.isAdmin ? payload : withoutSensitiveFields(payload);
}

// ---- views ----

const FAILED_FOR_MEMBERS = 'Processing did not succeed; a workspace admin can see why.';
/** What each consumer did with an event (`{ flows: { runs }, forwarding: … }`): a consumer's error text is for admins. */
function triggeredFor(triggered: unknown): unknown {
  if (!triggered || typeof triggered !== 'object' || Array.isArray(triggered)) return triggered;
  return Object.fromEntries(
    Object.entries(triggered as Record<string, unknown>).map(([consumer, outcome]) =>
      outcome && typeof outcome === 'object' && 'error' in outcome ? [consumer, { error: FAILED_FOR_MEMBERS }] : [consumer, outcome],
    ),
  );
}

const RUN_FAILED_FOR_MEMBERS = 'The run did not succeed; a workspace admin can see why.';

/**
 * A stored event for a member: the payload without sensitive fields, no kept headers, and a
 * processing error only as a fact (its text can quote what Clockify answered the installation token).
 */
export function eventFor<T extends { payload?: unknown; headers?: Record<string, string>; error?: string | null; triggered?: unknown }>(
  viewer: Viewer,
  event: T,
): T {
  if (viewer.isAdmin) return event;
  return {
    ...event,
    ...('triggered' in event ? { triggered: triggeredFor(event.triggered) } : {}),
    ...('payload' in event ? { payload: withoutSensitiveFields(event.payload) } : {}),
    ...('headers' in event ? { headers: {} } : {}),
    ...('error' in event ? { error: event.error ? FAILED_FOR_MEMBERS : null } : {}),
  };
}

/**
 * A flow run for a member: its outcome only. The condition trace holds payload values, and errors
 * and action results hold what Clockify (or another system) answered the installation token.
 */
export function runFor<T extends { trace?: unknown; error?: string | null }>(viewer: Viewer, run: T): T {
  if (viewer.isAdmin) return run;
  return {
    ...run,
    ...('trace' in run ? { trace: null } : {}),
    ...('error' in run ? { error: run.error ? RUN_FAILED_FOR_MEMBERS : null } : {}),
  };
}

export function actionResultFor<T extends { request?: unknown; response?: unknown; input?: unknown }>(viewer: Viewer, action: T): T {
  if (viewer.isAdmin) return action;
  return { ...action, request: null, response: null, ...('input' in action ? { input: null } : {}) };
}

export { settingAccessLevel };

export function seesSetting(viewer: Viewer, setting: Pick<SettingDefinition, 'accessLevel'>): boolean {
  return viewer.isAdmin || settingAccessLevel(setting) === 'EVERYONE';
}

/**
 * Cached entity types (bootstrap snapshot) a member may read: what Clockify itself shows every
 * member. `users` is limited to the member's own row; every type loses its money and contact fields.
 */
export const MEMBER_VISIBLE_ENTITY_TYPES: readonly string[] = [
  'users',
  'clients',
  'projects',
  'tasks',
  'tags',
  'custom-fields',
  'project-custom-fields',
  'user-groups',
  'raw:getWorkspaceOfUser',
];

/** Entity types whose rows are about one user each: a member sees only their own row. */
export const PER_USER_ENTITY_TYPES: readonly string[] = ['users'];

export function seesEntityType(viewer: Viewer, type: string): boolean {
  return viewer.isAdmin || MEMBER_VISIBLE_ENTITY_TYPES.includes(type);
}

/**
 * The webhook drift report for a member: each event's state, without what Clockify's webhook list
 * (an installation-token answer) says in detail — webhook ids, errors, other webhooks' URLs.
 */
export function driftReportFor<T extends { entries: { event: string; state: string }[]; error?: string }>(viewer: Viewer, report: T): T {
  if (viewer.isAdmin) return report;
  const { error: _error, ...rest } = report;
  return { ...rest, entries: report.entries.map((entry) => ({ ...entry, clockifyWebhookId: null, detail: undefined })) } as unknown as T;
}

/** A live event (SSE) for this viewer, or undefined when it is not theirs to see. */
export function liveEventFor(viewer: Viewer, event: { kind: string; data: Record<string, unknown> }): Record<string, unknown> | undefined {
  if (viewer.isAdmin) return event.data;
  if (event.kind === 'webhook' || event.kind === 'flow-run')
    return seesRowAbout(viewer, event.data.userId as string | null | undefined) ? event.data : undefined;
  if (event.kind === 'bootstrap') return { ...event.data, errors: [] };
  return event.data;
}
