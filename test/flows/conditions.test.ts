import { describe, expect, it } from 'vitest';
import { compileJsonPath } from '../../src/flows/condition-path.js';
import { evaluateConditions } from '../../src/flows/conditions.js';
import type { Condition, ConditionGroup } from '../../src/flows/model.js';
import { readResourceJson } from '../../src/resources.js';

const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
const timeEntry = samples.NEW_TIME_ENTRY;

const event = {
  projectId: 'p1',
  description: 'Fix urgent bug',
  emptyText: '',
  nothing: null,
  emptyList: [],
  emptyObject: {},
  count: 5,
  countText: '5',
  billable: true,
  tags: [
    { id: 't1', name: 'Urgent' },
    { id: 't2', name: 'Backend' },
  ],
  tagIds: ['t1', 't2'],
  start: '2024-05-01T09:00:00Z',
  duration: 'PT1H30M',
  nested: { deep: { value: 1 } },
};

function holds(condition: Condition, input: unknown = event): boolean {
  return evaluateConditions({ mode: 'all', rules: [condition] }, input).matched;
}

describe('operators', () => {
  it.each<[string, Condition, boolean]>([
    ['equals string', { path: '$.projectId', op: 'equals', value: 'p1' }, true],
    ['equals other string', { path: '$.projectId', op: 'equals', value: 'p2' }, false],
    ['equals is case-sensitive', { path: '$.projectId', op: 'equals', value: 'P1' }, false],
    ['equals number to numeric string', { path: '$.count', op: 'equals', value: '5' }, true],
    ['equals numeric string to number', { path: '$.countText', op: 'equals', value: 5 }, true],
    ['equals number to "5.0"', { path: '$.count', op: 'equals', value: '5.0' }, true],
    ['equals number to non-numeric string', { path: '$.count', op: 'equals', value: '5 apples' }, false],
    ['equals boolean is strict', { path: '$.billable', op: 'equals', value: 'true' }, false],
    ['equals boolean', { path: '$.billable', op: 'equals', value: true }, true],
    ['equals deep object', { path: '$.nested', op: 'equals', value: { deep: { value: 1 } } }, true],
    ['equals deep object differs', { path: '$.nested', op: 'equals', value: { deep: { value: 2 } } }, false],
    ['equals array', { path: '$.tagIds', op: 'equals', value: ['t1', 't2'] }, true],
    ['equals array order matters', { path: '$.tagIds', op: 'equals', value: ['t2', 't1'] }, false],
    ['equals null', { path: '$.nothing', op: 'equals', value: null }, true],
    ['equals on missing path', { path: '$.missing', op: 'equals', value: null }, false],
    ['equals any of several matches', { path: '$.tags[*].id', op: 'equals', value: 't2' }, true],
    ['not_equals', { path: '$.projectId', op: 'not_equals', value: 'p2' }, true],
    ['not_equals same', { path: '$.projectId', op: 'not_equals', value: 'p1' }, false],
    ['not_equals on missing path', { path: '$.missing', op: 'not_equals', value: 'x' }, true],
    ['not_equals needs no match among several', { path: '$.tags[*].id', op: 'not_equals', value: 't2' }, false],
    ['not_equals none of several', { path: '$.tags[*].id', op: 'not_equals', value: 't3' }, true],
    ['exists', { path: '$.projectId', op: 'exists' }, true],
    ['exists null value', { path: '$.nothing', op: 'exists' }, true],
    ['exists missing', { path: '$.missing', op: 'exists' }, false],
    ['not_exists missing', { path: '$.missing', op: 'not_exists' }, true],
    ['not_exists present', { path: '$.emptyText', op: 'not_exists' }, false],
    ['not_exists with filter selecting nothing', { path: '$.tags[?@.name == "None"]', op: 'not_exists' }, true],
    ['empty string', { path: '$.emptyText', op: 'empty' }, true],
    ['empty null', { path: '$.nothing', op: 'empty' }, true],
    ['empty array', { path: '$.emptyList', op: 'empty' }, true],
    ['empty object', { path: '$.emptyObject', op: 'empty' }, true],
    ['empty missing', { path: '$.missing', op: 'empty' }, true],
    ['empty on text', { path: '$.description', op: 'empty' }, false],
    ['empty on zero is false', { path: '$.zero', op: 'empty' }, false],
    ['empty on false is false', { path: '$.no', op: 'empty' }, false],
    ['not_empty on text', { path: '$.description', op: 'not_empty' }, true],
    ['not_empty on []', { path: '$.emptyList', op: 'not_empty' }, false],
    ['not_empty on missing', { path: '$.missing', op: 'not_empty' }, false],
    ['contains substring', { path: '$.description', op: 'contains', value: 'urgent' }, true],
    ['contains is case-sensitive', { path: '$.description', op: 'contains', value: 'URGENT' }, false],
    ['contains number in string', { path: '$.version', op: 'contains', value: 2 }, true],
    ['contains array element', { path: '$.tagIds', op: 'contains', value: 't2' }, true],
    ['contains array element missing', { path: '$.tagIds', op: 'contains', value: 't3' }, false],
    ['contains object element', { path: '$.tags', op: 'contains', value: { id: 't1', name: 'Urgent' } }, true],
    ['contains on number', { path: '$.count', op: 'contains', value: 5 }, false],
    ['in', { path: '$.projectId', op: 'in', value: ['p0', 'p1'] }, true],
    ['in not listed', { path: '$.projectId', op: 'in', value: ['p0'] }, false],
    ['in with numeric leniency', { path: '$.count', op: 'in', value: ['4', '5'] }, true],
    ['in with non-array value', { path: '$.projectId', op: 'in', value: 'p1' }, false],
    ['gt number', { path: '$.count', op: 'gt', value: 4 }, true],
    ['gt equal number', { path: '$.count', op: 'gt', value: 5 }, false],
    ['gte equal number', { path: '$.count', op: 'gte', value: 5 }, true],
    ['lt numeric string', { path: '$.countText', op: 'lt', value: 10 }, true],
    ['lt compares numerically, not as text', { path: '$.count', op: 'lt', value: '10' }, true],
    ['lte number', { path: '$.count', op: 'lte', value: 4.5 }, false],
    ['gt date', { path: '$.start', op: 'gt', value: '2024-04-30T23:59:59Z' }, true],
    ['gt date with offset', { path: '$.start', op: 'gt', value: '2024-05-01T10:30:00+02:00' }, true],
    ['lt date-only', { path: '$.start', op: 'lt', value: '2024-05-02' }, true],
    ['gte duration', { path: '$.duration', op: 'gte', value: 'PT1H' }, true],
    ['lt duration', { path: '$.duration', op: 'lt', value: 'PT90M' }, false],
    ['lte duration', { path: '$.duration', op: 'lte', value: 'PT90M' }, true],
    ['gt text is not ordered', { path: '$.description', op: 'gt', value: 'A' }, false],
    ['gt mixed kinds do not hold', { path: '$.start', op: 'gt', value: 5 }, false],
    ['gt on missing', { path: '$.missing', op: 'gt', value: 0 }, false],
    ['gt any of several', { path: '$.numbers[*]', op: 'gt', value: 2 }, true],
    ['matches', { path: '$.description', op: 'matches', value: '^Fix\\s+\\w+' }, true],
    ['matches fails', { path: '$.description', op: 'matches', value: '^bug' }, false],
    ['matches ignoreCase', { path: '$.description', op: 'matches', value: { pattern: 'URGENT', ignoreCase: true } }, true],
    ['matches number as text', { path: '$.count', op: 'matches', value: '^\\d$' }, true],
    ['matches on object is false', { path: '$.nested', op: 'matches', value: '.*' }, false],
    ['matches with refused pattern', { path: '$.description', op: 'matches', value: '(a+)+' }, false],
    ['matches any of several', { path: '$.tags[*].name', op: 'matches', value: '^Back' }, true],
  ])('%s', (_label, condition, expected) => {
    const input = { ...event, zero: 0, no: false, version: 'v2.1', numbers: [1, 3] };
    expect(holds(condition, input)).toBe(expected);
  });
});

