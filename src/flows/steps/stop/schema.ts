import { Type, type TSchema } from '@sinclair/typebox';
import { literals, strict } from '../../condition-schema.js';
import { STOP_OUTCOMES } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

/** Ends the run with an outcome (usually under an onlyIf or inside a branch). */
export function stopStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('stop'),
      outcome: literals(STOP_OUTCOMES),
      message: Type.Optional(
        Type.String({ maxLength: 500, description: 'Why the run stopped (a template); shown as the run error when failed' }),
      ),
    },
    strict,
  );
}
