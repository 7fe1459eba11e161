/** Fields every step has, and the extra ones of the action kinds (which call something outside). */
import { Type } from '@sinclair/typebox';
import { ConditionGroupSchema } from '../condition-schema.js';
import { ACTION_ID_PATTERN, FLOW_LIMITS } from '../shared/flow-constants.js';

export const stepBase = {
  id: Type.String({
    pattern: ACTION_ID_PATTERN,
    description: 'Unique in the whole flow (nested steps included); later steps read its result as steps.<id>',
  }),
  name: Type.Optional(Type.String({ maxLength: 100 })),
  /** "Only if": evaluated over the run context ($.event..., $.steps.<id>..., $.item...); false records the step as skipped. */
  onlyIf: Type.Optional(ConditionGroupSchema),
};

const RetrySchema = Type.Object(
  {
    attempts: Type.Integer({ minimum: 1, maximum: FLOW_LIMITS.retryAttempts }),
    backoffMs: Type.Integer({ minimum: 0, maximum: FLOW_LIMITS.retryBackoffMs }),
  },
  { additionalProperties: false },
);

export const actionBase = {
  ...stepBase,
  continueOnFailure: Type.Optional(Type.Boolean()),
  retry: Type.Optional(RetrySchema),
};
