import { hash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import { WEBHOOK_BODY_LIMIT } from '../server/app.js';
import type { HttpProblem } from '../server/problems.js';
import { problems } from '../server/problems.js';
import { headerValue } from '../server/token-guard.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import { defaultEventTypePlaces, eventTypeOf, parseEventTypeLocation } from './custom-event-type.js';
import type { CustomSourceStore } from './custom-sources.js';
import type { EventStore } from './event-store.js';
import { keptHeaders } from './headers.js';
import { verifyHmacHex, verifyHmacHexTimestamped, verifyStandard } from './signatures.js';
import type { CustomSource } from './custom-sources.js';
import { OneSource, SourceList, SourceWithSecret, WebhookAccepted } from './schemas.js';
import { NoContent } from '../server/problem-schema.js';
import { eventUserId } from '../events/event-user.js';

const SourceParams = Type.Object({ sourceId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });
const CreateSource = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  signatureMode: Type.Union([Type.Literal('standard'), Type.Literal('hmac-sha256'), Type.Literal('none')]),
  signatureHeader: Type.Optional(Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9-]+$' })),
  timestampHeader: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 80,
      pattern: '^[A-Za-z0-9-]+$',
      description:
        'hmac-sha256 only: the header carrying the Unix time (seconds) the sender signed along with the body, as HMAC(secret, "<timestamp>.<body>")',
    }),
  ),
  toleranceSeconds: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 3600,
      description: 'With timestampHeader: how far the timestamp may be from our clock (default 300)',
    }),
  ),
  allowUnsigned: Type.Optional(Type.Boolean()),
  eventTypeFrom: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'Where the event type is: "header:<Name>" or a JSON path ($.meta.kind). Default: $.event_type, $.type, $.event, $.eventType, then the X-Event-Type and X-GitHub-Event headers.',
    }),
  ),
});
type CreateSource = Static<typeof CreateSource>;
const EventTypeBody = Type.Object({
  eventTypeFrom: Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], {
    description: '"header:<Name>", a JSON path, or null for the defaults.',
  }),
});

/** 400 for a location that cannot be read. */
function checkedLocation(raw: string | null | undefined, field: string): string | null {
  if (raw === undefined || raw === null) return null;
  const parsed = parseEventTypeLocation(raw);
  if (!parsed.ok)
    throw problems.badRequest('invalid-event-type-location', `eventTypeFrom ${parsed.message}.`, [{ field, message: parsed.message }]);
  return raw.trim();
}

function verifySource(source: CustomSource, secrets: string[], request: FastifyRequest, body: Buffer, nowSeconds: number) {
  if (source.signatureMode === 'standard') {
    return verifyStandard(
      secrets,
      {
        id: headerValue(request, 'webhook-id'),
        timestamp: headerValue(request, 'webhook-timestamp'),
        signature: headerValue(request, 'webhook-signature'),
      },
      body,
      nowSeconds,
    );
  }
  const signature = headerValue(request, source.signatureHeader ?? 'x-signature-256');
  if (source.timestampHeader)
    return verifyHmacHexTimestamped(
      secrets,
      { timestamp: headerValue(request, source.timestampHeader), signature },
      body,
      nowSeconds,
      source.toleranceSeconds ?? undefined,
    );
  return verifyHmacHex(secrets, signature, body);
}

/**
 * What identifies a verified delivery for deduplication: only what its signature covers. Standard
 * Webhooks signs its id (a replay needs the same id, within the time window); an HMAC signs the body
 * alone (or with a timestamp a sender's retry changes), so the body's digest is the delivery,
 * whatever id headers come with it. Unsigned sources keep the sender's id: nothing there is vouched for.
 */
function signedIdentityOf(source: CustomSource, request: FastifyRequest, body: Buffer): string | undefined {
  if (source.signatureMode === 'standard') return `id:${headerValue(request, 'webhook-id')!.slice(0, 200)}`;
  if (source.signatureMode === 'hmac-sha256') return `body:${hash('sha256', body, 'hex')}`;
  return undefined;
}

