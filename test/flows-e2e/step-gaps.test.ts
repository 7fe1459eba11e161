/**
 * Gaps of the step engine (issue 23), in real runs against the sandbox on both dialects:
 * - find reads every page of Clockify's list (a match on page 2 is found, not created again), up to
 *   10 pages: past them it fails rather than call the entity missing;
 * - a wait's resume job goes on even when the clock of the instance running it says the wait is not
 *   over yet (before, it parked again, deduplicated against its own job, and the run waited for ever);
 * - a for-each holding a wait goes on over the items it recorded when it started, not over the items
 *   its template renders to after the resume;
 * - what a find-or-create writes into the cache while a bootstrap runs is still there afterwards
 *   (a guard: the snapshot only adds and updates rows, it never dropped the write-back).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('flow step gaps (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({
      editions: [UW],
      dialect,
      // More tags than a find reads (10 pages of 200), for its bound.
      sandbox: { seed: { users: 1, projects: 1, timeEntries: 1, tags: 2_050 }, rateLimitPerSecond: 10_000 },
    });
    ({ workspaceId } = await stack.install(UW));
    // The install's bootstrap must be over, so what the tests create later is not in the snapshot.
    await eventually(
      async () => (await db().selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
      90_000,
    );
  }, 120_000);
  afterAll(() => stack?.close());

  const db = () => stack.edition(UW).runtime.database.db;
  const onClient = (name: string) => ({
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name } as unknown] },
  });
  async function newClient(name: string): Promise<void> {
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-${name}-${Date.now()}`, name, workspaceId, archived: false },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
  }
  /** Creates tags straight in the sandbox (as people do in Clockify), not through the add-on. */
  async function createTags(names: string[]): Promise<void> {
    const token = await stack.userToken(UW);
    for (const name of names) {
      const response = await fetch(`${stack.sandbox.backendUrl}/v1/workspaces/${workspaceId}/tags`, {
        method: 'POST',
        headers: { 'x-addon-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(response.status).toBe(201);
    }
  }
  const tagPosts = () => stack.sandbox.requestLog().filter((request) => request.method === 'POST' && request.path.endsWith('/tags')).length;
  const parkedRun = async (flowId: string) =>
    eventually(async () =>
      db().selectFrom('flow_runs').selectAll().where('flow_id', '=', flowId).where('status', '=', 'waiting').executeTakeFirst(),
    );
  const resumeJob = (runId: string) =>
    db()
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'flow.resume-wait')
      .where('status', '=', 'pending')
      .where('payload_json', 'like', `%${runId}%`)
      .executeTakeFirstOrThrow();
  const finished = (runId: string) =>
    eventually(async () => {
      const row = await db().selectFrom('flow_runs').selectAll().where('id', '=', runId).executeTakeFirst();
      return row && row.status !== 'waiting' && row.status !== 'running' ? row : undefined;
    }, 20_000);

  it('a tag find-or-create writes while a bootstrap runs stays in the cache: the next run finds it there', async () => {
    // Guard for the worry that the snapshot overwrites the write-back: the bootstrap only adds and
    // updates rows, so whatever the interleaving, the row stays. Every answer is slowed, so the
    // bootstrap is still running when the flow creates the tag.
    const flow = await createFlow(stack, UW, {
      name: 'create during a bootstrap',
      ...onClient('gaps-bootstrap'),
      actions: [{ id: 'tag', kind: 'find', entity: 'tag', by: { field: 'name', value: 'Made mid-bootstrap' }, ifMissing: 'create' }],
    });
    let firstRunId = '';
    stack.sandbox.setFaults({ latencyMs: 150 });
    try {
      const started = await stack.ui(UW, '/ui/bootstrap/trigger', { body: { mode: 'full' } });
      expect(started.status).toBe(202);
      await newClient('gaps-bootstrap');
      const first = await finishedRun(stack, UW, flow.id, (r) => r.matched, 30_000);
      firstRunId = first.run.id;
      expect(first.run.status, String(first.run.error)).toBe('succeeded');
      expect(first.actions[0]!.response).toMatchObject({ created: true });
      const during = await db()
        .selectFrom('bootstrap_runs')
        .select('status')
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(['pending', 'running']).toContain(during.status);
      await eventually(
        async () => (await db().selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
        90_000,
      );
    } finally {
      stack.sandbox.setFaults({ latencyMs: 0 });
    }
    const posts = tagPosts();
    await newClient('gaps-bootstrap');
    const second = await finishedRun(stack, UW, flow.id, (r) => r.matched && r.id !== firstRunId, 30_000);
    expect(second.actions[0]!.request).toMatchObject({ source: 'cache' });
    expect(tagPosts()).toBe(posts);
    const named = (await clockify(stack, UW, 'getTags', { name: 'Made mid-bootstrap', 'strict-name-search': true })) as unknown[];
    expect(named).toHaveLength(1);
  }, 180_000);

  it('find pages through Clockify: a tag on the second page of its name search is found, not created twice', async () => {
    // 205 tags whose names contain "Bulky" come first, so Clockify's name search (which matches parts
    // of names) answers the exact "Bulky" only on its second page of 200.
    await createTags(Array.from({ length: 205 }, (_, index) => `Bulky ${String(index).padStart(3, '0')}`));
    await createTags(['Bulky']);
    const before = tagPosts();
    const flow = await createFlow(stack, UW, {
      name: 'find on page two',
      ...onClient('gaps-paging'),
      actions: [{ id: 'tag', kind: 'find', entity: 'tag', by: { field: 'name', value: 'bulky' }, ifMissing: 'create' }],
    });
    await newClient('gaps-paging');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status, String(run.run.error)).toBe('succeeded');
    expect(run.actions[0]!.request).toMatchObject({ source: 'api' });
    expect(run.actions[0]!.response).toMatchObject({ found: true, name: 'Bulky' });
    expect(tagPosts()).toBe(before);
    const named = ((await clockify(stack, UW, 'getTags', { name: 'Bulky', 'strict-name-search': true })) as { name: string }[]).filter(
      (tag) => tag.name === 'Bulky',
    );
    expect(named).toHaveLength(1);
  }, 120_000);

  it('find stops after 10 pages without the match and fails the run instead of guessing it is missing', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'find past the bound',
      ...onClient('gaps-bound'),
      actions: [{ id: 'tag', kind: 'find', entity: 'tag', by: { field: 'id', value: '0123456789abcdef01234567' }, ifMissing: 'continue' }],
    });
    const listed = () => stack.sandbox.requestLog().filter((request) => request.method === 'GET' && request.path.endsWith('/tags')).length;
    const before = listed();
    await newClient('gaps-bound');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('failed');
    expect(run.run.error).toContain('looked through 10 pages of getTags without finding id "0123456789abcdef01234567"');
    expect(run.run.error).toContain('(limit findPages)');
    expect(listed() - before).toBe(10);
  }, 120_000);

  it("a wait's resume job goes on even when this instance's clock says the wait is not over", async () => {
    const flow = await createFlow(stack, UW, {
      name: 'wait across clocks',
      ...onClient('gaps-clock'),
      actions: [
        { id: 'pause', kind: 'wait', for: { hours: 1 } },
        { id: 'after', kind: 'set', values: { went: 'on' } },
      ],
    });
    await newClient('gaps-clock');
    const run = await parkedRun(flow.id);
    const job = await resumeJob(run.id);
    // The queue found the job due (here: its time moved into the past, as an instance whose clock is
    // ahead would see it); the wait's record still says an hour from this instance's now.
    await db()
      .updateTable('jobs')
      .set({ run_at: Date.now() - 1000 })
      .where('id', '=', job.id)
      .execute();
    const done = await finished(run.id);
    expect(done.status).toBe('succeeded');
    const steps = await db()
      .selectFrom('flow_action_results')
      .select(['step_path', 'status'])
      .where('run_id', '=', run.id)
      .orderBy('position')
      .execute();
    expect(steps.map((row) => [row.step_path, row.status])).toEqual([
      ['pause', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    // The job names the wait it resumes: that wait, and only it, goes on whatever the clock says.
    expect(JSON.parse(job.payload_json)).toMatchObject({ runId: run.id, waitPath: 'pause' });
  }, 120_000);

  it('a for-each holding a wait goes on over the items it recorded when it started', async () => {
    // The loop walks the body of a tag listing; bodies over 4 KB are recorded as a preview only, so
    // after the resume the template no longer renders the list it started with.
    await createTags(Array.from({ length: 40 }, (_, index) => `Loopy ${String(index).padStart(2, '0')} ${'x'.repeat(80)}`));
    const flow = await createFlow(stack, UW, {
      name: 'loop with a wait',
      ...onClient('gaps-loop'),
      actions: [
        { id: 'list', kind: 'clockify', operationId: 'getTags', params: { name: 'Loopy', 'page-size': 40 } },
        {
          id: 'loop',
          kind: 'for-each',
          items: '{{ steps.list.body }}',
          steps: [
            {
              id: 'pause',
              kind: 'wait',
              for: { minutes: 5 },
              onlyIf: { mode: 'all', rules: [{ path: '$.loop.index', op: 'equals', value: 0 }] },
            },
            { id: 'seen', kind: 'set', values: { name: '{{ item.name }}' } },
          ],
        },
      ],
    });
    await newClient('gaps-loop');
    const run = await parkedRun(flow.id);
    const job = await resumeJob(run.id);
    const listed = await db()
      .selectFrom('flow_action_results')
      .select('response_json')
      .where('run_id', '=', run.id)
      .where('step_path', '=', 'list')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(listed.response_json!)).toMatchObject({ truncated: true });
    await db()
      .updateTable('jobs')
      .set({ run_at: Date.now() - 1000 })
      .where('id', '=', job.id)
      .execute();
    const done = await finished(run.id);
    expect(done.status, String(done.error)).toBe('succeeded');
    const seen = await db()
      .selectFrom('flow_action_results')
      .select(['step_path', 'response_json'])
      .where('run_id', '=', run.id)
      .where('step_path', 'like', 'loop[%].seen')
      .orderBy('position')
      .execute();
    expect(seen.map((row) => [row.step_path, (JSON.parse(row.response_json!) as { name: string }).name.slice(0, 8)])).toEqual(
      Array.from({ length: 40 }, (_, index) => [`loop[${index}].seen`, `Loopy ${String(index).padStart(2, '0')}`]),
    );
  }, 120_000);
});
