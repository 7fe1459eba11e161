/** The condition group schema, apart from model.ts so step schemas (onlyIf, branch) can use it without an import cycle. */
import { Type, type Static } from '@sinclair/typebox';
import { CONDITION_OPERATORS, FLOW_LIMITS } from './shared/flow-constants.js';

export const strict = { additionalProperties: false } as const;

export function literals<T extends string>(values: readonly T[]) {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

export const ConditionSchema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      maxLength: FLOW_LIMITS.pathLength,
      description: "RFC 9535 JSONPath into the event, e.g. '$.projectId'",
    }),
    op: literals(CONDITION_OPERATORS),
    value: Type.Optional(
      Type.Unknown({
        description:
          "Operand: any JSON for equals/contains, an array for 'in', a number or ISO date/duration for gt/gte/lt/lte, a pattern string (or { pattern, ignoreCase }) for 'matches'",
      }),
    ),
  },
  strict,
);
export type Condition = Static<typeof ConditionSchema>;

export const ConditionGroupSchema = Type.Recursive(
  (This) =>
    Type.Object(
      {
        mode: literals(['all', 'any'] as const),
        rules: Type.Array(Type.Union([ConditionSchema, This]), { maxItems: FLOW_LIMITS.rulesPerGroup }),
      },
      strict,
    ),
  {
    $id: 'FlowConditionGroup',
    description: `Nested at most ${FLOW_LIMITS.conditionDepth} levels deep; a group without rules always holds`,
  },
);
export type ConditionGroup = Static<typeof ConditionGroupSchema>;
