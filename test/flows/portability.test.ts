import { describe, expect, it } from 'vitest';
import { EXPORT_FORMAT, buildExport, clockifyIdsIn, planImport, readExport, replaceIds } from '../../src/flows/portability.js';
import type { NamedEntity } from '../../src/flows/portability.js';

const A_WS = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B_WS = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const id = (n: number) => n.toString(16).padStart(24, '0');

const source: NamedEntity[] = [
  { id: id(1), type: 'projects', name: 'Website', parentId: id(9) },
  { id: id(2), type: 'tasks', name: 'Design', parentId: id(1) },
  { id: id(3), type: 'tags', name: 'Urgent' },
  { id: id(4), type: 'users', name: 'Ada' },
  { id: id(5), type: 'clients', name: 'Not referenced' },
];
const definition = {
  name: 'portable',
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: {
    mode: 'all',
    rules: [
      { path: '$.projectId', op: 'equals', value: id(1) },
      { path: '$.userId', op: 'in', value: [id(4), id(7)] },
    ],
  },
  actions: [
    {
      id: 'a',
      kind: 'clockify',
      operationId: 'updateTimeEntry',
      params: { workspaceId: A_WS },
      body: { taskId: id(2), tagIds: [id(3)], url: `https://x/${id(1)}/tasks` },
    },
  ],
};
const exported = buildExport({
  definition,
  directory: source,
  source: { edition: 'clockify-addon', addonKey: 'k', workspaceId: A_WS, flowId: 'f', version: 3 },
  exportedAt: new Date(0),
});

describe('flow export and import (pure)', () => {
  it('finds every Clockify id in strings at any depth, once each', () => {
    expect(clockifyIdsIn(definition).sort()).toEqual([A_WS, id(1), id(2), id(3), id(4), id(7)].sort());
    expect(clockifyIdsIn({ [id(1)]: 'key only', short: 'abc123', upper: 'AAAAAAAAAAAAAAAAAAAAAAAA' })).toEqual([]);
  });

  it('exports only the entities the definition mentions, by name', () => {
    expect(exported.format).toBe(EXPORT_FORMAT);
    expect(exported.entities.map((entity) => entity.name).sort()).toEqual(['Ada', 'Design', 'Urgent', 'Website']);
    expect(readExport(JSON.parse(JSON.stringify(exported)))).toEqual({ ok: true, value: exported });
  });

  it("maps ids to the target workspace's entities of the same type and name, a task within its mapped project", () => {
    const target: NamedEntity[] = [
      { id: id(101), type: 'projects', name: 'website' },
      { id: id(102), type: 'projects', name: 'Other' },
      { id: id(103), type: 'tasks', name: 'Design', parentId: id(102) },
      { id: id(104), type: 'tasks', name: 'Design', parentId: id(101) },
      { id: id(105), type: 'tags', name: 'Urgent' },
      { id: id(106), type: 'projects', name: 'Ada' },
    ];
    const plan = planImport(exported, { workspaceId: B_WS, directory: target });
    expect(plan.mapped).toEqual(
      expect.arrayContaining([
        { from: A_WS, to: B_WS, type: 'workspace', name: 'workspace' },
        { from: id(1), to: id(101), type: 'projects', name: 'Website' },
        { from: id(2), to: id(104), type: 'tasks', name: 'Design' },
        { from: id(3), to: id(105), type: 'tags', name: 'Urgent' },
      ]),
    );
    expect(plan.unmapped).toEqual([
      { id: id(4), type: 'users', name: 'Ada', reason: 'no user named "Ada" here' },
      { id: id(7), type: null, name: null, reason: 'not in this workspace, and the file does not name it' },
    ]);
    expect(plan.definition.actions).toEqual([
      {
        id: 'a',
        kind: 'clockify',
        operationId: 'updateTimeEntry',
        params: { workspaceId: B_WS },
        body: { taskId: id(104), tagIds: [id(105)], url: `https://x/${id(101)}/tasks` },
      },
    ]);
    expect((plan.definition.conditions as typeof definition.conditions).rules[1]!.value).toEqual([id(4), id(7)]);
  });

  it('keeps ids the target has, and flags a name two entities share', () => {
    const plan = planImport(exported, { workspaceId: A_WS, directory: [...source, { id: id(200), type: 'tags', name: 'x' }] });
    expect(plan.definition).toEqual(definition);
    expect(plan.unmapped.map((entry) => entry.id)).toEqual([id(7)]);
    const twice = planImport(exported, {
      workspaceId: B_WS,
      directory: [
        { id: id(301), type: 'tags', name: 'Urgent' },
        { id: id(302), type: 'tags', name: 'urgent' },
      ],
    });
    expect(twice.unmapped).toContainEqual({ id: id(3), type: 'tags', name: 'Urgent', reason: '2 tags are named "Urgent" here' });
  });

  it('refuses what is not an export, naming the fields', () => {
    expect(readExport('text')).toMatchObject({ ok: false });
    const wrong = readExport({ ...exported, format: 'zapier', entities: [{ id: 'nope', type: 'tags', name: 'x' }] });
    expect(wrong.ok ? [] : wrong.problems.map((problem) => problem.field)).toEqual(['document.format', 'document.entities.0']);
    expect(replaceIds('x', new Map())).toBe('x');
  });
});
