/**
 * Recipe (docs/flows.md, gallery "stop-long-timer"): a timer still running 10 hours after its start
 * is stopped at that time and a URL told; one stopped in time is left alone. The run waits durably;
 * the editions' clock is moved 9 hours ahead to reach the end of the wait. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { eventually } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, flowFromTemplate, runsOf, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;
const HOUR = 3_600_000;

describeEachDialect('recipe: timer running over 10 hours → stop it and notify', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  let offset = 0;
  beforeAll(async () => {
    setup = await startRecipe({ dialect, users: 3, event: 'NEW_TIMER_STARTED', now: () => Date.now() + offset });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it('stops the forgotten timers at 10 h, each once, and leaves the one stopped in time', async () => {
    const flow = await flowFromTemplate(stack, UW, 'stop-long-timer', { hours: 10, url: `${receiver.url}/timers` });
    const users = ((await clockify(stack, UW, 'getUsersOfWorkspace', { 'page-size': 10 })) as { id: string }[]).map((user) => user.id);
    expect(users.length).toBeGreaterThanOrEqual(3);
    // Whole seconds, as Clockify stores times.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const startTimer = (userId: string, start: number, description: string) =>
      clockify(stack, UW, 'createForOthers', { userId }, { start: new Date(start).toISOString(), description });
    const db = () => stack.edition(UW).runtime.database.db;
    const statuses = async () =>
      (await db().selectFrom('flow_runs').select('status').where('flow_id', '=', flow.id).execute()).map((run) => run.status);

    // Started 11 h ago: its wait is already over, it is stopped at once.
    const forgotten = await startTimer(users[0]!, now - 11 * HOUR, 'forgotten');
    const late = await eventually(() => receiver.requests[0]);
    expect(JSON.parse(late.body)).toMatchObject({
      timeEntryId: forgotten.id,
      end: new Date(now - HOUR).toISOString(),
    });
    // Started an hour ago: waits; started 2 h ago and stopped by its user: waits, then finds it stopped.
    const running = await startTimer(users[1]!, now - HOUR, 'long meeting');
    const stoppedInTime = await startTimer(users[2]!, now - 2 * HOUR, 'short call');
    await eventually(async () => (await statuses()).filter((status) => status === 'waiting').length === 2);
    await clockify(stack, UW, 'stopRunningTimeEntry', { userId: users[2]! }, { end: new Date(now).toISOString() });
    expect(receiver.requests).toHaveLength(1);

    offset = 9 * HOUR + 60_000;
    await eventually(async () => (await statuses()).every((status) => status !== 'waiting' && status !== 'running'), 20_000);
    offset = 0;

    expect(receiver.requests.map((request) => JSON.parse(request.body).timeEntryId)).toEqual([forgotten.id, running.id]);
    const notice = JSON.parse(receiver.requests[1]!.body);
    expect(notice).toMatchObject({ userId: users[1], end: new Date(now + 9 * HOUR).toISOString() });
    expect(notice.text).toMatch(/^Stopped the timer of .+ \("long meeting"\) after 10 h\.$/);
    const end = async (id: string) => (await clockify(stack, UW, 'getTimeEntry', { id })).timeInterval.end;
    expect(await end(forgotten.id)).toBe(new Date(now - HOUR).toISOString().replace('.000Z', 'Z'));
    expect(await end(running.id)).toBe(new Date(now + 9 * HOUR).toISOString().replace('.000Z', 'Z'));
    expect(await end(stoppedInTime.id)).toBe(new Date(now).toISOString().replace('.000Z', 'Z'));
    const runs = await runsOf(stack, UW, flow.id);
    expect(runs.map((run) => run.status).sort()).toEqual(['skipped', 'succeeded', 'succeeded']);
  }, 120_000);
});
