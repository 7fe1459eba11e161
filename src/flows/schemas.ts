import { Type } from '@sinclair/typebox';
import { FlowDefinitionResponseSchema, TriggerSchema } from './model.js';

/**
 * What the flows routes answer (Fastify serializes by these: a field not named here never leaves).
 * A flow's definition is the model's own schema, so a new action kind shows up here and in the
 * sidebar's generated types without a copy.
 */

const Time = Type.Number({ description: 'Milliseconds since the epoch.' });

export const FlowView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  definition: FlowDefinitionResponseSchema,
  trigger: TriggerSchema,
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
  updatedAt: Time,
  lastRunStatus: Type.Union([Type.String(), Type.Null()]),
  lastRunAt: Type.Union([Time, Type.Null()]),
});
export const FlowList = Type.Object({ flows: Type.Array(FlowView) });
export const OneFlow = Type.Object({ flow: FlowView });

/** A run's outcome so far; `waiting`: parked by a wait step. */
export const FLOW_RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'skipped', 'dead'] as const;
export const RunStatus = Type.Union(FLOW_RUN_STATUSES.map((status) => Type.Literal(status)));

export const FlowRunView = Type.Object({
  id: Type.String(),
  flowId: Type.String(),
  flowVersion: Type.Integer(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  status: RunStatus,
  matched: Type.Boolean(),
  trace: Type.Unknown({ description: 'How each condition evaluated (null for members).' }),
  error: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.String(), Type.Null()]),
  startedAt: Time,
  finishedAt: Type.Union([Time, Type.Null()]),
});
export const RunPage = Type.Object({ runs: Type.Array(FlowRunView), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const ActionResultView = Type.Object({
  actionId: Type.String(),
  position: Type.Integer(),
  status: Type.Union(['pending', 'succeeded', 'failed', 'skipped', 'unknown', 'waiting'].map((status) => Type.Literal(status))),
  request: Type.Unknown({ description: 'What was sent (null for members).' }),
  response: Type.Unknown({ description: 'What came back (null for members).' }),
  attempts: Type.Integer(),
  durationMs: Type.Number(),
  createdAt: Time,
});
export const RunDetail = Type.Object({ run: FlowRunView, actions: Type.Array(ActionResultView) });

export const TemplateList = Type.Object({
  templates: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      description: Type.String(),
      requiredInputs: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), type: Type.String() })),
    }),
  ),
});

/** One step of a dry run; branches and loops hold their steps' views in `children`. */
export const DryRunStepSchema = Type.Recursive(
  (This) =>
    Type.Object({
      actionId: Type.String(),
      path: Type.String({ description: "Where the step sits: its id, or e.g. 'loop[0].tagIt' inside a loop" }),
      kind: Type.String(),
      request: Type.Unknown({ description: 'The rendered request; nothing is sent.' }),
      missing: Type.Array(Type.String(), { description: 'Template references that had no value.' }),
      error: Type.Optional(Type.String()),
      note: Type.Optional(
        Type.String({ description: "What the step would do, in words (a wait's resume time, a find's cache hit, a branch's arm)." }),
      ),
      children: Type.Optional(Type.Array(This)),
    }),
  { $id: 'FlowDryRunStep' },
);

export const DryRunResult = Type.Object({
  matched: Type.Boolean(),
  trace: Type.Array(
    Type.Object({
      path: Type.String(),
      op: Type.String(),
      matched: Type.Boolean(),
      actual: Type.Optional(Type.Unknown()),
      error: Type.Optional(Type.String()),
    }),
  ),
  actions: Type.Array(DryRunStepSchema),
});

export const EventSample = Type.Object({
  eventType: Type.String(),
  source: Type.Union([Type.Literal('latest-event'), Type.Literal('bundled-sample')]),
  payload: Type.Unknown(),
});
