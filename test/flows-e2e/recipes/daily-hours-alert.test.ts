/**
 * Recipe (docs/flows.md, gallery "daily-hours-alert"): a finished entry that brings its user's day
 * (in the chosen time zone) past the limit POSTs an alert with the day's total from the reports API.
 * Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, finishedMatchedRuns, flowFromTemplate, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('recipe: daily total over N hours → alert', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  beforeAll(async () => {
    setup = await startRecipe({ dialect, event: 'NEW_TIME_ENTRY' });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it('alerts once the day in Tokyo passes 3 h, with the total; other days and smaller totals stay quiet', async () => {
    const { id: flowId } = await flowFromTemplate(stack, UW, 'daily-hours-alert', {
      hours: '3',
      timeZone: 'Asia/Tokyo',
      url: `${receiver.url}/alerts`,
    });
    // 6 May 2024 in Tokyo runs from 5 May 15:00Z to 6 May 15:00Z.
    const entries = [
      ['2024-05-05T23:00:00Z', '2024-05-06T01:00:00Z'], // 2 h: under the limit
      ['2024-05-06T16:00:00Z', '2024-05-06T18:00:00Z'], // 7 May in Tokyo: its own day, 2 h
      ['2024-05-06T02:00:00Z', '2024-05-06T03:30:00Z'], // 6 May reaches 3.5 h: alert
    ];
    for (const [index, [start, end]] of entries.entries()) {
      await clockify(stack, UW, 'createTimeEntry', {}, { start, end, description: `block ${index + 1}` });
      const runs = await finishedMatchedRuns(stack, UW, flowId, index + 1);
      expect(runs.map((run) => run.status)).toEqual(entries.slice(0, index + 1).map(() => 'succeeded'));
    }
    expect(receiver.requests).toHaveLength(1);
    const alert = JSON.parse(receiver.requests[0]!.body);
    expect(receiver.requests[0]!.path).toBe('/alerts');
    expect(alert).toMatchObject({ day: '2024-05-06', totalHours: 3.5, limitHours: 3 });
    expect(alert.text).toMatch(/has tracked 3\.5 h on Mon 6 May \(limit 3 h\)\.$/);
  }, 120_000);
});
