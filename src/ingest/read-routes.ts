import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Runtime } from '../runtime.js';
import { HttpProblem, problems } from '../server/problems.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { eventFor, liveEventFor, ownRowsOnly, runFor } from '../server/access-policy.js';
import type { EventStore } from './event-store.js';
import { StreamLimiter } from './stream-caps.js';
import { EventDetail, EventList } from './schemas.js';

/** Longest a timer may wait in Node (about 24.8 days); a later expiry is checked again after it. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Bytes a live stream may have waiting for its client before it is ended with `overflow` (about a thousand events). */
const STREAM_BUFFER_LIMIT = 1 << 20;

const ListQuery = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated event types.' })),
  status: Type.Optional(Type.Union([Type.Literal('received'), Type.Literal('processed'), Type.Literal('failed'), Type.Literal('skipped')])),
  source: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  auth_token: Type.Optional(Type.String()),
});
const EventParams = Type.Object({ eventId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

/** The webhook log for the sidebar: a filtered list, one event in full, and a live stream. */
export async function eventReadRoutes(ui: FastifyInstance, { runtime, events }: { runtime: Runtime; events: EventStore }) {
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = ui.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['webhooks'];
  // Open streams end when the server closes, or shutdown would wait for every open tab.
  const streams = new Set<import('node:http').ServerResponse>();
  const limiter = new StreamLimiter(runtime.config.streams);
  ui.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  typed.get(
    '/ui/webhooks/events',
    {
      schema: {
        tags,
        summary: 'Received webhook events, newest first, with cursor pagination.',
        querystring: ListQuery,
        response: { 200: EventList },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const q = request.query;
      const from = q.from ? Date.parse(q.from) : undefined;
      const to = q.to ? Date.parse(q.to) : undefined;
      if (from !== undefined && to !== undefined && from > to)
        throw problems.badRequest('bad-range', '`from` is after `to`.', [{ field: 'querystring.from', message: 'must not be after to' }]);
      const page = await events.list(user.workspaceId, {
        aboutUser: ownRowsOnly(user),
        types: q.type
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        status: q.status,
        source: q.source,
        from,
        to,
        before: q.cursor,
        limit: q.limit ?? 50,
      });
      return { ...page, events: page.events.map((event) => eventFor(user, event)) };
    },
  );

  typed.get(
    '/ui/webhooks/events/:eventId',
    {
      schema: {
        tags,
        summary: 'One event: payload, kept headers and what it triggered.',
        params: EventParams,
        response: { 200: EventDetail },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const event = await events.get(user.workspaceId, request.params.eventId, ownRowsOnly(user));
      if (!event) throw problems.notFound('unknown-event', 'No event with this id in this workspace.');
      const runs = await runtime.database.db
        .selectFrom('flow_runs')
        .select(['id', 'flow_id', 'flow_version', 'status', 'matched', 'started_at', 'finished_at', 'error', 'replay_of'])
        .where('workspace_id', '=', user.workspaceId)
        .where('event_id', '=', event.id)
        .orderBy('started_at')
        .execute();
      const flowRuns = runs.map((run) => ({
        id: run.id,
        flowId: run.flow_id,
        flowVersion: run.flow_version,
        status: run.status,
        matched: Boolean(run.matched),
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        error: run.error,
        replayOf: run.replay_of,
      }));
      return { event: eventFor(user, event), flowRuns: flowRuns.map((run) => runFor(user, run)) };
    },
  );

  typed.get<{ Querystring: { type?: string; auth_token?: string } }>(
    '/ui/webhooks/stream',
    { schema: { tags, summary: 'Server-Sent Events: new and processed webhooks of the workspace, live.' } },
    async (request, reply) => {
      const user = currentUser(request);
      const types = new Set(
        (request.query.type ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      );
      const slot = limiter.acquire(user.workspaceId, user.userId);
      if (!slot.ok) throw new HttpProblem(429, 'too-many-streams', slot.message, undefined, { 'retry-after': '30' });
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      raw.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ workspaceId: user.workspaceId })}\n\n`);
      // A member's stream carries only events about themselves: whose they are is read from the stored event (in order, one stream at a time).
      const ownerOf = ownRowsOnly(user) === undefined ? undefined : eventOwnerLookup(runtime, user.workspaceId);
      let delivering = Promise.resolve();
      const send = (kind: string, data: Record<string, unknown>) => {
        if (raw.writableEnded) return;
        // A client that stops reading (or cannot keep up with a burst) is told so and let go: it reconnects and reloads.
        if (raw.writableLength > STREAM_BUFFER_LIMIT) raw.end('event: overflow\ndata: {}\n\n');
        else raw.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const unsubscribe = runtime.bus.subscribe(user.workspaceId, (event) => {
        if (types.size > 0 && typeof event.data.eventType === 'string' && !types.has(event.data.eventType)) return;
        if (!ownerOf) {
          send(event.kind, event.data);
          return;
        }
        // Events published by this release say whose they are; only those relayed from an older instance need a lookup.
        if ('userId' in event.data || (event.kind !== 'webhook' && event.kind !== 'flow-run')) {
          const data = liveEventFor(user, event);
          if (data) send(event.kind, data);
          return;
        }
        delivering = delivering.then(async () => {
          const eventId = event.kind === 'webhook' ? event.data.id : event.kind === 'flow-run' ? event.data.eventId : undefined;
          const data =
            typeof eventId === 'string'
              ? liveEventFor(user, { kind: event.kind, data: { ...event.data, userId: await ownerOf(eventId).catch(() => null) } })
              : liveEventFor(user, event);
          if (data) send(event.kind, data);
        });
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
      // The stream lives as long as the token that opened it: then the client reconnects with a fresh one.
      let expiry: NodeJS.Timeout | undefined;
      const endAtExpiry = () => {
        if (user.expiresAt === undefined) return;
        const left = user.expiresAt - runtime.now();
        if (left <= 0) {
          raw.end('event: token-expired\ndata: {}\n\n');
          return;
        }
        expiry = setTimeout(endAtExpiry, Math.min(left, MAX_TIMER_MS));
        expiry.unref();
      };
      endAtExpiry();
      streams.add(raw);
      raw.on('close', () => {
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
        streams.delete(raw);
        slot.release();
      });
    },
  );
}

/** The user a stored event is about, remembered for the last few hundred events (an event is announced when received and when processed). */
function eventOwnerLookup(runtime: Runtime, workspaceId: string): (eventId: string) => Promise<string | null> {
  const known = new Map<string, string | null>();
  return async (eventId) => {
    if (known.has(eventId)) return known.get(eventId)!;
    const row = await runtime.database.db
      .selectFrom('webhook_events')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', eventId)
      .executeTakeFirst();
    const userId = row?.user_id ?? null;
    if (known.size >= 500) known.delete(known.keys().next().value as string);
    known.set(eventId, userId);
    return userId;
  };
}
