import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eventFromSlug, isClockifyEvent } from '../editions/events.js';
import type { Runtime } from '../runtime.js';
import { WEBHOOK_BODY_LIMIT } from '../server/app.js';
import type { HttpProblem } from '../server/problems.js';
import { problems } from '../server/problems.js';
import { headerValue, verifyOrReject } from '../server/token-guard.js';
import { sha256Hex } from '../security/secret-box.js';
import { RawStatement } from '../storage/raw.js';
import { authStateVersion } from '../lifecycle/auth-state.js';
import { BatchLoader } from '../util/batch-loader.js';
import type { EventStore } from './event-store.js';
import { keptHeaders } from './headers.js';
import { eventUserId } from '../events/event-user.js';

const WEBHOOK_AUTH = new RawStatement(
  `SELECT i.status, i.addon_id, r.event FROM installations i
   LEFT JOIN webhook_registrations r ON r.workspace_id = i.workspace_id AND r.token_hash = ? AND r.status = 'active'
   WHERE i.workspace_id = ?`,
);

/** PostgreSQL: the lookups of webhooks that arrive together, in one round trip. */
const WEBHOOK_AUTH_MANY = new RawStatement(
  `SELECT q.token_hash, q.workspace_id, i.status, i.addon_id, r.event
   FROM unnest(?::text[], ?::text[]) AS q(token_hash, workspace_id)
   JOIN installations i ON i.workspace_id = q.workspace_id
   LEFT JOIN webhook_registrations r ON r.workspace_id = i.workspace_id AND r.token_hash = q.token_hash AND r.status = 'active'`,
);

interface WebhookAuth {
  status: string;
  addon_id: string;
  /** Every event whose stored webhook token is this one: Clockify may give several webhooks the same token. */
  events: ReadonlySet<string>;
}

interface WebhookAuthRow {
  status: string;
  addon_id: string;
  event: string | null;
}

/** The rows of one (token, workspace) lookup, one per webhook holding the token (or one with no event), as one answer. */
function authOfRows(rows: readonly WebhookAuthRow[]): WebhookAuth | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const events = new Set<string>();
  for (const row of rows) if (row.event) events.add(row.event);
  return { status: first.status, addon_id: first.addon_id, events };
}

/** Most tokens the SQLite lookup keeps (one per webhook of each installation); past it, it starts over. */
const AUTH_CACHE_ENTRIES = 10_000;
/** A cached lookup is refreshed at least this often, whatever else says it is current. */
const AUTH_CACHE_MS = 60_000;

interface CachedAuth {
  auth: WebhookAuth | undefined;
  version: number;
  dataVersion: number;
  at: number;
}

/**
 * The installation's state and the webhook a token belongs to. PostgreSQL: one query for the
 * webhooks of one tick (other instances change the rows, so nothing is kept). SQLite: kept per token
 * while nothing that authorises webhooks has changed, in this process (auth-state.ts) or through
 * another connection (data_version), so a deactivation or an uninstall counts from the next webhook.
 */
function webhookAuthLookup(runtime: Runtime): (token: string, workspaceId: string) => Promise<WebhookAuth | undefined> {
  const { database } = runtime;
  if (database.dialect === 'sqlite') {
    const sqlite = database.sqlite!;
    const cache = new Map<string, CachedAuth>();
    // Asking SQLite costs a read transaction (file locks): once per turn of the event loop is enough.
    let turnDataVersion: Promise<number> | undefined;
    const dataVersionThisTurn = () => {
      if (turnDataVersion === undefined) {
        turnDataVersion = sqlite.dataVersion();
        setImmediate(() => {
          turnDataVersion = undefined;
        });
      }
      return turnDataVersion;
    };
    return async (token, workspaceId) => {
      const key = `${workspaceId}\n${token}`;
      // Read before the query: a change while it runs leaves the entry stale-marked, never stale-trusted.
      const version = authStateVersion();
      const dataVersion = await dataVersionThisTurn();
      const now = Date.now();
      const cached = cache.get(key);
      if (cached && cached.version === version && cached.dataVersion === dataVersion && now - cached.at < AUTH_CACHE_MS) return cached.auth;
      const auth = authOfRows(
        (await WEBHOOK_AUTH.run<WebhookAuthRow>(database.db, database.dialect, [sha256Hex(token), workspaceId])).rows,
      );
      if (cache.size >= AUTH_CACHE_ENTRIES) cache.clear();
      cache.set(key, { auth, version, dataVersion, at: now });
      return auth;
    };
  }
  const loader = new BatchLoader<string, WebhookAuth>(async (keys) => {
    // The token hash is hex, so the first newline separates it from the workspace id.
    const pairs = keys.map((key) => [key.slice(0, key.indexOf('\n')), key.slice(key.indexOf('\n') + 1)] as const);
    const { rows } = await WEBHOOK_AUTH_MANY.run<WebhookAuthRow & { token_hash: string; workspace_id: string }>(
      database.db,
      database.dialect,
      [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1])],
    );
    const byKey = new Map<string, WebhookAuthRow[]>();
    for (const row of rows) {
      const key = `${row.token_hash}\n${row.workspace_id}`;
      const group = byKey.get(key);
      if (group) group.push(row);
      else byKey.set(key, [row]);
    }
    return new Map([...byKey].map(([key, group]) => [key, authOfRows(group)!]));
  });
  return (token, workspaceId) => loader.load(`${sha256Hex(token)}\n${workspaceId}`);
}

