import { Type, type TSchema } from '@sinclair/typebox';
import { ConditionGroupSchema, strict } from '../../condition-schema.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

/** Runs `then` when the condition holds, otherwise `else`. `step` is the schema of a nested step. */
export function branchStepSchema<T extends TSchema>(step: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('branch'),
      if: ConditionGroupSchema,
      then: Type.Array(step, { maxItems: FLOW_LIMITS.stepsTotal }),
      else: Type.Optional(Type.Array(step, { maxItems: FLOW_LIMITS.stepsTotal })),
    },
    strict,
  );
}