/** Webhooks from any other system, verified per source. */
export async function customWebhookRoutes(
  app: FastifyInstance,
  { runtime, events, sources }: { runtime: Runtime; events: EventStore; sources: CustomSourceStore },
) {
  const reject = (reason: string, error: HttpProblem): never => {
    runtime.metrics.webhooksRejected.inc({ reason, source: 'custom' });
    throw error;
  };

  app.post<{ Params: Static<typeof SourceParams> }>(
    '/webhooks/custom/:sourceId',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a webhook from another system (Standard Webhooks or HMAC-SHA256 signed).',
        params: SourceParams,
        response: { 200: WebhookAccepted },
      },
    },
    async (request) => {
      const source = await sources.get(request.params.sourceId);
      if (!source) return reject('unknown_source', problems.notFound('unknown-source', 'No webhook source with this id.'));
      if (!source.enabled) reject('source_disabled', problems.forbidden('source-disabled', 'This webhook source is disabled.'));
      const installation = await runtime.database.db
        .selectFrom('installations')
        .select('status')
        .where('workspace_id', '=', source.workspaceId)
        .executeTakeFirst();
      if (installation?.status !== 'ACTIVE')
        reject('inactive', problems.forbidden('installation-inactive', 'The add-on is not active in this workspace.'));
      const body = request.rawBody ?? Buffer.alloc(0);
      if (source.signatureMode !== 'none') {
        const verdict = verifySource(source, await sources.verificationSecrets(source.id), request, body, Math.floor(runtime.now() / 1000));
        if (!verdict.ok)
          reject(
            verdict.reason,
            problems.unauthorized('invalid-signature', `The webhook signature was rejected: ${verdict.reason.replaceAll('_', ' ')}.`),
          );
      }
      const payload = request.body;
      if (payload === undefined || payload === null || typeof payload !== 'object')
        reject('malformed_body', problems.badRequest('malformed-json', 'The body must be a JSON object or array.'));
      const eventType = eventTypeOf(source.eventTypeFrom, payload, (name) => headerValue(request, name));
      const deliveryId =
        headerValue(request, 'webhook-id') ?? headerValue(request, 'x-delivery-id') ?? headerValue(request, 'x-github-delivery');
      const sourceKey = `custom:${source.id}`;
      const signedIdentity = signedIdentityOf(source, request, body);
      const result = await events.store({
        workspaceId: source.workspaceId,
        source: sourceKey,
        eventType,
        payload,
        payloadText: request.bodyText,
        headers: keptHeaders(request),
        deliveryId: deliveryId?.slice(0, 200),
        signedIdentity,
      });
      if (result.status === 'duplicate') runtime.metrics.webhooksDuplicate.inc({ event_type: 'custom', source: 'custom' });
      else {
        runtime.metrics.webhooksReceived.inc({ event_type: 'custom', source: 'custom' });
        runtime.bus.publish({
          kind: 'webhook',
          workspaceId: source.workspaceId,
          data: {
            id: result.eventId,
            eventType,
            source: sourceKey,
            userId: eventUserId(payload),
            status: result.queued ? 'received' : 'processed',
          },
        });
      }
      return { status: result.status === 'duplicate' ? 'duplicate' : 'accepted', eventId: result.eventId };
    },
  );
}

