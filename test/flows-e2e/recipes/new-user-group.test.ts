/**
 * Recipe (docs/flows.md, gallery "new-user-group"): someone who joins the workspace is added to the
 * user group "Everyone", created the first time; a group whose name merely contains it ("Everyone
 * else", which Clockify's name filter also answers) is left alone. USER_JOINED_WORKSPACE comes from
 * the sandbox as Clockify sends it. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, finishedMatchedRuns, flowFromTemplate, registered } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('recipe: new user joins → add to a default user group', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 3, projects: 1, timeEntries: 1 } } });
    ({ workspaceId } = await stack.install(UW));
    await registered(stack, UW, workspaceId, 'USER_JOINED_WORKSPACE');
  }, 60_000);
  afterAll(() => stack?.close());

  it('creates "Everyone" for the first newcomer and adds the next one to it', async () => {
    const flow = await flowFromTemplate(stack, UW, 'new-user-group', { groupName: 'Everyone' });
    const decoy = await clockify(stack, UW, 'createUserGroup', {}, { name: 'Everyone else' });
    const users = (await clockify(stack, UW, 'getUsersOfWorkspace', { 'page-size': 10 })) as { id: string; name: string; email: string }[];
    const owner = stack.sandbox.workspaces().find((ws) => ws.id === workspaceId)!.ownerId;
    const newcomers = users.filter((user) => user.id !== owner).slice(0, 2);
    expect(newcomers).toHaveLength(2);
    for (const [index, user] of newcomers.entries()) {
      const deliveries = await stack.sandbox.trigger('USER_JOINED_WORKSPACE', {
        workspaceId,
        payload: { id: user.id, email: user.email, name: user.name, profilePicture: '', settings: {} },
      });
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
      const runs = await finishedMatchedRuns(stack, UW, flow.id, index + 1);
      expect(runs.map((run) => [run.status, run.error])).toEqual(newcomers.slice(0, index + 1).map(() => ['succeeded', null]));
    }
    const groups = (await clockify(stack, UW, 'getUserGroups', { 'page-size': 50 })) as { id: string; name: string; userIds: string[] }[];
    const everyone = groups.filter((group) => group.name === 'Everyone');
    expect(everyone).toHaveLength(1);
    expect(everyone[0]!.userIds).toEqual(newcomers.map((user) => user.id));
    expect(groups.find((group) => group.id === decoy.id)!.userIds).toEqual([]);
  }, 120_000);
});
