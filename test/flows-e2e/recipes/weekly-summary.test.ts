/**
 * Recipe (docs/flows.md, gallery "weekly-summary"): every Friday at 16:00 (Berlin) the week's hours
 * per project, from the reports API, are POSTed to a URL. The editions' clock is moved to the next
 * Friday 16:00 and the schedule ticks, as it does every 30 seconds in production. SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleTicker } from '../../../src/flows/schedule-ticker.js';
import { eventually } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { clockify, finishedRun, flowFromTemplate, runsOf, startRecipe } from '../flow-helpers.js';
import type { Receiver, RecipeSetup } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;
const HOUR = 3_600_000;

describe('recipe: every Friday 16:00 → weekly summary from the reports API to a URL', () => {
  let stack: Stack;
  let receiver: Receiver;
  let setup: RecipeSetup | undefined;
  let offset = 0;
  beforeAll(async () => {
    setup = await startRecipe({ projects: 2, now: () => Date.now() + offset });
    ({ stack, receiver } = setup);
  }, 60_000);
  afterAll(() => setup?.close());

  it("posts Monday-to-Friday's hours per project at Friday 16:00", async () => {
    const flow = await flowFromTemplate(stack, UW, 'weekly-summary', { timeZone: 'Europe/Berlin', url: `${receiver.url}/week` });
    const runtime = stack.edition(UW).runtime;
    const ticker = new ScheduleTicker(runtime);
    await ticker.tick();
    const row = await runtime.database.db.selectFrom('flow_schedules').selectAll().where('flow_id', '=', flow.id).executeTakeFirstOrThrow();
    const friday = Number(row.next_due_at);
    expect(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'Europe/Berlin',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(friday),
    ).toBe('Fri 16:00');
    // No clock change between Monday and Friday (they happen on Sundays): Monday 00:00 is 4 days 16 hours earlier.
    const monday = friday - 4 * 24 * HOUR - 16 * HOUR;
    const [alpha, beta] = (await clockify(stack, UW, 'getProjects', { 'page-size': 10 })) as { id: string; name: string }[];
    const entry = (start: number, hours: number, projectId: string) =>
      clockify(
        stack,
        UW,
        'createTimeEntry',
        {},
        { start: new Date(start).toISOString(), end: new Date(start + hours * HOUR).toISOString(), projectId },
      );
    await entry(monday + 9 * HOUR, 3, alpha!.id); // Monday 09:00
    await entry(friday - 3 * HOUR, 1.5, alpha!.id); // Friday 13:00
    await entry(friday - 2 * 24 * HOUR, 2, beta!.id); // Wednesday 16:00
    await entry(monday - 2 * HOUR, 5, beta!.id); // last Sunday: the week before
    await entry(friday + HOUR, 1, beta!.id); // after the summary

    offset = friday + 1_000 - Date.now();
    // The edition's own ticker may take the occurrence first; either way it runs once.
    await ticker.tick();
    const request = await eventually(() => receiver.requests[0]);
    offset = 0;
    const summary = JSON.parse(request.body);
    expect(request.path).toBe('/week');
    expect(summary).toMatchObject({ weekStart: new Date(monday).toISOString(), until: new Date(friday).toISOString(), totalHours: 6.5 });
    expect(summary.projects.map((project: { name: string; duration: number }) => [project.name, project.duration]).sort()).toEqual(
      [
        [alpha!.name, 4.5 * 3600],
        [beta!.name, 2 * 3600],
      ].sort(),
    );
    expect(summary.text).toMatch(/^Week of \d{1,2} \w{3} \d{4}: 6\.5 h tracked\.$/);
    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run).toMatchObject({ status: 'succeeded', eventId: `schedule-${friday}` });
    expect(await runsOf(stack, UW, flow.id)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  }, 120_000);
});
