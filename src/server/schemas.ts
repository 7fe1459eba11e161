import { Type } from '@sinclair/typebox';

/** What the operations routes answer (Fastify serializes by these: a field not named here never leaves). */

export const Liveness = Type.Object({ status: Type.Literal('ok'), edition: Type.String() });

const Check = Type.Object({
  name: Type.String(),
  ok: Type.Boolean(),
  degraded: Type.Optional(Type.Boolean({ description: 'Working, with less than normal (Redis down: the rate budget is per instance).' })),
  detail: Type.Optional(Type.String()),
  durationMs: Type.Number(),
});

export const Ready = Type.Object({ status: Type.Literal('ready'), checks: Type.Array(Check) });

/** /ready's 503: a problem document that also lists the checks. */
export const NotReady = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  checks: Type.Array(Check),
});

/** /health in the Clockify add-on style; the same shape with 503 when a check fails. */
export const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  addon: Type.String(),
  edition: Type.String(),
  version: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  timestamp: Type.String({ format: 'date-time' }),
  checks: Type.Record(Type.String(), Type.String(), { description: '"ok", "degraded: …" or "failing: …" per check.' }),
  rateBudget: Type.String({ description: 'Where the Clockify rate budget is counted.' }),
});

/** GET / as JSON: the shape the original Python service answered, plus links. */
export const ServiceDescription = Type.Object({
  name: Type.String(),
  version: Type.String(),
  status: Type.Literal('running'),
  endpoints: Type.Record(Type.String(), Type.String()),
  edition: Type.String(),
  addonKey: Type.String(),
  description: Type.String(),
  manifestUrl: Type.String(),
  docsUrl: Type.String(),
  healthUrl: Type.String(),
  sidebar: Type.String({ description: 'How the sidebar is opened.' }),
});
