/**
 * Recipe (docs/flows.md, gallery "description-reminder"): an entry saved without a description is
 * looked at again a day later (durable wait); if it still has none, a reminder with the person's email
 * is POSTed. One entry is described in the meantime and gets none. The editions' clock is moved a day
 * ahead to reach the end of the wait. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { eventually } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, flowFromTemplate, runsOf, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;
const DAY = 24 * 3_600_000;

describeEachDialect('recipe: entry without a description → reminder a day later (wait)', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  let offset = 0;
  beforeAll(async () => {
    setup = await startRecipe({ dialect, event: 'NEW_TIME_ENTRY', now: () => Date.now() + offset });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it('reminds about the entry still without a description, not the one described meanwhile', async () => {
    const flow = await flowFromTemplate(stack, UW, 'description-reminder', { url: `${receiver.url}/remind` });
    const db = () => stack.edition(UW).runtime.database.db;
    const statuses = async () =>
      (await db().selectFrom('flow_runs').select('status').where('flow_id', '=', flow.id).execute()).map((run) => run.status);
    const entry = (start: string) => clockify(stack, UW, 'createTimeEntry', {}, { start, end: start.replace('T09', 'T10') });
    const forgotten = await entry('2024-05-06T09:00:00Z');
    const fixed = await entry('2024-05-07T09:00:00Z');
    await clockify(
      stack,
      UW,
      'createTimeEntry',
      {},
      { start: '2024-05-08T09:00:00Z', end: '2024-05-08T10:00:00Z', description: 'described' },
    );
    await eventually(async () => (await statuses()).filter((status) => status === 'waiting').length === 2);
    await clockify(
      stack,
      UW,
      'updateTimeEntry',
      { id: fixed.id },
      { start: fixed.timeInterval.start, end: fixed.timeInterval.end, description: 'wrote it' },
    );
    expect(receiver.requests).toHaveLength(0);

    offset = DAY + 60_000;
    await eventually(async () => (await statuses()).filter((status) => status === 'succeeded').length === 2, 20_000);
    offset = 0;

    expect(receiver.requests).toHaveLength(1);
    const reminder = JSON.parse(receiver.requests[0]!.body);
    const me = await clockify(stack, UW, 'getLoggedUser');
    expect(reminder).toMatchObject({ to: me.email, timeEntryId: forgotten.id, userId: me.id });
    expect(reminder.text).toBe('Your time entry of Mon 6 May, 09:00 (UTC) still has no description.');
    const runs = await runsOf(stack, UW, flow.id);
    expect(runs.filter((run) => run.matched).map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
  }, 120_000);
});
