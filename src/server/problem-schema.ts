import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';

/**
 * The one error answer of every route (RFC 9457, built by problems.ts), as a response schema:
 * the HTTP shell adds it for 4xx and 5xx to every route that declares its answers (app.ts),
 * so /docs and the sidebar's generated types know it and nothing else can leave in an error.
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A stable URL naming the kind of problem.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong, for people.' }),
    instance: Type.Optional(Type.String({ description: 'The path that was asked for.' })),
    requestId: Type.Optional(Type.String({ description: 'Names the request in our logs.' })),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), { description: 'The bad fields of a request.' }),
    ),
  },
  { title: 'Problem' },
);

/** Adds the problem answer for 4xx and 5xx to a route's declared answers (an exact status a route declares still wins). */
export function withProblemAnswers(response: Record<string, TSchema | unknown>): Record<string, unknown> {
  return { '4xx': ProblemSchema, '5xx': ProblemSchema, ...response };
}

/** A 204's answer: no body. */
export const NoContent = Type.Null({ description: 'No content.' });