describe('groups', () => {
  const yes: Condition = { path: '$.projectId', op: 'equals', value: 'p1' };
  const no: Condition = { path: '$.projectId', op: 'equals', value: 'nope' };

  it.each<[string, ConditionGroup, boolean]>([
    ['all true', { mode: 'all', rules: [yes, yes] }, true],
    ['all with one false', { mode: 'all', rules: [yes, no] }, false],
    ['any with one true', { mode: 'any', rules: [no, yes] }, true],
    ['any all false', { mode: 'any', rules: [no, no] }, false],
    ['empty all group holds', { mode: 'all', rules: [] }, true],
    ['empty any group holds', { mode: 'any', rules: [] }, true],
    ['nested any inside all', { mode: 'all', rules: [yes, { mode: 'any', rules: [no, yes] }] }, true],
    ['nested all inside any', { mode: 'any', rules: [no, { mode: 'all', rules: [yes, no] }] }, false],
    ['four levels deep', { mode: 'all', rules: [{ mode: 'all', rules: [{ mode: 'any', rules: [{ mode: 'all', rules: [yes] }] }] }] }, true],
  ])('%s', (_label, group, expected) => {
    expect(evaluateConditions(group, event).matched).toBe(expected);
  });

  it('traces every condition, including ones after a failing one, with the selected value', () => {
    const result = evaluateConditions(
      {
        mode: 'all',
        rules: [
          { path: '$.projectId', op: 'equals', value: 'other' },
          { mode: 'any', rules: [{ path: '$.tags[*].id', op: 'contains', value: 't' }] },
          { path: '$.missing', op: 'exists' },
        ],
      },
      event,
    );
    expect(result.matched).toBe(false);
    expect(result.trace).toEqual([
      { path: '$.projectId', op: 'equals', matched: false, actual: 'p1' },
      { path: '$.tags[*].id', op: 'contains', matched: true, actual: ['t1', 't2'] },
      { path: '$.missing', op: 'exists', matched: false },
    ]);
  });

  it('shortens large values in the trace', () => {
    const result = evaluateConditions({ mode: 'all', rules: [{ path: '$.big', op: 'exists' }] }, { big: 'x'.repeat(5000) });
    expect(result.matched).toBe(true);
    expect(String(result.trace[0]?.actual)).toMatch(/… \(5002 characters\)$/);
  });

  it('reports an invalid path or operand in the trace instead of throwing', () => {
    const result = evaluateConditions(
      {
        mode: 'any',
        rules: [
          { path: 'projectId', op: 'exists' },
          { path: '$.description', op: 'matches', value: '(?<=x)y' },
          { path: '$.projectId', op: 'bogus' as 'equals' },
        ],
      },
      event,
    );
    expect(result.matched).toBe(false);
    expect(result.trace.map((entry) => Boolean(entry.error))).toEqual([true, true, true]);
  });

  it('works on a real Clockify NEW_TIME_ENTRY payload', () => {
    const group: ConditionGroup = {
      mode: 'all',
      rules: [
        { path: '$.projectId', op: 'equals', value: '5f11849d4e759e12c40733d5' },
        { path: '$.timeInterval.duration', op: 'gte', value: 'PT1H' },
        { path: "$.tags[?@.name == 'Tag'].id", op: 'in', value: ['5f118b747db7a8637ffcaf33'] },
        { path: '$.project.clientName', op: 'matches', value: '^Cli' },
        { path: '$.description', op: 'not_empty' },
      ],
    };
    expect(evaluateConditions(group, timeEntry).matched).toBe(true);
  });

  it('never throws on odd inputs', () => {
    const group: ConditionGroup = {
      mode: 'all',
      rules: [
        { path: '$..x', op: 'exists' },
        { path: '$.a', op: 'equals', value: 1 },
      ],
    };
    for (const input of [undefined, null, 42, 'text', [], () => 1, Symbol('s'), new Map(), Object.create(null)]) {
      expect(() => evaluateConditions(group, input)).not.toThrow();
    }
    expect(() => evaluateConditions(null as unknown as ConditionGroup, event)).not.toThrow();
    expect(evaluateConditions({ mode: 'all', rules: 'nope' } as unknown as ConditionGroup, event).matched).toBe(false);
  });

  it('does not read inherited properties', () => {
    expect(holds({ path: '$.constructor', op: 'exists' }, {})).toBe(false);
    expect(holds({ path: "$['__proto__']", op: 'exists' }, {})).toBe(false);
    expect(holds({ path: '$.toString', op: 'exists' }, {})).toBe(false);
  });
});

