import { Type } from '@sinclair/typebox';

/** What the webhook log routes answer (Fastify serializes by these: a field not named here never leaves). */

const Time = Type.Number({ description: 'Milliseconds since the epoch.' });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const EventStatus = Type.Union([
  Type.Literal('received'),
  Type.Literal('processed'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
]);

export const WebhookEvent = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  source: Type.String({ description: '`clockify` or `custom:<sourceId>`.' }),
  eventType: Type.String(),
  status: EventStatus,
  receivedAt: Time,
  processedAt: OrNull(Time),
  duplicates: Type.Integer({ description: 'Repeated deliveries of this event that were dropped.' }),
  userId: OrNull(Type.String()),
  projectId: OrNull(Type.String()),
  timeEntryId: OrNull(Type.String()),
  clientId: OrNull(Type.String()),
  tagIds: Type.Array(Type.String()),
  error: OrNull(Type.String()),
  triggered: Type.Unknown({ description: 'What each consumer did with the event.' }),
});
export const EventList = Type.Object({ events: Type.Array(WebhookEvent), nextCursor: OrNull(Type.String()) });

/**
 * A run the event triggered. Until this schema these fields left in snake case (`flow_id`,
 * `flow_version`, `started_at`, `finished_at`); the sidebar was the only reader, see docs/architecture.md.
 */
export const EventRunRef = Type.Object({
  id: Type.String(),
  flowId: Type.String(),
  flowVersion: Type.Integer(),
  status: Type.String(),
  matched: Type.Boolean(),
  startedAt: Time,
  finishedAt: OrNull(Time),
  error: OrNull(Type.String()),
  replayOf: OrNull(Type.String({ description: 'The run this one retried; null for the run the event started.' })),
});

export const EventDetail = Type.Object({
  event: Type.Object({
    ...WebhookEvent.properties,
    payload: Type.Unknown(),
    headers: Type.Record(Type.String(), Type.String(), { description: 'The request headers kept (secrets removed; empty for members).' }),
  }),
  flowRuns: Type.Array(EventRunRef),
});

/** What a webhook receiver answers the sender. */
export const WebhookAccepted = Type.Object({
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate')]),
  eventId: Type.String(),
});

export const CustomSourceView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  signatureMode: Type.Union([Type.Literal('standard'), Type.Literal('hmac-sha256'), Type.Literal('none')]),
  signatureHeader: OrNull(Type.String()),
  timestampHeader: OrNull(
    Type.String({ description: 'HMAC sources: the header with the signed timestamp; null when the body alone is signed.' }),
  ),
  toleranceSeconds: OrNull(Type.Integer()),
  enabled: Type.Boolean(),
  rotating: Type.Boolean({ description: 'True while the previous secret still verifies (after a rotation).' }),
  createdAt: Time,
  updatedAt: Time,
  eventTypeFrom: OrNull(Type.String({ description: 'Where the event type is read; null: the defaults.' })),
  url: Type.String({ description: 'Where the other system sends its webhooks.' }),
  eventTypeDefaults: Type.Array(Type.String(), { description: 'Where the event type is looked for when eventTypeFrom is null.' }),
});
export const SourceList = Type.Object({ sources: Type.Array(CustomSourceView) });
export const OneSource = Type.Object({ source: CustomSourceView });
export const SourceWithSecret = Type.Object({
  source: CustomSourceView,
  secret: OrNull(Type.String({ description: 'Shown this once, never again (null for an unsigned source).' })),
});
