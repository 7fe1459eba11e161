/**
 * The evaluation budget is spent while conditions run: a JSONPath that descends again and again,
 * many values selected, or `matches` rules over long text stop at a fixed amount of work, say which
 * limit they hit, and do not match. Deterministic: the limits are counts, not times.
 */
import { describe, expect, it } from 'vitest';
import { compileJsonPath, countingPushes, queryThroughView } from '../../src/flows/condition-path.js';
import { evaluateConditions } from '../../src/flows/conditions.js';
import { BudgetExceededError, EVALUATION_LIMITS, EvaluationBudget } from '../../src/flows/evaluation-budget.js';

/** A tree `levels` deep: `{ a: { a: … }, n: [i, i + 1] }`. */
function deepTree(levels: number): unknown {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) node = { a: node, n: [i, i + 1] };
  return node;
}

const limits = (overrides: Partial<Record<keyof typeof EVALUATION_LIMITS, number>>): Record<keyof typeof EVALUATION_LIMITS, number> => ({
  ...EVALUATION_LIMITS,
  ...overrides,
});

describe('JSONPath budget', () => {
  it("charges the library's work list (the fast way) in this build", () => {
    expect(countingPushes).toBe(true);
  });

  it('stops `$..*..*..*…` over a deep event at the node limit, naming it', () => {
    const compiled = compileJsonPath(`$${'..*'.repeat(8)}`);
    if (!compiled.ok) throw new Error(compiled.message);
    const budget = new EvaluationBudget(limits({ pathNodes: 5_000 }));
    expect(() => compiled.evaluate(deepTree(60), budget)).toThrow(BudgetExceededError);
    expect(() => compiled.evaluate(deepTree(60), new EvaluationBudget(limits({ pathNodes: 5_000 })))).toThrow(
      /more than 5000 nodes .*pathNodes/,
    );
  });

  it('gives the same answers as without a budget when the path stays within it', () => {
    const event = {
      items: [
        { id: 1, tags: [{ id: 't1' }] },
        { id: 2, tags: [] },
      ],
      id: 0,
    };
    const compiled = compileJsonPath('$..id');
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.evaluate(event, new EvaluationBudget()).sort()).toEqual([0, 1, 2, 't1'].sort());
  });

  it('refuses more selected values than the result limit', () => {
    const compiled = compileJsonPath('$.items[*]');
    if (!compiled.ok) throw new Error(compiled.message);
    const event = { items: Array.from({ length: 101 }, (_, i) => i) };
    expect(() => compiled.evaluate(event, new EvaluationBudget(limits({ pathResults: 100 })))).toThrow(
      /more than 100 values .*pathResults/,
    );
    expect(compiled.evaluate(event, new EvaluationBudget(limits({ pathResults: 101 })))).toHaveLength(101);
  });

  it('counts through proxies the same way when the library cannot be instrumented', () => {
    expect(() => queryThroughView(deepTree(60), `$${'..*'.repeat(8)}`, new EvaluationBudget(limits({ pathNodes: 5_000 })))).toThrow(
      /pathNodes/,
    );
    const selected = queryThroughView({ a: { b: [1, { c: 2 }] } }, '$..c', new EvaluationBudget());
    expect(selected).toEqual([2]);
  });

  it('shares one budget across every rule of an evaluation, and the run does not match', () => {
    // Each rule alone is within the budget; together they are not.
    const rules = Array.from({ length: 10 }, () => ({ path: '$..*', op: 'exists' as const }));
    const event = deepTree(40);
    const alone = evaluateConditions({ mode: 'all', rules: rules.slice(0, 1) }, event, new EvaluationBudget(limits({ pathNodes: 600 })));
    expect(alone.exceeded).toBeUndefined();
    const result = evaluateConditions({ mode: 'all', rules }, event, new EvaluationBudget(limits({ pathNodes: 600 })));
    expect(result.matched).toBe(false);
    expect(result.exceeded?.limit).toBe('pathNodes');
    expect(result.trace.at(-1)?.error).toContain('pathNodes');
  });
});

describe('regex budget', () => {
  it('stops `matches` rules once their characters, all rules together, pass the limit', () => {
    const rules = Array.from({ length: 5 }, (_, i) => ({ path: '$.text', op: 'matches' as const, value: `z${i}` }));
    const event = { text: 'a'.repeat(10_000) };
    const within = evaluateConditions({ mode: 'any', rules }, event, new EvaluationBudget(limits({ regexCharacters: 50_000 })));
    expect(within.exceeded).toBeUndefined();
    const over = evaluateConditions({ mode: 'any', rules }, event, new EvaluationBudget(limits({ regexCharacters: 49_999 })));
    expect(over).toMatchObject({ matched: false, exceeded: { limit: 'regexCharacters' } });
  });

  it('charges at most the 10,000 characters a rule looks at per value', () => {
    const event = { text: 'a'.repeat(1_000_000) };
    const result = evaluateConditions(
      { mode: 'all', rules: [{ path: '$.text', op: 'matches', value: 'a$' }] },
      event,
      new EvaluationBudget(limits({ regexCharacters: 10_000 })),
    );
    expect(result).toMatchObject({ matched: true });
    expect(result.exceeded).toBeUndefined();
  });
});

describe('trace values', () => {
  it('shortens the values a descendant path selects without serialising them all', () => {
    const result = evaluateConditions({ mode: 'all', rules: [{ path: '$..*', op: 'exists' }] }, deepTree(100));
    expect(result.matched).toBe(true);
    expect(String(result.trace[0]?.actual)).toMatch(/… \(more than 1000 characters\)$/);
  });
});
