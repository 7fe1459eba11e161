/**
 * Scheduled flows over a real stack on both databases, with a second instance of the edition on the
 * same PostgreSQL database (SQLite is one instance only: there two tickers share it): an occurrence that is due runs once however many instances tick at once, it is a
 * run like any other (its event is {scheduledFor, timeZone}) and acts in the sandbox's Clockify; a
 * missed occurrence runs once or not at all by the flow's choice; a bad schedule is refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEdition } from '../../src/edition.js';
import type { RunningEdition } from '../../src/edition.js';
import { JOB_SCHEDULED_RUN, ScheduleTicker, scheduleEventId } from '../../src/flows/schedule-ticker.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun, runsOf } from './flow-helpers.js';

const UW = 'universal-webhook' as const;
const HOUR = 3_600_000;

const scheduledTagFlow = (prefix: string, trigger: Record<string, unknown>) => ({
  name: `${prefix} scheduled`,
  enabled: true,
  trigger: { kind: 'schedule', ...trigger },
  conditions: { mode: 'all', rules: [{ path: '$.timeZone', op: 'exists' }] },
  actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: `${prefix} {{ event.scheduledFor }}` } }],
});

describeEachDialect('scheduled flows (Universal Webhook, two instances on PostgreSQL)', (dialect) => {
  let stack: Stack;
  let second: RunningEdition | undefined;
  let tickers: ScheduleTicker[];

  const db = () => stack.edition(UW).runtime.database.db;
  async function jobsDone() {
    await eventually(
      async () => (await db().selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
    );
  }
  async function tagNames(prefix: string): Promise<string[]> {
    const tags: { name: string }[] = await clockify(stack, UW, 'getTags', { 'page-size': 500 });
    return tags
      .map((tag) => tag.name)
      .filter((name) => name.startsWith(prefix))
      .sort();
  }
  /** Both instances start the flow's schedule; returns the occurrence it waits for. */
  async function scheduled(flowId: string): Promise<number> {
    await Promise.all(tickers.map((ticker) => ticker.tick()));
    const row = await db().selectFrom('flow_schedules').selectAll().where('flow_id', '=', flowId).executeTakeFirstOrThrow();
    return Number(row.next_due_at);
  }

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 2, projects: 1, timeEntries: 1 } } });
    await stack.install(UW);
    await jobsDone();
    const first = stack.edition(UW);
    if (dialect === 'postgres') second = await startEdition(UW, first.runtime.config, { logger: stack.logs.logger, port: 0 });
    tickers = [new ScheduleTicker(first.runtime), new ScheduleTicker((second ?? first).runtime)];
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.close();
  });

  it('refuses a bad schedule with 400 naming the field, and saves nothing', async () => {
    const before = (await stack.ui(UW, '/ui/flows')).body.flows.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ schedule: { every: 'minutes', interval: 1 } }, 'definition.trigger.schedule.interval'],
      [{ schedule: { at: '17:00', days: ['someday'] } }, 'definition.trigger.schedule.days[0]'],
      [{ schedule: { at: '17:00' }, timeZone: 'Atlantis/Capital' }, 'definition.trigger.timeZone'],
      [{ schedule: { at: '17:00' }, missed: 'sometimes' }, 'definition.trigger.missed'],
      [{ schedule: { cron: '*/2 * * * *' } }, 'definition.trigger.schedule.cron'],
      [{ schedule: { cron: '0 25 * * 1-5' } }, 'definition.trigger.schedule.cron'],
      [{ schedule: { cron: '0 17 * *' } }, 'definition.trigger.schedule.cron'],
    ];
    for (const [trigger, field] of cases) {
      const response = await stack.ui(UW, '/ui/flows', { body: { definition: scheduledTagFlow('bad', trigger) } });
      expect(response.status, JSON.stringify(trigger)).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
    expect((await stack.ui(UW, '/ui/flows')).body.flows.length).toBe(before);
  });

  it("a cron schedule saved without a time zone gets the workspace's, is stored with it and comes due at its next occurrence", async () => {
    const preferences = await stack.ui(UW, '/ui/me/preferences');
    const expectedZone: string = preferences.body.timeZone;
    // The sandbox gives every user a zone of its own, never UTC: the default is not the fallback.
    expect(expectedZone).not.toBe('UTC');
    const flow = await createFlow(stack, UW, scheduledTagFlow('cron', { schedule: { cron: '0 17 * * 1-5' } }));
    expect(flow.definition.trigger).toMatchObject({ schedule: { cron: '0 17 * * 1-5' }, timeZone: expectedZone });
    const stored = await stack.ui(UW, `/ui/flows/${flow.id}`);
    expect(stored.body.flow.definition.trigger.timeZone).toBe(expectedZone);

    const preview = await stack.ui(UW, '/ui/flows/schedule/preview?cron=0%2017%20*%20*%201-5');
    expect(preview.status).toBe(200);
    expect(preview.body.timeZone).toBe(expectedZone);
    expect(preview.body.occurrences).toHaveLength(3);
    const dueAt = await scheduled(flow.id);
    expect(new Date(dueAt).toISOString()).toBe(preview.body.occurrences[0]);
    // 17:00 on a weekday, in that zone.
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: expectedZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(dueAt);
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 17:00$/);

    const bad = await stack.ui(UW, '/ui/flows/schedule/preview?cron=*%2F2%20*%20*%20*%20*');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('runs too often');
  });

  it('runs an occurrence that is due once, though both instances tick at the same time', async () => {
    const flow = await createFlow(
      stack,
      UW,
      scheduledTagFlow('due', { schedule: { every: 'minutes', interval: 5 }, timeZone: 'Europe/Berlin' }),
    );
    const dueAt = await scheduled(flow.id);
    expect(dueAt).toBeGreaterThan(Date.now());
    // Its time has come (rather than waiting up to five minutes).
    const occurrence = Date.now() - 1_000;
    await db().updateTable('flow_schedules').set({ next_due_at: occurrence }).where('flow_id', '=', flow.id).execute();
    const queued = await Promise.all([...tickers, ...tickers].map((ticker) => ticker.tick()));
    expect(queued.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(1);

    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run).toMatchObject({ status: 'succeeded', eventId: scheduleEventId(occurrence), flowVersion: flow.version });
    await jobsDone();
    expect(await tagNames('due ')).toEqual([`due ${new Date(occurrence).toISOString()}`]);
    expect(await runsOf(stack, UW, flow.id)).toHaveLength(1);
    const jobs = await db()
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', JOB_SCHEDULED_RUN)
      .where('dedupe_key', 'like', `%${flow.id}%`)
      .execute();
    expect(jobs).toHaveLength(1);
    // And it waits for the next occurrence: ticking again queues nothing.
    expect(await Promise.all(tickers.map((ticker) => ticker.tick()))).toEqual([0, 0]);
    const state = await db().selectFrom('flow_schedules').selectAll().where('flow_id', '=', flow.id).executeTakeFirstOrThrow();
    expect(Number(state.next_due_at)).toBeGreaterThan(Date.now());
    expect(Number(state.last_occurrence)).toBe(occurrence);

    // A replay runs the same occurrence again, with the same event.
    const replay = await stack.ui(UW, '/ui/flows/runs/retry', { body: { runIds: [run.run.id], version: 'original', include: 'finished' } });
    expect(replay.status).toBe(202);
    expect(replay.body.queued).toBe(1);
    const replayed = await finishedRun(stack, UW, flow.id, (candidate) => candidate.replayOf === run.run.id);
    expect(replayed.run.eventId).toBe(scheduleEventId(occurrence));
    expect(replayed.actions[0]?.request?.body?.name ?? JSON.stringify(replayed.actions[0]?.request)).toContain(
      new Date(occurrence).toISOString(),
    );
  });

  it('after a downtime, run-once runs the missed occurrence once and skip runs nothing', async () => {
    // Daily at a time half an hour ago (UTC): today's occurrence was missed while "nobody was running".
    const missedAt = Math.floor((Date.now() - HOUR / 2) / 60_000) * 60_000;
    const at = new Date(missedAt).toISOString().slice(11, 16);
    const once = await createFlow(stack, UW, scheduledTagFlow('once', { schedule: { at }, missed: 'run-once' }));
    const skip = await createFlow(stack, UW, scheduledTagFlow('skip', { schedule: { at }, missed: 'skip' }));
    for (const flow of [once, skip]) {
      expect(await scheduled(flow.id)).toBe(missedAt + 24 * HOUR);
      // The process was down since before yesterday's occurrence.
      await db()
        .updateTable('flow_schedules')
        .set({ next_due_at: missedAt - 24 * HOUR })
        .where('flow_id', '=', flow.id)
        .execute();
    }
    await Promise.all([...tickers, ...tickers].map((ticker) => ticker.tick()));

    const run = await finishedRun(stack, UW, once.id);
    expect(run.run).toMatchObject({ status: 'succeeded', eventId: scheduleEventId(missedAt) });
    await jobsDone();
    expect(await runsOf(stack, UW, once.id)).toHaveLength(1);
    expect(await tagNames('once ')).toEqual([`once ${new Date(missedAt).toISOString()}`]);
    expect(await runsOf(stack, UW, skip.id)).toHaveLength(0);
    expect(await tagNames('skip ')).toEqual([]);
    for (const flow of [once, skip]) {
      const state = await db().selectFrom('flow_schedules').selectAll().where('flow_id', '=', flow.id).executeTakeFirstOrThrow();
      expect(Number(state.next_due_at)).toBe(missedAt + 24 * HOUR);
    }
  });

  it('a disabled flow does not run; enabling it starts its schedule afresh', async () => {
    const flow = await createFlow(stack, UW, {
      ...scheduledTagFlow('off', { schedule: { every: 'minutes', interval: 5 } }),
      enabled: false,
    });
    await Promise.all(tickers.map((ticker) => ticker.tick()));
    expect(await db().selectFrom('flow_schedules').select('flow_id').where('flow_id', '=', flow.id).execute()).toEqual([]);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/enable`, { method: 'POST' })).status).toBe(200);
    expect(await scheduled(flow.id)).toBeGreaterThan(Date.now());
    expect(await runsOf(stack, UW, flow.id)).toHaveLength(0);
  });
});
