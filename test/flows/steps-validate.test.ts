/**
 * Issue 23's step kinds as the validator sees them: nesting, limits, ids across levels, references to
 * earlier steps only, the loop roots only inside a for-each, and each kind's own rules. Issue 20: the
 * registry, STEP_KINDS and the folders under src/flows/steps/ agree.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOCKIFY_EVENTS_FOR_TESTS } from './events.js';
import { catalogFromOpenApi } from './openapi-catalog.js';
import { validateFlowDefinition, type FlowValidationContext } from '../../src/flows/validate.js';
import { FLOW_LIMITS, STEP_KINDS } from '../../src/flows/shared/flow-constants.js';
import { STEP_REGISTRY } from '../../src/flows/steps/registry.js';

const ctx: FlowValidationContext = { allowedEvents: CLOCKIFY_EVENTS_FOR_TESTS, httpActionsEnabled: true, catalog: catalogFromOpenApi() };

const flow = (actions: unknown[]) => ({
  name: 'steps',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules: [] },
  actions,
});
const tag = (id: string, name = '{{ event.description }}') => ({ id, kind: 'clockify', operationId: 'createNewTag', body: { name } });
const problemsOf = (actions: unknown[]) => {
  const result = validateFlowDefinition(flow(actions), ctx);
  return result.ok ? [] : result.problems;
};

describe('the step registry', () => {
  it('has exactly one folder per kind in STEP_KINDS, each registered under its own name', () => {
    const root = join(import.meta.dirname, '../../src/flows/steps');
    const folders = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
    expect(folders.sort()).toEqual([...STEP_KINDS].sort());
    expect(Object.keys(STEP_REGISTRY).sort()).toEqual([...STEP_KINDS].sort());
    for (const kind of STEP_KINDS) expect(STEP_REGISTRY[kind].kind).toBe(kind);
  });

  it('keeps the shared constants module free of imports (the sidebar bundles it as is)', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(import.meta.dirname, '../../src/flows/shared/flow-constants.ts'), 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
  });
});

describe('validating steps', () => {
  it('accepts every kind, nested, with references to earlier steps and loop roots inside the loop', () => {
    const actions = [
      { id: 'names', kind: 'set', values: { list: ['a', 'b'], prefix: 'x-{{ event.id }}' } },
      { id: 'client', kind: 'find', entity: 'client', by: { field: 'name', value: 'Acme' }, ifMissing: 'create' },
      {
        id: 'check',
        kind: 'branch',
        if: { mode: 'all', rules: [{ path: '$.steps.client.id', op: 'exists' }] },
        then: [
          {
            id: 'loop',
            kind: 'for-each',
            items: '{{ steps.names.list }}',
            maxItems: 10,
            steps: [tag('tagIt', '{{ steps.names.prefix }}-{{ item }}-{{ loop.index }}')],
          },
        ],
        else: [{ id: 'quit', kind: 'stop', outcome: 'skipped', message: 'no client' }],
      },
      {
        id: 'later',
        kind: 'wait',
        for: { hours: 2 },
        onlyIf: { mode: 'all', rules: [{ path: '$.event.billable', op: 'equals', value: true }] },
      },
      { id: 'until', kind: 'wait', until: '{{ event.timeInterval.end }}' },
      {
        id: 'task',
        kind: 'find',
        entity: 'task',
        by: { field: 'name', value: 'Review' },
        projectId: '{{ event.projectId }}',
        ifMissing: 'continue',
      },
    ];
    expect(problemsOf(actions)).toEqual([]);
  });

  it('refuses a duplicate id anywhere in the tree, naming both places', () => {
    const problems = problemsOf([tag('same'), { id: 'b', kind: 'branch', if: { mode: 'all', rules: [] }, then: [tag('same')] }]);
    expect(problems).toContainEqual({ field: 'actions[1].then[0].id', message: '"same" is already used by actions[0]' });
  });

  it('refuses nesting deeper than stepDepth and more than stepsTotal steps', () => {
    const deep = {
      id: 'l1',
      kind: 'branch',
      if: { mode: 'all', rules: [] },
      then: [
        {
          id: 'l2',
          kind: 'branch',
          if: { mode: 'all', rules: [] },
          then: [{ id: 'l3', kind: 'branch', if: { mode: 'all', rules: [] }, then: [tag('l4')] }],
        },
      ],
    };
    expect(problemsOf([deep])).toContainEqual({
      field: 'actions[0].then[0].then[0].kind',
      message: `steps may be nested at most ${FLOW_LIMITS.stepDepth} levels deep (limit stepDepth)`,
    });
    const many = Array.from({ length: 10 }, (_, i) => ({
      id: `b${i}`,
      kind: 'branch',
      if: { mode: 'all', rules: [] },
      then: Array.from({ length: 5 }, (_, j) => tag(`t${i}_${j}`)),
    }));
    expect(problemsOf(many)).toEqual([
      {
        field: 'actions',
        message: `has 60 steps (nested ones included); a flow may have at most ${FLOW_LIMITS.stepsTotal} (limit stepsTotal)`,
      },
    ]);
  });

  it('allows steps.<id> only for steps that ran before, and item/loop only inside a for-each', () => {
    const problems = problemsOf([
      tag('first', '{{ steps.second.body.id }}'),
      tag('second', '{{ item }}'),
      { id: 'loop', kind: 'for-each', items: '$.event.tagIds', steps: [tag('inner', '{{ steps.loop.count }}')] },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'actions[0].body.name', message: 'steps.second runs later; only earlier actions can be referenced' },
        { field: 'actions[1].body.name', message: 'item exists only inside a for-each step' },
        { field: 'actions[2].steps[0].body.name', message: 'steps.loop runs later; only earlier actions can be referenced' },
      ]),
    );
  });

  it('checks find and wait by their own rules', () => {
    const problems = problemsOf([
      { id: 'f1', kind: 'find', entity: 'user', by: { field: 'color', value: 'x' }, ifMissing: 'create' },
      { id: 'f2', kind: 'find', entity: 'task', by: { field: 'name', value: 'x' }, ifMissing: 'fail' },
      { id: 'f3', kind: 'find', entity: 'tag', by: { field: 'name', value: 'x' }, ifMissing: 'fail', create: { color: '#fff' } },
      { id: 'w1', kind: 'wait', for: { days: 2 }, until: '2030-01-01T00:00:00Z' },
      { id: 'w2', kind: 'wait', for: { days: 31 } },
      { id: 'w3', kind: 'wait' },
      { id: 'w4', kind: 'wait', until: 'tomorrow' },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'actions[0].by.field', message: 'a user can be found by: id, name, email' },
        { field: 'actions[0].ifMissing', message: 'a user cannot be created by a flow' },
        { field: 'actions[1].projectId', message: 'is required to find a task' },
        { field: 'actions[2].create', message: "only with ifMissing 'create'" },
        { field: 'actions[3]', message: 'needs exactly one of "for" and "until"' },
        { field: 'actions[4].for.days', message: `must be at most ${FLOW_LIMITS.waitDays}` },
        { field: 'actions[5]', message: 'needs exactly one of "for" and "until"' },
        { field: 'actions[6].until', message: 'must be an ISO 8601 date-time or a template' },
      ]),
    );
  });

  it('names the field of a bad nested step and of a bad onlyIf', () => {
    const problems = problemsOf([
      {
        id: 'loop',
        kind: 'for-each',
        items: '$.event.tagIds',
        maxItems: FLOW_LIMITS.forEachItems + 1,
        steps: [{ id: 'x', kind: 'teleport' }],
      },
      { ...tag('t'), onlyIf: { mode: 'all', rules: [{ path: 'no-dollar', op: 'exists' }] } },
    ]);
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['actions[0].maxItems', 'actions[0].steps[0].kind', 'actions[1].onlyIf.rules[0].path']),
    );
  });
});
