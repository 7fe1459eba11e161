import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FlowDefinition, FlowStep } from '../src/api/types';
import { ACTION_ID_REGEX, FLOW_LIMITS, STEP_KINDS } from '../src/lib/flow-constants';
import { draftProblems } from '../src/views/flows/flow-checks';
import { STEP_KIND_INFO } from '../src/views/flows/steps/kinds';
import { allStepIds, stepProblems, walkSteps, withFreshIds } from '../src/views/flows/steps/tree';

const stepsDir = fileURLToPath(new URL('../src/views/flows/steps/', import.meta.url));

describe('the step editor registry', () => {
  it('has a folder with kind.ts and editor.tsx for every kind the server knows', () => {
    const missing = STEP_KINDS.filter((kind) => !existsSync(`${stepsDir}${kind}/kind.ts`) || !existsSync(`${stepsDir}${kind}/editor.tsx`));
    expect(missing).toEqual([]);
    expect(Object.keys(STEP_KIND_INFO).sort()).toEqual([...STEP_KINDS].sort());
  });

  it('creates blank steps of their own kind with ids that are valid and new', () => {
    const taken: string[] = [];
    for (const kind of STEP_KINDS) {
      const info = STEP_KIND_INFO[kind];
      const step = info.blank(taken) as FlowStep;
      expect(step.kind).toBe(kind);
      expect(step.id).toMatch(ACTION_ID_REGEX);
      expect(taken).not.toContain(step.id);
      taken.push(step.id);
      expect(info.label.length).toBeGreaterThan(0);
      expect(typeof info.summary(step as never)).toBe('string');
    }
    expect(STEP_KIND_INFO.set.blank(['values']).id).toBe('values2');
  });

  it('uses the words people know', () => {
    expect(STEP_KIND_INFO['for-each'].label).toBe('Repeat for each');
    expect(STEP_KIND_INFO.find.label).toBe('Find in workspace');
    expect(STEP_KIND_INFO.wait.label).toBe('Wait');
    expect(STEP_KIND_INFO.set.label).toBe('Set values');
    expect(STEP_KIND_INFO.stop.label).toBe('Stop');
  });

  it('summarises a step in one line', () => {
    expect(
      STEP_KIND_INFO.find.summary({
        id: 'p',
        kind: 'find',
        entity: 'project',
        by: { field: 'name', value: 'Apollo' },
        ifMissing: 'create',
      }),
    ).toBe('Find or create project by name = Apollo');
    expect(STEP_KIND_INFO.wait.summary({ id: 'w', kind: 'wait', for: { days: 1, hours: 2 } })).toBe('Wait 1 day 2 hours');
    expect(STEP_KIND_INFO.wait.summary({ id: 'w', kind: 'wait', until: '2026-01-01T00:00:00Z' })).toBe('Wait until 2026-01-01T00:00:00Z');
    expect(STEP_KIND_INFO.stop.summary({ id: 's', kind: 'stop', outcome: 'skipped', message: 'nothing to do' })).toBe(
      'Stop as skipped: nothing to do',
    );
  });
});

const branch: FlowStep = {
  id: 'check',
  kind: 'branch',
  if: { mode: 'all', rules: [{ path: '$.event.projectId', op: 'exists' }] },
  then: [{ id: 'findTag', kind: 'find', entity: 'tag', by: { field: 'name', value: 'billable' }, ifMissing: 'create' }],
  else: [
    { id: 'loop', kind: 'for-each', items: '$.event.tagIds', steps: [{ id: 'label', kind: 'set', values: { at: '{{ loop.index }}' } }] },
  ],
};

describe('nested steps', () => {
  it('walks nested lists with titles that say where a step sits', () => {
    expect(walkSteps([branch]).map((entry) => [entry.title, entry.step.id, entry.depth])).toEqual([
      ['Step 1', 'check', 1],
      ['Step 1, then 1', 'findTag', 2],
      ['Step 1, otherwise 1', 'loop', 2],
      ['Step 1, otherwise 1, for each item 1', 'label', 3],
    ]);
    expect(allStepIds([branch])).toEqual(['check', 'findTag', 'loop', 'label']);
  });

  it('finds duplicate ids across levels and the problems of nested steps', () => {
    const duplicate: FlowStep = { ...branch, then: [{ id: 'label', kind: 'stop', outcome: 'failed' }] };
    expect(stepProblems([duplicate])).toEqual(['Step 1, otherwise 1, for each item 1: the id "label" is used twice.']);
    const incomplete: FlowStep = {
      ...branch,
      if: { mode: 'all', rules: [] },
      then: [
        {
          id: 'find2',
          kind: 'find',
          entity: 'task',
          by: { field: 'name', value: 'x' },
          ifMissing: 'create',
          onlyIf: { mode: 'all', rules: [{ path: '$.', op: 'exists' }] },
        },
      ],
    };
    expect(stepProblems([incomplete])).toEqual([
      'Step 1: add a condition to decide between "Then" and "Otherwise".',
      'Step 1, then 1: a task is found in a project: give the project id.',
      'Step 1, then 1: every "Only if" rule needs a field path, such as $.event.projectId.',
    ]);
  });

  it('refuses a wait longer than the limit and steps nested too deep', () => {
    expect(stepProblems([{ id: 'w', kind: 'wait', for: { days: FLOW_LIMITS.waitDays + 1 } }])).toEqual([
      `Step 1: wait at most ${FLOW_LIMITS.waitDays} days.`,
    ]);
    const deep: FlowStep = {
      id: 'a',
      kind: 'for-each',
      items: '$.x',
      steps: [
        {
          id: 'b',
          kind: 'for-each',
          items: '$.y',
          steps: [{ id: 'c', kind: 'for-each', items: '$.z', steps: [{ id: 'd', kind: 'stop', outcome: 'succeeded' }] }],
        },
      ],
    };
    expect(stepProblems([deep])).toContain(
      `Step 1, for each item 1, for each item 1: steps nest at most ${FLOW_LIMITS.stepDepth} levels deep.`,
    );
  });

  it('gives a copied branch new ids all the way down', () => {
    const taken = allStepIds([branch]);
    const copy = withFreshIds(branch, taken);
    const ids = allStepIds([branch, copy]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lets a complete flow with every kind through', () => {
    const flow: FlowDefinition = {
      name: 'All kinds',
      enabled: false,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [] },
      actions: [branch, { id: 'pause', kind: 'wait', for: { minutes: 5 } }, { id: 'done', kind: 'stop', outcome: 'succeeded' }],
    };
    expect(draftProblems(flow, 0)).toEqual([]);
  });
});
