import { Type, type TSchema } from '@sinclair/typebox';
import { strict } from '../../condition-schema.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { actionBase } from '../step-base.js';

/** Calls one Clockify operation of the catalog (`step` is unused: this kind holds no steps). */
export function clockifyStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...actionBase,
      kind: Type.Literal('clockify'),
      operationId: Type.String({ minLength: 1, maxLength: 100 }),
      params: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          maxProperties: FLOW_LIMITS.params,
          description: 'Path and query parameters: constants or template strings. workspaceId is filled in automatically.',
        }),
      ),
      body: Type.Optional(Type.Unknown({ description: 'JSON body; any string in it may be a template' })),
    },
    strict,
  );
}
