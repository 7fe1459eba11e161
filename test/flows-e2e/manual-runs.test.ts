/**
 * "Run now" and backfills over a real stack on both databases: runs are queued jobs with run records
 * like any run, the change happens in the sandbox's Clockify, members are refused, and a flow acts
 * at most once per stored event however often a backfill is repeated.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun, runsOf } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

const tagFlow = (prefix: string) => ({
  name: `${prefix} tags`,
  enabled: false,
  trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
  conditions: { mode: 'all', rules: [] },
  actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: `${prefix} {{ event.name }}` } }],
});

describeEachDialect('run now and backfill (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let otherWorkspaceId: string;
  const clientEventIds: string[] = [];

  async function jobsDone() {
    const db = stack.edition(UW).runtime.database.db;
    await eventually(
      async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
    );
  }
  async function tagNames(prefix: string): Promise<string[]> {
    const tags: { name: string }[] = await clockify(stack, UW, 'getTags', { 'page-size': 500 });
    return tags
      .map((tag) => tag.name)
      .filter((name) => name.startsWith(prefix))
      .sort();
  }

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { workspaces: 2, users: 2, projects: 1, timeEntries: 2 } } });
    const [first, second] = stack.sandbox.workspaces();
    ({ workspaceId } = await stack.install(UW, first!.id));
    otherWorkspaceId = (await stack.install(UW, second!.id)).workspaceId;
    await jobsDone();
    // Four stored NEW_CLIENT events, oldest first; no flow is enabled, so none has run yet.
    for (const name of ['c1', 'c2', 'c3', 'c4']) {
      const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
        workspaceId,
        payload: { id: `id-${name}`, name, workspaceId, archived: false },
      });
      expect(deliveries.map((d) => d.status)).toEqual([200]);
    }
    await jobsDone();
    const db = stack.edition(UW).runtime.database.db;
    const rows = await db
      .selectFrom('webhook_events')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('event_type', '=', 'NEW_CLIENT')
      .orderBy('received_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    clientEventIds.push(...rows.map((row) => row.id));
    expect(clientEventIds).toHaveLength(4);
  });
  afterAll(() => stack?.close());

  it('runs now on a sample of a trigger event: a real run, recorded, and the tag exists in Clockify', async () => {
    const flow = await createFlow(stack, UW, tagFlow('sample'));
    const response = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventType: 'NEW_CLIENT' } });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run).toMatchObject({ status: 'succeeded', eventId: response.body.eventId, flowVersion: flow.version });
    expect(run.actions[0]).toMatchObject({ actionId: 'tagIt', status: 'succeeded' });
    expect(await tagNames('sample ')).toEqual(['sample Webhook Test Client']);
  });

  it('refuses members, unknown sample types and ambiguous requests, queuing nothing', async () => {
    const flow = await createFlow(stack, UW, tagFlow('refused'));
    const member = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventType: 'NEW_CLIENT' }, role: 'REGULAR' });
    expect(member.status).toBe(403);
    const otherType = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventType: 'NEW_PROJECT' } });
    expect(otherType.status).toBe(400);
    expect(otherType.body.detail).toContain('NEW_CLIENT');
    const both = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventType: 'NEW_CLIENT', eventId: clientEventIds[0] } });
    expect(both.status).toBe(400);
    const unknown = await stack.ui(UW, '/ui/flows/nope/run', { body: { eventType: 'NEW_CLIENT' } });
    expect(unknown.status).toBe(404);
    const memberBackfill = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { last: 2 }, role: 'REGULAR' });
    expect(memberBackfill.status).toBe(403);
    const memberPreview = await stack.ui(UW, `/ui/flows/${flow.id}/backfill/preview?last=2`, { role: 'REGULAR' });
    expect(memberPreview.status).toBe(403);
    await jobsDone();
    expect(await runsOf(stack, UW, flow.id)).toEqual([]);
    expect(await tagNames('refused ')).toEqual([]);
  });

  it('runs now on a stored event once; a second run now on it is a 409 naming the run', async () => {
    const flow = await createFlow(stack, UW, tagFlow('stored'));
    const first = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventId: clientEventIds[0] } });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run).toMatchObject({ status: 'succeeded', eventId: clientEventIds[0] });
    const again = await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventId: clientEventIds[0] } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(run.run.id);
    expect(await tagNames('stored ')).toEqual(['stored c1']);
  });

  it('previews and backfills the last N events, skipping those already run; repeating acts on nothing', async () => {
    const flow = await createFlow(stack, UW, tagFlow('backfill'));
    // c4 (the newest) already ran through Run now.
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/run`, { body: { eventId: clientEventIds[3] } })).status).toBe(202);
    await finishedRun(stack, UW, flow.id);

    const preview = await stack.ui(UW, `/ui/flows/${flow.id}/backfill/preview?last=3`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ matching: 3, alreadyRun: 1, toRun: 2 });

    const backfill = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { last: 3 } });
    expect(backfill.status, JSON.stringify(backfill.body)).toBe(202);
    expect(backfill.body).toMatchObject({ matching: 3, alreadyRun: 1, queued: 2 });
    expect(backfill.body.eventIds.sort()).toEqual([clientEventIds[1], clientEventIds[2]].sort());
    await jobsDone();
    await eventually(async () => (await runsOf(stack, UW, flow.id)).filter((run) => run.status === 'succeeded').length === 3);

    // The same backfill again, and picking the same events by id, queue nothing.
    const repeat = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { last: 3 } });
    expect(repeat.body).toMatchObject({ matching: 3, alreadyRun: 3, queued: 0 });
    const byIds = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { eventIds: [clientEventIds[1], clientEventIds[2]] } });
    expect(byIds.body).toMatchObject({ matching: 2, alreadyRun: 2, queued: 0 });
    // Even after an edit (a new version) the flow does not act twice on an event.
    const edited = await stack.ui(UW, `/ui/flows/${flow.id}`, {
      method: 'PUT',
      body: { definition: { ...tagFlow('backfill'), name: 'edited' } },
    });
    expect(edited.status).toBe(200);
    const afterEdit = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { last: 4 } });
    expect(afterEdit.body).toMatchObject({ matching: 4, alreadyRun: 3, queued: 1, eventIds: [clientEventIds[0]] });
    await jobsDone();
    await eventually(async () => (await runsOf(stack, UW, flow.id)).length === 4);
    expect(await tagNames('backfill ')).toEqual(['backfill c1', 'backfill c2', 'backfill c3', 'backfill c4']);
  });

  it('previews and backfills picked events; refuses unknown ids, a missing choice and N over the limit, queuing nothing', async () => {
    const flow = await createFlow(stack, UW, tagFlow('picked'));
    const preview = await stack.ui(UW, `/ui/flows/${flow.id}/backfill/preview?eventIds=${clientEventIds[0]},${clientEventIds[2]}`);
    expect(preview.body).toEqual({ matching: 2, alreadyRun: 0, toRun: 2 });

    const unknown = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { eventIds: [clientEventIds[0], 'not-an-event'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: 'body.eventIds', message: 'not-an-event is not a stored event that triggers this flow' },
    ]);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: {} })).status).toBe(400);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { last: 501 } })).status).toBe(400);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/backfill/preview`)).status).toBe(400);
    await jobsDone();
    expect(await runsOf(stack, UW, flow.id)).toEqual([]);

    const picked = await stack.ui(UW, `/ui/flows/${flow.id}/backfill`, { body: { eventIds: [clientEventIds[0], clientEventIds[2]] } });
    expect(picked.body).toMatchObject({ queued: 2 });
    await jobsDone();
    await eventually(async () => (await runsOf(stack, UW, flow.id)).filter((run) => run.status === 'succeeded').length === 2);
    expect(await tagNames('picked ')).toEqual(['picked c1', 'picked c3']);
  });

  it('never reaches another workspace: its flows are 404, its events are refused and nothing runs there', async () => {
    const otherOwner = await stack.userToken(UW, 'OWNER', otherWorkspaceId);
    const otherFlow = await stack.ui(UW, '/ui/flows', { body: { definition: tagFlow('other') }, token: otherOwner });
    expect(otherFlow.status).toBe(201);
    const otherDeliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId: otherWorkspaceId,
      payload: { id: 'id-x', name: 'x', workspaceId: otherWorkspaceId, archived: false },
    });
    expect(
      otherDeliveries.map((d) => d.status),
      JSON.stringify(otherDeliveries),
    ).toEqual([200]);
    await jobsDone();
    const db = stack.edition(UW).runtime.database.db;
    const [otherEvent] = await db
      .selectFrom('webhook_events')
      .select('id')
      .where('workspace_id', '=', otherWorkspaceId)
      .where('event_type', '=', 'NEW_CLIENT')
      .execute();

    expect((await stack.ui(UW, `/ui/flows/${otherFlow.body.flow.id}/run`, { body: { eventType: 'NEW_CLIENT' } })).status).toBe(404);
    expect((await stack.ui(UW, `/ui/flows/${otherFlow.body.flow.id}/backfill`, { body: { last: 5 } })).status).toBe(404);
    expect((await stack.ui(UW, `/ui/flows/${otherFlow.body.flow.id}/backfill/preview?last=5`)).status).toBe(404);

    const own = await createFlow(stack, UW, tagFlow('own'));
    expect((await stack.ui(UW, `/ui/flows/${own.id}/run`, { body: { eventId: otherEvent!.id } })).status).toBe(400);
    expect((await stack.ui(UW, `/ui/flows/${own.id}/backfill`, { body: { eventIds: [otherEvent!.id] } })).status).toBe(400);
    expect((await stack.ui(UW, `/ui/flows/${own.id}/backfill/preview?last=500`)).body).toEqual({ matching: 4, alreadyRun: 0, toRun: 4 });
    await jobsDone();
    expect(await runsOf(stack, UW, own.id)).toEqual([]);
    expect((await stack.ui(UW, `/ui/flows/${otherFlow.body.flow.id}/executions`, { token: otherOwner })).body.runs).toEqual([]);
  });
});
