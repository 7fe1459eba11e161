/**
 * One way to run a finished flow run again (POST /ui/flows/runs/retry), for All runs, the run
 * detail and the event page alike: asked twice quickly it acts once, only the latest run of a flow
 * on an event runs again, and the event page's Run again uses the version the admin chose.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun, runsOf, startReceiver } from './flow-helpers.js';
import type { Receiver } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('running a flow run again, once (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let workspaceId: string;

  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.1');
    stack = await startStack({ editions: [UW], dialect, env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    ({ workspaceId } = await stack.install(UW));
    const key = stack.edition(UW).runtime.editionConfig.key;
    expect((await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  /** A NEW_CLIENT webhook; returns the id of the event stored for it. */
  const newClient = async (name: string) => {
    const id = `client-${name}-${Date.now()}`;
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', { workspaceId, payload: { id, name, workspaceId, archived: false } });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    return id;
  };
  /** A flow on one client name that posts to `/<path>`: the path names the flow and its version. */
  const posting = (name: string, path: string) => ({
    name: `${name} ${path}`,
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name }] },
    actions: [{ id: 'notify', kind: 'http', method: 'POST', url: `${receiver.url}/${path}`, body: { client: '{{ event.name }}' } }],
  });
  const sent = (path: string) => receiver.requests.filter((request) => request.path === `/${path}`).length;
  const retry = (body: unknown) => stack.ui(UW, '/ui/flows/runs/retry', { body });
  const jobsDone = () =>
    eventually(async () => {
      const active = await stack
        .edition(UW)
        .runtime.database.db.selectFrom('jobs')
        .select('id')
        .where('status', 'in', ['pending', 'running'])
        .execute();
      return active.length === 0;
    }, 30_000);
  /** The event page's runs, of the given flows only (every enabled flow runs on an event, the others not matching). */
  const eventRuns = async (eventId: string, flowIds: string[]) => {
    const detail = await stack.ui(UW, `/ui/webhooks/events/${eventId}`);
    expect(detail.status).toBe(200);
    const runs = detail.body.flowRuns as { id: string; flowId: string; flowVersion: number; status: string; replayOf: string | null }[];
    return runs.filter((run) => flowIds.includes(run.flowId));
  };
  const storedEventOf = async (flowId: string) => (await finishedRun(stack, UW, flowId, (run) => run.matched)).run;

  it('sends once when the same run is asked to run again twice at once, and refuses its older run afterwards', async () => {
    const flow = await createFlow(stack, UW, posting('twice', 'twice'));
    await newClient('twice');
    const original = await storedEventOf(flow.id);
    expect(original.status).toBe('succeeded');
    expect(sent('twice')).toBe(1);

    // The worker is held, so both requests find the first retry still waiting in the queue.
    const worker = stack.edition(UW).worker;
    await worker.stop(10_000);
    const body = { runIds: [original.id], version: 'original', include: 'finished' };
    let answers: Awaited<ReturnType<typeof retry>>[];
    try {
      answers = await Promise.all([retry(body), retry(body)]);
      answers.push(await retry({ ...body, version: 'current' }));
    } finally {
      worker.start();
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(answers.map((answer) => answer.body.queued).sort()).toEqual([0, 0, 1]);
    for (const answer of answers.filter((a) => a.body.queued === 0))
      expect(answer.body.skipped).toEqual([{ runId: original.id, reason: expect.stringMatching(/already queued or running/) }]);

    const again = await finishedRun(stack, UW, flow.id, (run) => run.replayOf === original.id);
    expect(again.run.status).toBe('succeeded');
    await jobsDone();
    expect(sent('twice')).toBe(2);
    expect(await runsOf(stack, UW, flow.id)).toHaveLength(2);

    // The flow acted on that event again since: its older run is not run a third time.
    const older = await retry(body);
    expect(older.body).toMatchObject({
      queued: 0,
      skipped: [{ runId: original.id, reason: expect.stringMatching(/ran on the same event again since/) }],
    });
    // The former route is gone: this is the one way.
    expect((await stack.ui(UW, `/ui/flows/runs/${original.id}/replay`, { method: 'POST', body: {} })).status).toBe(404);
    await jobsDone();
    expect(sent('twice')).toBe(2);
  });

  it("runs an event's flows again with the version chosen: once each, the latest run of each flow", async () => {
    const first = await createFlow(stack, UW, posting('page', 'page-a-v1'));
    const second = await createFlow(stack, UW, posting('page', 'page-b-v1'));
    await newClient('page');
    const eventId = (await storedEventOf(first.id)).eventId!;
    await storedEventOf(second.id);
    const flows = [first.id, second.id];
    // The first flow is changed since: version 2 posts elsewhere.
    const edit = await stack.ui(UW, `/ui/flows/${first.id}`, { method: 'PUT', body: { definition: posting('page', 'page-a-v2') } });
    expect(edit.status).toBe(200);

    // The event page: its runs, with the version each ran.
    const originals = await eventRuns(eventId, flows);
    expect(originals.map((run) => [run.flowId, run.flowVersion, run.replayOf]).sort()).toEqual(
      [
        [first.id, 1, null],
        [second.id, 1, null],
      ].sort(),
    );
    const asRan = await retry({ runIds: originals.map((run) => run.id), version: 'original', include: 'finished' });
    expect(asRan.body).toMatchObject({ queued: 2, skipped: [], version: 'original' });
    const ranAgain = await eventually(async () => {
      const runs = (await eventRuns(eventId, flows)).filter((run) => run.replayOf !== null && run.status === 'succeeded');
      return runs.length === 2 ? runs : undefined;
    }, 20_000);
    expect(ranAgain.map((run) => run.flowVersion)).toEqual([1, 1]);
    await jobsDone();
    expect([sent('page-a-v1'), sent('page-a-v2'), sent('page-b-v1')]).toEqual([2, 0, 2]);

    // Now as the flows are now, picking every run listed: each flow runs once, from its latest run.
    const all = await eventRuns(eventId, flows);
    const latest = all.filter((run) => run.replayOf !== null).map((run) => run.id);
    const asNow = await retry({ runIds: all.map((run) => run.id), version: 'current', include: 'finished' });
    expect(asNow.body.queued).toBe(2);
    expect([...asNow.body.runIds].sort()).toEqual([...latest].sort());
    expect(asNow.body.skipped.map((skip: { runId: string }) => skip.runId).sort()).toEqual(originals.map((run) => run.id).sort());
    await eventually(async () => (await eventRuns(eventId, flows)).filter((run) => run.status === 'succeeded').length === 6, 20_000);
    await jobsDone();
    expect([sent('page-a-v1'), sent('page-a-v2'), sent('page-b-v1')]).toEqual([2, 1, 3]);
    const versions = (await eventRuns(eventId, flows)).slice(4).map((run) => [run.flowId, run.flowVersion]);
    expect(versions).toEqual(
      expect.arrayContaining([
        [first.id, 2],
        [second.id, 1],
      ]),
    );

    // Members cannot, and nothing is queued.
    const member = await stack.ui(UW, '/ui/flows/runs/retry', {
      role: 'REGULAR',
      body: { runIds: latest, version: 'current', include: 'finished' },
    });
    expect(member.status).toBe(403);
    await jobsDone();
    expect(await eventRuns(eventId, flows)).toHaveLength(6);
  });
});
