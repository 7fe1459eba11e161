import { Type, type TSchema } from '@sinclair/typebox';
import { strict } from '../../condition-schema.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

const MAX_MINUTES = FLOW_LIMITS.waitDays * 24 * 60;

/** Parks the run durably and resumes it later (after restarts, on any instance). Exactly one of for/until. */
export function waitStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('wait'),
      for: Type.Optional(
        Type.Object(
          {
            minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_MINUTES })),
            hours: Type.Optional(Type.Integer({ minimum: 0, maximum: FLOW_LIMITS.waitDays * 24 })),
            days: Type.Optional(Type.Integer({ minimum: 0, maximum: FLOW_LIMITS.waitDays })),
          },
          strict,
        ),
      ),
      until: Type.Optional(
        Type.String({ minLength: 1, maxLength: 200, description: 'An ISO 8601 date-time (a template), at most waitDays ahead' }),
      ),
    },
    strict,
  );
}
