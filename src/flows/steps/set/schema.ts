import { Type, type TSchema } from '@sinclair/typebox';
import { strict } from '../../condition-schema.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

/** Names values (templates allowed) that later steps read as steps.<id>.<name>. */
export function setStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('set'),
      values: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }), Type.Unknown(), {
        minProperties: 1,
        maxProperties: FLOW_LIMITS.setValues,
        description: 'name → value; any string in a value may be a template',
      }),
    },
    strict,
  );
}
