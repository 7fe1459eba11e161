/**
 * Recipe (docs/flows.md): a new project gets its standard tasks through a for-each over a list; each
 * task is "find or create" within the project, so a rerun adds nothing twice. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, createFlow, finishedMatchedRuns, registered } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

export const standardTasksFlow = {
  name: 'Standard tasks for new projects',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_PROJECT'] },
  conditions: { mode: 'all', rules: [] },
  actions: [
    { id: 'standard', kind: 'set', values: { tasks: ['Planning', 'Build', 'Review'] } },
    {
      id: 'eachTask',
      kind: 'for-each',
      items: '{{ steps.standard.tasks }}',
      steps: [
        {
          id: 'task',
          kind: 'find',
          entity: 'task',
          projectId: '{{ event.id }}',
          by: { field: 'name', value: '{{ item }}' },
          ifMissing: 'create',
        },
      ],
    },
  ],
};

describeEachDialect('recipe: new project → create its standard tasks (for-each)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    ({ workspaceId } = await stack.install(UW));
    await registered(stack, UW, workspaceId, 'NEW_PROJECT');
  }, 60_000);
  afterAll(() => stack?.close());

  it('creates Planning, Build and Review in the new project', async () => {
    const flow = await createFlow(stack, UW, standardTasksFlow);
    const project = await clockify(stack, UW, 'createNewProject', {}, { name: 'Launch' });
    const [run] = await finishedMatchedRuns(stack, UW, flow.id, 1);
    expect(run!.status, String(run!.error)).toBe('succeeded');
    const tasks = (await clockify(stack, UW, 'getTasks', { projectId: project.id, 'page-size': 50 })) as { name: string }[];
    expect(tasks.map((task) => task.name).sort()).toEqual(['Build', 'Planning', 'Review']);
    const detail = await stack.ui(UW, `/ui/flows/runs/${run!.id}`);
    expect(detail.body.actions.map((a: { path: string }) => a.path)).toEqual([
      'standard',
      'eachTask',
      'eachTask[0].task',
      'eachTask[1].task',
      'eachTask[2].task',
    ]);
  }, 120_000);
});
