import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/flows/conditions.js';
import { CONDITION_OPERATORS, type ConditionGroup } from '../../src/flows/model.js';
import { parseTemplate, renderValue, templateReferences, type TemplateContext } from '../../src/flows/templates.js';
import { validateFlowDefinition } from '../../src/flows/validate.js';
import { catalogFromOpenApi } from './openapi-catalog.js';

const settings = { seed: 424242, numRuns: 300 };

const pathArbitrary = fc.oneof(
  fc.constantFrom('$', '$.a', '$.a.b', '$.a[0]', '$..a', '$.*', '$.a[?@.b > 1]', '$.a[-1]', "$['x y']", '$[?length(@) > 2]', '$..*'),
  fc.string({ maxLength: 20 }).map((s) => `$.${s}`),
  fc.string({ maxLength: 20 }),
);

const conditionArbitrary = fc.record({
  path: pathArbitrary,
  op: fc.oneof(fc.constantFrom(...CONDITION_OPERATORS), fc.string({ maxLength: 6 })),
  value: fc.oneof(
    fc.anything(),
    fc.string({ unit: fc.constantFrom('a', '*', '+', '(', ')', '|', '\\', '[', ']', '?', '{', '}', '1', ','), maxLength: 12 }),
  ),
});

const { group: groupArbitrary } = fc.letrec<{ group: unknown; rule: unknown }>((tie) => ({
  group: fc.record({ mode: fc.oneof(fc.constantFrom('all', 'any'), fc.anything()), rules: fc.array(tie('rule'), { maxLength: 4 }) }),
  rule: fc.oneof({ depthSize: 'small', withCrossShrink: true }, conditionArbitrary, tie('group'), fc.anything()),
}));

const eventArbitrary = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.record({ a: fc.jsonValue(), b: fc.jsonValue() }),
);

const templateText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .array(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(
          '{{',
          '}}',
          '\\{{',
          '{{ event.a }}',
          '{{ steps.x.body[0] | default:"y" }}',
          '|',
          '"',
          "'",
          '[',
          ']',
          '.',
          ' json',
          'default:',
          '__proto__',
        ),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

describe('properties', () => {
  it('evaluateConditions never throws and always returns a boolean', () => {
    fc.assert(
      fc.property(groupArbitrary, eventArbitrary, (group, event) => {
        const result = evaluateConditions(group as ConditionGroup, event);
        expect(typeof result.matched).toBe('boolean');
        expect(Array.isArray(result.trace)).toBe(true);
      }),
      settings,
    );
  });

  it('an "all" group holds exactly when each of its conditions holds alone', () => {
    fc.assert(
      fc.property(fc.array(conditionArbitrary, { minLength: 1, maxLength: 4 }), fc.jsonValue(), (rules, event) => {
        const all = evaluateConditions({ mode: 'all', rules } as ConditionGroup, event).matched;
        const each = rules.map((rule) => evaluateConditions({ mode: 'all', rules: [rule] } as ConditionGroup, event).matched);
        expect(all).toBe(each.every(Boolean));
        expect(evaluateConditions({ mode: 'any', rules } as ConditionGroup, event).matched).toBe(each.some(Boolean));
      }),
      settings,
    );
  });

  it('parseTemplate never throws, and a valid template reports a position only on failure', () => {
    fc.assert(
      fc.property(templateText, (text) => {
        const result = parseTemplate(text);
        if (!result.ok) {
          expect(result.position).toBeGreaterThanOrEqual(0);
          expect(result.position).toBeLessThanOrEqual(text.length);
        }
      }),
      settings,
    );
  });

  it('renderValue never throws on any value and context', () => {
    const context = fc.record({
      event: eventArbitrary,
      workspace: fc.constant({ id: 'ws' }),
      steps: fc.dictionary(fc.string({ maxLength: 5 }), fc.anything()),
    });
    const value = fc.oneof(
      templateText,
      fc.array(templateText, { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 5 }), templateText),
      fc.anything(),
    );
    fc.assert(
      fc.property(value, context, (input, ctx) => {
        const result = renderValue(input, ctx as TemplateContext);
        expect(Array.isArray(result.missing)).toBe(true);
        templateReferences(input);
      }),
      settings,
    );
  });

  it('text without "{{" renders unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 50 }).filter((s) => !s.includes('{{')),
        (text) => {
          expect(renderValue(text, {})).toEqual({ ok: true, value: text, missing: [] });
        },
      ),
      settings,
    );
  });

  it('validateFlowDefinition never throws on arbitrary input', () => {
    const catalog = catalogFromOpenApi();
    const ctx = { allowedEvents: ['NEW_PROJECT'], httpActionsEnabled: true, catalog };
    const flowish = fc.record(
      {
        name: fc.oneof(fc.string(), fc.anything()),
        enabled: fc.oneof(fc.boolean(), fc.anything()),
        trigger: fc.oneof(
          fc.record({ kind: fc.constantFrom('clockify', 'custom'), events: fc.anything(), sourceId: fc.anything() }),
          fc.anything(),
        ),
        conditions: groupArbitrary,
        actions: fc.array(
          fc.oneof(
            fc.record({
              id: fc.string(),
              kind: fc.constant('clockify'),
              operationId: fc.constantFrom('createTask', 'getTags', 'x'),
              params: fc.anything(),
              body: fc.anything(),
            }),
            fc.record({
              id: fc.string(),
              kind: fc.constant('http'),
              method: fc.string(),
              url: templateText,
              headers: fc.anything(),
              body: fc.anything(),
            }),
            fc.anything(),
          ),
          { maxLength: 4 },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(flowish, fc.anything()), (input) => {
        const result = validateFlowDefinition(input, ctx);
        expect(typeof result.ok).toBe('boolean');
      }),
      settings,
    );
  });
});