/** Managing sources from the sidebar. A secret is returned only by create and rotate, never again. */
export async function customSourceUiRoutes(ui: FastifyInstance, { runtime, sources }: { runtime: Runtime; sources: CustomSourceStore }) {
  const urlOf = (id: string) => `${runtime.editionConfig.baseUrl.replace(/\/+$/, '')}/webhooks/custom/${id}`;
  const view = (source: Awaited<ReturnType<CustomSourceStore['list']>>[number]) => ({
    ...source,
    url: urlOf(source.id),
    eventTypeDefaults: defaultEventTypePlaces(),
  });
  const tags = ['custom sources'];

  ui.get(
    '/ui/sources',
    { schema: { tags, summary: 'Custom webhook sources of the workspace.', response: { 200: SourceList } } },
    async (request) => {
      const user = currentUser(request);
      return { sources: (await sources.list(user.workspaceId)).map(view) };
    },
  );

  ui.post<{ Body: CreateSource }>(
    '/ui/sources',
    {
      schema: {
        tags,
        summary: 'Create a source; the reply holds its secret once.',
        body: CreateSource,
        response: { 201: SourceWithSecret },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      if (request.body.signatureMode === 'none' && request.body.allowUnsigned !== true) {
        throw problems.badRequest(
          'unsigned-not-allowed',
          'An unsigned source accepts anything from anyone; set allowUnsigned: true to create one anyway.',
          [{ field: 'body.allowUnsigned', message: 'must be true for signatureMode none' }],
        );
      }
      if (
        request.body.signatureMode !== 'hmac-sha256' &&
        (request.body.timestampHeader !== undefined || request.body.toleranceSeconds !== undefined)
      ) {
        throw problems.badRequest(
          'timestamp-not-applicable',
          'A timestamp header is an option of hmac-sha256 sources (Standard Webhooks carries its own).',
          [{ field: 'body.timestampHeader', message: 'only with signatureMode hmac-sha256' }],
        );
      }
      if (request.body.toleranceSeconds !== undefined && request.body.timestampHeader === undefined) {
        throw problems.badRequest('timestamp-not-applicable', 'A tolerance needs a timestamp header to apply to.', [
          { field: 'body.toleranceSeconds', message: 'only with timestampHeader' },
        ]);
      }
      const eventTypeFrom = checkedLocation(request.body.eventTypeFrom, 'body.eventTypeFrom');
      const { source, secret } = await sources.create(user.workspaceId, { ...request.body, eventTypeFrom });
      return reply.code(201).send({ source: view(source), secret });
    },
  );

  ui.post<{ Params: Static<typeof SourceParams> }>(
    '/ui/sources/:sourceId/rotate',
    {
      schema: {
        tags,
        summary: 'New secret; the previous one keeps verifying for 24 hours.',
        params: SourceParams,
        response: { 200: SourceWithSecret },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      const rotated = await sources.rotate(user.workspaceId, request.params.sourceId);
      if (!rotated) throw problems.notFound('unknown-source', 'No signed source with this id in this workspace.');
      return { source: view(rotated.source), secret: rotated.secret };
    },
  );

  ui.put<{ Params: Static<typeof SourceParams>; Body: Static<typeof EventTypeBody> }>(
    '/ui/sources/:sourceId/event-type',
    {
      schema: {
        tags,
        summary: "Where this source's event type is read: a header, a JSON path, or null for the defaults.",
        params: SourceParams,
        body: EventTypeBody,
        response: { 200: OneSource },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      const eventTypeFrom = checkedLocation(request.body.eventTypeFrom, 'body.eventTypeFrom');
      const source = await sources.setEventTypeFrom(user.workspaceId, request.params.sourceId, eventTypeFrom);
      if (!source) throw problems.notFound('unknown-source', 'No source with this id in this workspace.');
      return { source: view(source) };
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    ui.post<{ Params: Static<typeof SourceParams> }>(
      `/ui/sources/:sourceId/${action}`,
      {
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a source.`,
          params: SourceParams,
          response: { 200: OneSource },
        },
      },
      async (request) => {
        const user = requireAdmin(request);
        const source = await sources.setEnabled(user.workspaceId, request.params.sourceId, enabled);
        if (!source) throw problems.notFound('unknown-source', 'No source with this id in this workspace.');
        return { source: view(source) };
      },
    );
  }

  ui.delete<{ Params: Static<typeof SourceParams> }>(
    '/ui/sources/:sourceId',
    { schema: { tags, summary: 'Delete a source.', params: SourceParams, response: { 204: NoContent } } },
    async (request, reply) => {
      const user = requireAdmin(request);
      if (!(await sources.remove(user.workspaceId, request.params.sourceId)))
        throw problems.notFound('unknown-source', 'No source with this id in this workspace.');
      return reply.code(204).send();
    },
  );
}
