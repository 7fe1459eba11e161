/** The response of GET /ui/flows/runs/:runId: the run and one record per executed step (serialized by Fastify from this schema). */
import { Type } from '@sinclair/typebox';
import { STEP_KINDS } from './shared/flow-constants.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const RunViewSchema = Type.Object({
  id: Type.String(),
  flowId: Type.String(),
  flowVersion: Type.Integer(),
  eventId: Nullable(Type.String()),
  status: Type.String({ description: 'running, waiting (parked by a wait step), succeeded, failed, skipped or dead' }),
  matched: Type.Boolean(),
  trace: Type.Unknown({ description: "The trigger conditions' evaluation (null for members)" }),
  error: Nullable(Type.String()),
  replayOf: Nullable(Type.String()),
  startedAt: Type.Number(),
  finishedAt: Type.Union([Type.Number(), Type.Null()]),
});

export const StepRecordSchema = Type.Object({
  actionId: Type.String({ description: 'The step id' }),
  path: Type.String({
    description: "Where the step sits: its id at the top level, e.g. 'loop1[3].tagIt' in a for-each, 'check.then.tagIt' in a branch",
  }),
  kind: Type.Union([Type.String({ description: STEP_KINDS.join(', ') }), Type.Null()], {
    description: 'null on records older than step kinds (a top-level action)',
  }),
  position: Type.Integer({ description: 'Order of execution in the run' }),
  status: Type.String({ description: 'pending, succeeded, failed, skipped, unknown or waiting' }),
  request: Type.Unknown({ description: 'Input: what was sent or evaluated (redacted; null for members)' }),
  response: Type.Unknown({ description: 'Output: what later steps read as steps.<id>, with the error if any (null for members)' }),
  input: Type.Unknown({
    description:
      'What the step saw: {event, trigger, item?, loop?, steps?} with only the earlier steps it refers to; secrets masked, at most 16 KB of JSON (larger parts cut to a preview). Null for members and on older records.',
  }),
  attempts: Type.Integer(),
  durationMs: Type.Number(),
  createdAt: Type.Number(),
});

export const RunDetailSchema = Type.Object({ run: RunViewSchema, actions: Type.Array(StepRecordSchema) });
