import { Type } from '@sinclair/typebox';

/** What the bootstrap routes answer (Fastify serializes by these: a field not named here never leaves). */

const Time = Type.Number({ description: 'Milliseconds since the epoch.' });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const BootstrapRunView = Type.Object({
  id: Type.String(),
  status: Type.Union(
    ['pending', 'running', 'completed', 'completed_with_warnings', 'failed', 'cancelled'].map((status) => Type.Literal(status)),
  ),
  mode: Type.Union([Type.Literal('full'), Type.Literal('failed-only')]),
  operationsTotal: Type.Integer(),
  operationsDone: Type.Integer(),
  entitiesFetched: Type.Integer(),
  pagesFetched: Type.Integer(),
  errorsCount: Type.Integer(),
  createdAt: Time,
  startedAt: OrNull(Time),
  finishedAt: OrNull(Time),
  errors: Type.Array(Type.Object({ operationId: Type.String(), stepKey: Type.Optional(Type.String()), error: Type.String() }), {
    description: 'Failed steps (admins; at most 50).',
  }),
  warnings: Type.Optional(
    Type.Array(
      Type.Object({
        operationId: Type.String(),
        stepKey: Type.String(),
        kind: Type.Union([Type.Literal('page-cap'), Type.Literal('failed')]),
        message: Type.String(),
      }),
      { description: 'What a run completed with warnings cut.' },
    ),
  ),
  warningsCount: Type.Optional(Type.Integer()),
  warningSummary: Type.Optional(OrNull(Type.String())),
});

export const BootstrapStatus = Type.Object({
  run: OrNull(BootstrapRunView),
  entityCounts: Type.Array(Type.Object({ type: Type.String(), count: Type.Integer() })),
});

export const RunStarted = Type.Object({ run: OrNull(BootstrapRunView) });

export const EntityPage = Type.Object({
  items: Type.Array(
    Type.Object({
      type: Type.String(),
      id: Type.String(),
      data: Type.Unknown({ description: 'The entity as Clockify returned it (money and contact fields removed for members).' }),
      fetchedAt: Type.Optional(Time),
      expiresAt: Type.Optional(Time),
    }),
  ),
  nextCursor: OrNull(Type.String()),
});