const EVENT_HEADER = 'clockify-webhook-event-type';
const SIGNATURE_HEADER = 'clockify-signature';

const AcceptedReply = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['accepted', 'duplicate'] }, eventId: { type: 'string' } },
} as const;

/**
 * Clockify webhooks: verify, deduplicate, persist with the processing job, answer. Everything slow
 * happens later from the queue, so a burst never times Clockify out.
 */
export async function clockifyWebhookRoutes(app: FastifyInstance, { runtime, events }: { runtime: Runtime; events: EventStore }) {
  const subscribed = new Set<string>(runtime.edition.events);
  const authOf = webhookAuthLookup(runtime);

  const reject = (reason: string, error: HttpProblem): never => {
    runtime.metrics.webhooksRejected.inc({ reason, source: 'clockify' });
    throw error;
  };

  const handle = async (request: FastifyRequest<{ Params: { event?: string } }>) => {
    const eventType = headerValue(request, EVENT_HEADER);
    if (!eventType) reject('missing_event_type', problems.badRequest('missing-event-type', `The ${EVENT_HEADER} header is required.`));
    if (!isClockifyEvent(eventType!))
      reject('unknown_event_type', problems.badRequest('unknown-event-type', 'The event type is not a Clockify event.'));
    if (request.params.event !== undefined && eventFromSlug(request.params.event) !== eventType) {
      reject(
        'event_mismatch',
        problems.badRequest('event-mismatch', 'The event type header does not match the event of this webhook URL.'),
      );
    }
    if (!subscribed.has(eventType!))
      reject('not_subscribed', problems.badRequest('event-not-subscribed', `${runtime.edition.name} does not subscribe to ${eventType}.`));
    const payload = request.body;
    if (payload === undefined || payload === null || typeof payload !== 'object')
      reject('malformed_body', problems.badRequest('malformed-json', 'The body must be a JSON object or array.'));

    const signature = headerValue(request, SIGNATURE_HEADER);
    let claims;
    try {
      claims = await verifyOrReject(runtime, request, signature, { context: 'webhook' });
    } catch (error) {
      return reject('invalid_signature', error as HttpProblem);
    }
    const workspaceId = claims.workspaceId;
    const payloadWorkspace = (payload as { workspaceId?: unknown }).workspaceId;
    if (typeof payloadWorkspace === 'string' && payloadWorkspace !== workspaceId) {
      reject(
        'workspace_mismatch',
        problems.forbidden('token-not-for-this-target', 'The signature belongs to another workspace than the payload.'),
      );
    }
    // One narrow lookup on the hot path: the installation's state and the webhook this exact token belongs to.
    const found = await authOf(signature!, workspaceId);
    if (!found || found.status === 'DELETED')
      reject('not_installed', problems.unauthorized('not-installed', 'No live installation for this workspace.'));
    if (found!.status === 'INACTIVE')
      reject(
        'inactive',
        problems.forbidden('installation-inactive', 'The add-on is deactivated in this workspace; events are not accepted.'),
      );
    if (claims.addonId && claims.addonId !== found!.addon_id)
      reject('addon_mismatch', problems.forbidden('token-not-for-this-target', 'The signature belongs to another installation.'));
    if (runtime.config.requireSignatureVerification) {
      // The token must be exactly one Clockify gave us for a webhook of this event (stored at install or registration);
      // a token shared by several webhooks is good for each of their events.
      if (found!.events.size === 0)
        reject(
          'unknown_signature',
          problems.unauthorized('invalid-token', 'The webhook signature does not match any webhook of this installation.'),
        );
      if (!found!.events.has(eventType!))
        reject('event_mismatch', problems.unauthorized('invalid-token', 'The webhook signature belongs to another event.'));
    }

    const result = await events.store({
      workspaceId,
      source: 'clockify',
      eventType: eventType!,
      payload,
      payloadText: request.bodyText,
      headers: keptHeaders(request),
    });
    if (result.status === 'duplicate') runtime.metrics.webhooksDuplicate.inc({ event_type: eventType!, source: 'clockify' });
    else {
      runtime.metrics.webhooksReceived.inc({ event_type: eventType!, source: 'clockify' });
      runtime.bus.publish({
        kind: 'webhook',
        workspaceId,
        data: { id: result.eventId, eventType, userId: eventUserId(payload), status: result.queued ? 'received' : 'processed' },
      });
    }
    return { status: result.status === 'duplicate' ? 'duplicate' : 'accepted', eventId: result.eventId };
  };

  const options = {
    bodyLimit: WEBHOOK_BODY_LIMIT,
    schema: {
      tags: ['webhooks'],
      summary: 'Receive a Clockify webhook (event type from Clockify-Webhook-Event-Type).',
      security: [{ webhookSignature: [] }],
      response: { 200: AcceptedReply },
    },
  };
  app.post('/webhooks/clockify', options, handle);
  app.post<{ Params: { event: string } }>(
    '/webhooks/clockify/:event',
    { ...options, schema: { ...options.schema, summary: 'Receive one event type (the per-event paths the manifest declares).' } },
    handle,
  );
}
