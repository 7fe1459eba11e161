import { Type, type TSchema } from '@sinclair/typebox';
import { literals, strict } from '../../condition-schema.js';
import { FLOW_LIMITS, HTTP_METHODS } from '../../shared/flow-constants.js';
import { actionBase } from '../step-base.js';

/** Calls an outside HTTP endpoint (when the workspace enabled HTTP actions). */
export function httpStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...actionBase,
      kind: Type.Literal('http'),
      method: literals(HTTP_METHODS),
      url: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.urlLength, description: 'http(s) URL; templates allowed after the scheme' }),
      headers: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 4_096 }), { maxProperties: FLOW_LIMITS.headers })),
      body: Type.Optional(Type.Unknown()),
      credential: Type.Optional(
        Type.String({
          pattern: '^[A-Za-z][A-Za-z0-9_]{0,59}$',
          description:
            'A credential of the workspace put into the request by its kind: a header, Authorization: Bearer/Basic, or a query parameter',
        }),
      ),
    },
    strict,
  );
}
