/**
 * Recipe (docs/flows.md): a keyword in a time entry's description adds a tag, found or created by
 * name: the tag is created once, however many entries carry the keyword. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, createFlow, finishedMatchedRuns, registered } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

export const keywordTagFlow = {
  name: 'Tag #urgent entries',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules: [{ path: '$.description', op: 'contains', value: '#urgent' }] },
  actions: [
    { id: 'urgent', kind: 'find', entity: 'tag', by: { field: 'name', value: 'urgent' }, ifMissing: 'create' },
    {
      id: 'tagEntry',
      kind: 'clockify',
      operationId: 'updateTimeEntry',
      params: { id: '{{ event.id }}' },
      body: {
        start: '{{ event.timeInterval.start }}',
        end: '{{ event.timeInterval.end }}',
        description: '{{ event.description }}',
        projectId: '{{ event.projectId }}',
        tagIds: ['{{ steps.urgent.id }}'],
      },
    },
  ],
};

describeEachDialect('recipe: keyword in the description → add a tag (find or create)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    ({ workspaceId } = await stack.install(UW));
    await registered(stack, UW, workspaceId, 'NEW_TIME_ENTRY');
  }, 60_000);
  afterAll(() => stack?.close());

  it('tags each entry with #urgent; the tag exists once', async () => {
    const flow = await createFlow(stack, UW, keywordTagFlow);
    const entries = [];
    for (const description of ['fix login #urgent', 'call back #urgent']) {
      entries.push(
        await clockify(stack, UW, 'createTimeEntry', {}, { start: '2024-05-06T09:00:00Z', end: '2024-05-06T10:00:00Z', description }),
      );
      // One after the other: the second run finds the tag the first one created.
      const runs = await finishedMatchedRuns(stack, UW, flow.id, entries.length);
      expect(runs.map((run) => run.status)).toEqual(entries.map(() => 'succeeded'));
    }
    // Another entry without the keyword is not tagged (the run is skipped).
    const plain = await clockify(
      stack,
      UW,
      'createTimeEntry',
      {},
      { start: '2024-05-06T11:00:00Z', end: '2024-05-06T12:00:00Z', description: 'routine' },
    );
    const tags = ((await clockify(stack, UW, 'getTags', { 'page-size': 200 })) as { id: string; name: string }[]).filter(
      (tag) => tag.name === 'urgent',
    );
    expect(tags).toHaveLength(1);
    for (const entry of entries) {
      const stored = await clockify(stack, UW, 'getTimeEntry', { id: entry.id });
      expect(stored.tagIds).toEqual([tags[0]!.id]);
    }
    expect((await clockify(stack, UW, 'getTimeEntry', { id: plain.id })).tagIds ?? []).toEqual([]);
  }, 120_000);
});
