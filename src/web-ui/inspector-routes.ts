import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';
import { toStoredEvent } from '../ingest/event-store.js';
import { EventStatus } from '../ingest/schemas.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { assertAdminRead, eventFor, ownRowsOnly, payloadFor } from '../server/access-policy.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { parseJsonOr } from '../util/json.js';
import { eventDigest, likePattern } from './event-digest.js';
import { NAMED_TYPES, nameDirectory } from '../bootstrap/names.js';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text, an id or a name to find in payloads.' })),
  type: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated event types.' })),
  status: Type.Optional(Type.Union([Type.Literal('received'), Type.Literal('processed'), Type.Literal('failed'), Type.Literal('skipped')])),
  source: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const Digest = Type.Object({
  entityId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  userId: Type.Optional(Type.String()),
  userName: Type.Optional(Type.String()),
  projectId: Type.Optional(Type.String()),
  projectName: Type.Optional(Type.String()),
  taskId: Type.Optional(Type.String()),
  taskName: Type.Optional(Type.String()),
  clientId: Type.Optional(Type.String()),
  clientName: Type.Optional(Type.String()),
  start: Type.Optional(Type.String()),
  end: Type.Optional(Type.String()),
  duration: Type.Optional(Type.String()),
});

export const InspectorEventList = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      source: Type.String(),
      eventType: Type.String(),
      status: EventStatus,
      receivedAt: Type.Number(),
      processedAt: Type.Union([Type.Number(), Type.Null()]),
      duplicates: Type.Integer(),
      userId: Type.Union([Type.String(), Type.Null()]),
      projectId: Type.Union([Type.String(), Type.Null()]),
      timeEntryId: Type.Union([Type.String(), Type.Null()]),
      clientId: Type.Union([Type.String(), Type.Null()]),
      tagIds: Type.Array(Type.String()),
      error: Type.Union([Type.String(), Type.Null()]),
      triggered: Type.Unknown(),
      digest: Digest,
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const RejectedQuery = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 100, description: 'A problem slug, e.g. invalid-token.' })),
  source: Type.Optional(Type.String({ maxLength: 100, description: '`clockify` or `custom:<sourceId>`.' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const RejectedList = Type.Object({
  requests: Type.Array(
    Type.Object({
      id: Type.String(),
      source: Type.String(),
      eventType: Type.Union([Type.String(), Type.Null()]),
      status: Type.Integer(),
      reason: Type.String(),
      detail: Type.String(),
      headers: Type.Record(Type.String(), Type.String()),
      bodyBytes: Type.Integer(),
      receivedAt: Type.Number(),
    }),
  ),
  /** Every reason seen in this workspace, for the filter. */
  reasons: Type.Array(Type.String()),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const VolumeQuery = Type.Object({ range: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d')])) });

export const Volume = Type.Object({
  range: Type.String(),
  bucketMs: Type.Integer(),
  buckets: Type.Array(
    Type.Object({
      start: Type.Number(),
      processed: Type.Integer(),
      failed: Type.Integer(),
      skipped: Type.Integer(),
      received: Type.Integer(),
      rejected: Type.Integer(),
    }),
  ),
});

const RANGES = {
  '24h': { spanMs: 24 * 3_600_000, bucketMs: 3_600_000 },
  '7d': { spanMs: 7 * 86_400_000, bucketMs: 6 * 3_600_000 },
} as const;

/** At most this many entities whose name matches a search are looked for by id in payloads. */
const MAX_NAME_MATCHES = 20;

/**
 * The webhook inspector's list: the event log with a digest per event (for its one-line summary)
 * and a search over payloads that finds ids, text, and the names of the workspace's entities
 * ("Website Redesign" finds the events that carry that project's id).
 */
export async function inspectorRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const db = runtime.database.db;
  ui.get<{ Querystring: Static<typeof ListQuery> }>(
    '/ui/inspector/events',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Received webhook events with a summary digest, searchable over payloads (text, ids, names), newest first.',
        querystring: ListQuery,
        response: { 200: InspectorEventList },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      const from = q.from ? Date.parse(q.from) : undefined;
      const to = q.to ? Date.parse(q.to) : undefined;
      if (from !== undefined && to !== undefined && from > to)
        throw problems.badRequest('bad-range', '`from` is after `to`.', [{ field: 'querystring.from', message: 'must not be after to' }]);
      const limit = q.limit ?? 50;
      const term = q.q?.trim() ?? '';
      const idsNamed = term ? await idsWhoseNameContains(user.workspaceId, term) : [];

      let query = db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', user.workspaceId);
      // Members: only events about themselves, digested from the payload as they may see it (access-policy).
      const aboutUser = ownRowsOnly(user);
      if (aboutUser !== undefined) query = query.where('user_id', '=', aboutUser);
      const types = q.type
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (types && types.length > 0) query = query.where('event_type', 'in', types);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.source) query = query.where('source', '=', q.source);
      if (from !== undefined) query = query.where('received_at', '>=', from);
      if (to !== undefined) query = query.where('received_at', '<=', to);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      if (term) {
        const contains = (column: 'payload_json' | 'event_type' | 'id', pattern: string): Expression<SqlBool> =>
          sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
        query = query.where((eb) =>
          eb.or([
            contains('payload_json', likePattern(term)),
            contains('event_type', likePattern(term)),
            contains('id', likePattern(term)),
            ...idsNamed.map((id) => contains('payload_json', likePattern(id))),
          ]),
        );
      }
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const events = rows.slice(0, limit).map((row) => ({
        ...eventFor(user, toStoredEvent(row)),
        digest: eventDigest(payloadFor(user, parseJsonOr(row.payload_json, null))),
      }));
      return {
        events: events.map(({ workspaceId: _workspace, ...event }) => event),
        nextCursor: rows.length > limit ? (events[events.length - 1]?.id ?? null) : null,
      };
    },
  );

  ui.get<{ Querystring: Static<typeof RejectedQuery> }>(
    '/ui/inspector/rejected',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook requests this add-on refused for the workspace (bad signature, unknown source, wrong workspace …), newest first.',
        querystring: RejectedQuery,
        response: { 200: RejectedList },
      },
    },
    async (request) => {
      // Refused requests are a sender's debugging aid, about no user in particular: owners and admins only.
      const user = assertAdminRead(currentUser(request));
      const { reason, source, cursor } = request.query;
      const limit = request.query.limit ?? 50;
      let query = db.selectFrom('rejected_requests').selectAll().where('workspace_id', '=', user.workspaceId);
      if (reason) query = query.where('reason', '=', reason);
      if (source) query = query.where('source', '=', source);
      if (cursor) query = query.where('id', '<', cursor);
      const [rows, reasons] = await Promise.all([
        query
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute(),
        db
          .selectFrom('rejected_requests')
          .select('reason')
          .distinct()
          .where('workspace_id', '=', user.workspaceId)
          .orderBy('reason')
          .execute(),
      ]);
      const requests = rows.slice(0, limit).map((row) => ({
        id: row.id,
        source: row.source,
        eventType: row.event_type,
        status: Number(row.status),
        reason: row.reason,
        detail: row.detail,
        headers: parseJsonOr<Record<string, string>>(row.headers_json, {}),
        bodyBytes: Number(row.body_bytes),
        receivedAt: Number(row.received_at),
      }));
      return {
        requests,
        reasons: reasons.map((row) => row.reason),
        nextCursor: rows.length > limit ? (requests[requests.length - 1]?.id ?? null) : null,
      };
    },
  );

  ui.get<{ Querystring: Static<typeof VolumeQuery> }>(
    '/ui/inspector/volume',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook volume and outcomes over the last 24 hours (hourly) or 7 days (6-hourly), refused requests included.',
        querystring: VolumeQuery,
        response: { 200: Volume },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const range = request.query.range ?? '24h';
      const { spanMs, bucketMs } = RANGES[range];
      const end = Math.ceil(runtime.now() / bucketMs) * bucketMs;
      const start = end - spanMs;
      // Counted in the database, per bucket and outcome: a busy week is a few dozen rows, not every event.
      const bucket = sql<number>`cast((received_at - ${start}) / ${bucketMs} as integer)`;
      // A member's chart counts only the events they may list, and no refused requests (see /ui/inspector/rejected).
      const aboutUser = ownRowsOnly(user);
      let eventCounts = db
        .selectFrom('webhook_events')
        .select([bucket.as('bucket'), 'status', (eb) => eb.fn.countAll<number>().as('count')])
        .where('workspace_id', '=', user.workspaceId)
        .where('received_at', '>=', start);
      if (aboutUser !== undefined) eventCounts = eventCounts.where('user_id', '=', aboutUser);
      const [events, rejected] = await Promise.all([
        eventCounts.groupBy([sql`1`, 'status']).execute(),
        aboutUser !== undefined
          ? Promise.resolve([])
          : db
              .selectFrom('rejected_requests')
              .select([bucket.as('bucket'), (eb) => eb.fn.countAll<number>().as('count')])
              .where('workspace_id', '=', user.workspaceId)
              .where('received_at', '>=', start)
              .groupBy(sql`1`)
              .execute(),
      ]);
      const buckets = Array.from({ length: spanMs / bucketMs }, (_, index) => ({
        start: start + index * bucketMs,
        processed: 0,
        failed: 0,
        skipped: 0,
        received: 0,
        rejected: 0,
      }));
      for (const row of events) {
        const target = buckets[Math.floor(Number(row.bucket))];
        if (target && row.status in target) target[row.status as 'processed' | 'failed' | 'skipped' | 'received'] += Number(row.count);
      }
      for (const row of rejected) {
        const target = buckets[Math.floor(Number(row.bucket))];
        if (target) target.rejected += Number(row.count);
      }
      return { range, bucketMs, buckets };
    },
  );

  async function idsWhoseNameContains(workspaceId: string, term: string): Promise<string[]> {
    const rows = await db
      .selectFrom('entity_cache')
      .select(['entity_type', 'entity_id', 'data_json'])
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', 'in', Object.keys(NAMED_TYPES))
      .execute();
    const needle = term.toLowerCase();
    const directory = nameDirectory(workspaceId, rows, []);
    const all = [
      ...directory.users,
      ...directory.projects,
      ...directory.tasks,
      ...directory.clients,
      ...directory.tags,
      ...directory.customFields,
    ];
    return all
      .filter((entity) => entity.name.toLowerCase().includes(needle))
      .slice(0, MAX_NAME_MATCHES)
      .map((entity) => entity.id);
  }
}
