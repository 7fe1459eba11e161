/**
 * Recipe (docs/flows.md): a time entry saved without a project gets the default project "General"
 * (found by name, created the first time). Entries with a project are left alone. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, createFlow, finishedMatchedRuns, registered, runsOf } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

export const defaultProjectFlow = {
  name: 'Default project for entries without one',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules: [{ path: '$.projectId', op: 'empty' }] },
  actions: [
    {
      id: 'general',
      kind: 'find',
      entity: 'project',
      by: { field: 'name', value: 'General' },
      ifMissing: 'create',
      create: { color: '#607D8B' },
    },
    {
      id: 'setProject',
      kind: 'clockify',
      operationId: 'updateTimeEntry',
      params: { id: '{{ event.id }}' },
      body: {
        start: '{{ event.timeInterval.start }}',
        end: '{{ event.timeInterval.end }}',
        description: '{{ event.description }}',
        projectId: '{{ steps.general.id }}',
        tagIds: '{{ event.tagIds }}',
      },
    },
  ],
};

describeEachDialect('recipe: time entry without a project → set the default project', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    ({ workspaceId } = await stack.install(UW));
    await registered(stack, UW, workspaceId, 'NEW_TIME_ENTRY');
  }, 60_000);
  afterAll(() => stack?.close());

  it('puts project-less entries into "General", created once; an entry with a project keeps it', async () => {
    const flow = await createFlow(stack, UW, defaultProjectFlow);
    const [existing] = (await clockify(stack, UW, 'getProjects', { 'page-size': 10 })) as { id: string }[];
    const withProject = await clockify(
      stack,
      UW,
      'createTimeEntry',
      {},
      { start: '2024-05-06T08:00:00Z', end: '2024-05-06T09:00:00Z', description: 'has one', projectId: existing!.id },
    );
    const loose = [];
    for (const description of ['no project', 'no project either']) {
      loose.push(
        await clockify(stack, UW, 'createTimeEntry', {}, { start: '2024-05-06T09:00:00Z', end: '2024-05-06T10:00:00Z', description }),
      );
      const runs = await finishedMatchedRuns(stack, UW, flow.id, loose.length);
      expect(runs.map((run) => run.status)).toEqual(loose.map(() => 'succeeded'));
    }
    const general = ((await clockify(stack, UW, 'getProjects', { 'page-size': 200 })) as { id: string; name: string }[]).filter(
      (project) => project.name === 'General',
    );
    expect(general).toHaveLength(1);
    for (const entry of loose) expect((await clockify(stack, UW, 'getTimeEntry', { id: entry.id })).projectId).toBe(general[0]!.id);
    expect((await clockify(stack, UW, 'getTimeEntry', { id: withProject.id })).projectId).toBe(existing!.id);
    expect((await runsOf(stack, UW, flow.id)).filter((run) => !run.matched).length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
