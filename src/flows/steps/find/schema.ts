import { Type, type TSchema } from '@sinclair/typebox';
import { literals, strict } from '../../condition-schema.js';
import { FIND_ENTITY_KINDS, FIND_IF_MISSING } from '../../shared/flow-constants.js';
import { stepBase } from '../step-base.js';

/** Looks an entity up (the workspace cache first, then Clockify); "find or create" is ifMissing 'create'. */
export function findStepSchema<T extends TSchema>(_step?: T) {
  return Type.Object(
    {
      ...stepBase,
      kind: Type.Literal('find'),
      entity: literals(FIND_ENTITY_KINDS),
      by: Type.Object(
        {
          field: Type.String({ minLength: 1, maxLength: 40, description: "The entity's field to match: id, name, email (users)" }),
          value: Type.String({ maxLength: 500, description: 'The value to match (a template); names match ignoring case' }),
        },
        strict,
      ),
      projectId: Type.Optional(
        Type.String({ minLength: 1, maxLength: 200, description: 'The project (a template) whose tasks are searched; required for tasks' }),
      ),
      ifMissing: literals(FIND_IF_MISSING),
      create: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          maxProperties: 20,
          description: "Extra body fields when creating (ifMissing 'create' only); strings may be templates",
        }),
      ),
    },
    strict,
  );
}
