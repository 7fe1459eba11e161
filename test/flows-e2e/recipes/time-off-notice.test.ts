/**
 * Recipe (docs/flows.md, gallery "time-off-notice"): a time-off request made through Clockify's API
 * reaches the add-on as TIME_OFF_REQUESTED; the flow finds who asked and POSTs a readable message
 * with the days in the team's time zone. SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, finishedMatchedRuns, flowFromTemplate, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('recipe: time-off request → notify with name and dates', () => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  beforeAll(async () => {
    setup = await startRecipe({ users: 2, event: 'TIME_OFF_REQUESTED' });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it('announces who is off and from which day to which, in Belgrade time', async () => {
    const flow = await flowFromTemplate(stack, UW, 'time-off-notice', { timeZone: 'Europe/Belgrade', url: `${receiver.url}/off` });
    const [policy] = (await clockify(stack, UW, 'findPoliciesForWorkspace', {})) as { id: string }[];
    // Monday 3 to Wednesday 5 June 2024, whole days in Belgrade (UTC+2).
    const request = await clockify(
      stack,
      UW,
      'createTimeOffRequest',
      { policyId: policy!.id },
      { timeOffPeriod: { period: { start: '2024-06-02T22:00:00Z', end: '2024-06-05T21:59:59.999Z' } }, note: 'Family visit' },
    );
    const [run] = await finishedMatchedRuns(stack, UW, flow.id, 1);
    expect(run!.status, String(run!.error)).toBe('succeeded');
    const message = JSON.parse((await eventually(() => receiver.requests[0])).body);
    const users = (await clockify(stack, UW, 'getUsersOfWorkspace', { 'page-size': 10 })) as { id: string; name: string; email: string }[];
    const requester = users.find((user) => user.id === request.userId);
    expect(requester, `requester ${request.userId}`).toBeDefined();
    expect(message).toMatchObject({
      requestId: request.id,
      userId: requester!.id,
      name: requester!.name,
      email: requester!.email,
      note: 'Family visit',
      start: '2024-06-02T22:00:00Z',
    });
    expect(message.text).toBe(`${requester!.name} requested time off from Mon 3 Jun 2024 to Wed 5 Jun 2024.`);
  }, 120_000);
});
