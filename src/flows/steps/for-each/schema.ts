import { Type, type TSchema } from '@sinclair/typebox';
import { strict } from '../../condition-schema.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

/** Runs its steps once per item of a list; inside, `item` and `loop` (index, count) are template roots. */
export function forEachStepSchema<T extends TSchema>(step: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('for-each'),
      items: Type.String({
        minLength: 1,
        maxLength: FLOW_LIMITS.pathLength,
        description: "A template yielding a list, e.g. '{{ event.tags }}', or a JSONPath such as '$.event.tags'",
      }),
      maxItems: Type.Optional(
        Type.Integer({
          minimum: 1,
          maximum: FLOW_LIMITS.forEachItems,
          description: `Most items gone through (default ${FLOW_LIMITS.forEachItems}); more fail the step`,
        }),
      ),
      steps: Type.Array(step, { minItems: 1, maxItems: FLOW_LIMITS.stepsTotal }),
    },
    strict,
  );
}
