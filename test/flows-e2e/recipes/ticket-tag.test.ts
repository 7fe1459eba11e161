/**
 * Recipe (docs/flows.md, gallery "ticket-tag"): an untagged time entry whose description names an
 * issue key such as PROJ-123 gets the tag "ticket" (created once); other fields stay as they were,
 * and entries without a key, or already tagged, are left alone. SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, finishedMatchedRuns, flowFromTemplate, registered, runsOf } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('recipe: ticket id in the description → tag the entry', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    const { workspaceId } = await stack.install(UW);
    await registered(stack, UW, workspaceId, 'NEW_TIME_ENTRY');
  }, 60_000);
  afterAll(() => stack?.close());

  it('tags WEB-42 and OPS-7 entries, keeping project and billable; leaves the rest', async () => {
    const flow = await flowFromTemplate(stack, UW, 'ticket-tag', { tagName: 'ticket' });
    const [project] = (await clockify(stack, UW, 'getProjects', { 'page-size': 10 })) as { id: string }[];
    const other = await clockify(stack, UW, 'createNewTag', {}, { name: 'recipe-other' });
    const entry = (description: string, extra: Record<string, unknown> = {}) =>
      clockify(
        stack,
        UW,
        'createTimeEntry',
        {},
        { start: '2024-05-06T09:00:00Z', end: '2024-05-06T10:00:00Z', description, projectId: project!.id, billable: true, ...extra },
      );
    const tickets = [];
    for (const description of ['fix login (WEB-42)', 'OPS-7 deploy']) {
      tickets.push(await entry(description));
      const runs = await finishedMatchedRuns(stack, UW, flow.id, tickets.length);
      expect(runs.map((run) => run.status)).toEqual(tickets.map(() => 'succeeded'));
    }
    const plain = await entry('covid-19 briefing');
    const tagged = await entry('WEB-43 review', { tagIds: [other.id] });
    // Both are looked at, and not matched.
    const runs = await eventually(async () => {
      const all = await runsOf(stack, UW, flow.id);
      return all.length === 4 && all.every((run) => run.status !== 'running') ? all : undefined;
    });
    expect(runs.filter((run) => run.matched)).toHaveLength(2);

    const tags = ((await clockify(stack, UW, 'getTags', { 'page-size': 200 })) as { id: string; name: string }[]).filter(
      (tag) => tag.name === 'ticket',
    );
    expect(tags).toHaveLength(1);
    for (const ticket of tickets) {
      const stored = await clockify(stack, UW, 'getTimeEntry', { id: ticket.id });
      expect(stored).toMatchObject({ tagIds: [tags[0]!.id], projectId: project!.id, billable: true, description: ticket.description });
    }
    expect((await clockify(stack, UW, 'getTimeEntry', { id: plain.id })).tagIds).toEqual([]);
    expect((await clockify(stack, UW, 'getTimeEntry', { id: tagged.id })).tagIds).toEqual([other.id]);
  }, 120_000);
});