describe('compileJsonPath', () => {
  it.each([
    ['$.projectId', true],
    ['$.tags[0].id', true],
    ['$.tags[-1].id', true],
    ["$['with space']", true],
    ['$..id', true],
    ['$.tags[*].name', true],
    ['$.tags[?@.name == "x"].id', true],
    ['$.tags[?length(@.name) > 3]', true],
    ['projectId', false],
    ['$.', false],
    ['$[', false],
    ['$.tags[?match(@.name, "a+")]', false],
    ['$.tags[?search(@.name, "a")]', false],
    ['$.tags[?foo(@.name)]', false],
    [`$.${'a'.repeat(600)}`, false],
  ])('%s → valid=%s', (path, valid) => {
    expect(compileJsonPath(path).ok).toBe(valid);
  });

  it('gives the position of a syntax error', () => {
    const result = compileJsonPath('$.a..');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/position \d+/);
  });

  it('evaluates simple and complex paths the same way', () => {
    const doc = { a: [{ b: 1 }, { b: 2 }] };
    const simple = compileJsonPath('$.a[1].b');
    const complex = compileJsonPath('$.a[?@.b == 2].b');
    expect(simple.ok && simple.evaluate(doc)).toEqual([2]);
    expect(complex.ok && complex.evaluate(doc)).toEqual([2]);
    expect(simple.ok && simple.evaluate({ a: { 1: { b: 5 } } })).toEqual([]);
  });
});
