/**
 * Issue 23's step kinds in real runs (sandbox webhooks, real database, both dialects): set, branch,
 * stop and "only if" with their records by step path; a for-each over 50 items whose iterations are
 * idempotent on their own keys (a resumed run sends only what was not sent); find or create that does
 * not create twice; limits enforced at run time; and the dry run's view of the new kinds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('flow steps (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 2, projects: 2, timeEntries: 2 } } });
    ({ workspaceId } = await stack.install(UW));
    // The install's bootstrap must be over: its snapshot of tags would otherwise race the cache
    // entries find-or-create writes, and its calls to the sandbox would count as the dry run's.
    const db = stack.edition(UW).runtime.database.db;
    await eventually(
      async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
      90_000,
    );
  }, 120_000);
  afterAll(() => stack?.close());

  const db = () => stack.edition(UW).runtime.database.db;
  async function newClient(name: string): Promise<void> {
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-${name}-${Date.now()}`, name, workspaceId, archived: false },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
  }
  const onClient = (name: string) => ({
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name } as unknown] },
  });
  const tagPosts = () => stack.sandbox.requestLog().filter((request) => request.method === 'POST' && request.path.endsWith('/tags')).length;
  const tagsNamed = async (prefix: string) =>
    ((await clockify(stack, UW, 'getTags', { 'page-size': 500 })) as { name: string }[]).filter((tag) => tag.name.startsWith(prefix));

  it('set, branch, only-if and stop: each step recorded by its path and kind; a stop ends the run with its outcome', async () => {
    const branchy = (name: string) => ({
      name: `branchy ${name}`,
      ...onClient(name),
      conditions: {
        mode: 'any',
        rules: [
          { path: '$.name', op: 'equals', value: 'steps-then' },
          { path: '$.name', op: 'equals', value: 'steps-else' },
        ],
      },
      actions: [
        { id: 'vals', kind: 'set', values: { label: 'via-{{ event.name }}' } },
        {
          id: 'check',
          kind: 'branch',
          if: { mode: 'all', rules: [{ path: '$.event.name', op: 'equals', value: 'steps-then' }] },
          then: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: '{{ steps.vals.label }}' } }],
          else: [{ id: 'quit', kind: 'stop', outcome: 'failed', message: 'no rule for {{ event.name }}' }],
        },
        {
          id: 'never',
          kind: 'clockify',
          operationId: 'createNewTag',
          body: { name: 'never' },
          onlyIf: { mode: 'all', rules: [{ path: '$.steps.check.path', op: 'equals', value: 'nowhere' }] },
        },
      ],
    });
    const flow = await createFlow(stack, UW, branchy('both'));
    await newClient('steps-then');
    const then = await finishedRun(stack, UW, flow.id, (run) => run.matched);
    expect(then.run.status).toBe('succeeded');
    expect(then.actions.map((a: any) => [a.path, a.kind, a.status])).toEqual([
      ['vals', 'set', 'succeeded'],
      ['check', 'branch', 'succeeded'],
      ['check.then.tagIt', 'clockify', 'succeeded'],
      ['never', 'clockify', 'skipped'],
    ]);
    expect(then.actions[0]!.response).toEqual({ label: 'via-steps-then' });
    expect(then.actions[1]!.response).toEqual({ path: 'then' });
    expect(await tagsNamed('via-steps-then')).toHaveLength(1);

    await newClient('steps-else');
    const otherwise = await finishedRun(stack, UW, flow.id, (run) => run.matched && run.id !== then.run.id);
    expect(otherwise.run.status).toBe('failed');
    expect(otherwise.run.error).toBe('check.else.quit: no rule for steps-else');
    expect(otherwise.actions.map((a: any) => a.path)).toEqual(['vals', 'check', 'check.else.quit']);
  }, 120_000);

  it('a for-each over 50 items acts once per item; a run resumed after a crash sends only the iterations not yet sent', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    const flow = await createFlow(stack, UW, {
      name: 'fifty',
      ...onClient('steps-fifty'),
      actions: [
        { id: 'list', kind: 'set', values: { names } },
        {
          id: 'loop',
          kind: 'for-each',
          items: '{{ steps.list.names }}',
          steps: [
            {
              id: 'mk',
              kind: 'clockify',
              operationId: 'createNewTag',
              body: { name: 'fifty-{{ item }}-{{ loop.index }}of{{ loop.count }}' },
            },
          ],
        },
      ],
    });
    const before = tagPosts();
    await newClient('steps-fifty');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched, 60_000);
    expect(run.run.status).toBe('succeeded');
    expect(tagPosts() - before).toBe(50);
    expect((await tagsNamed('fifty-')).map((tag) => tag.name).sort()).toEqual(names.map((name, i) => `fifty-${name}-${i}of50`));
    const paths = run.actions.map((a: any) => a.path);
    expect(paths).toContain('loop[0].mk');
    expect(paths).toContain('loop[49].mk');
    expect(run.actions.find((a: any) => a.path === 'loop')!.response.count).toBe(50);

    // The worker died after iteration 24: the later ones were never sent (no tag, no record), the run is still running.
    for (const tag of await tagsNamed('fifty-')) {
      if (Number(/-(\d+)of50$/.exec((tag as any).name)![1]) >= 25) await clockify(stack, UW, 'deleteTag', { id: (tag as any).id });
    }
    expect(await tagsNamed('fifty-')).toHaveLength(25);
    const keys = (
      await db().selectFrom('flow_action_results').select(['idempotency_key', 'step_path']).where('run_id', '=', run.run.id).execute()
    )
      .filter((row) => row.step_path === 'loop' || Number(/^loop\[(\d+)\]/.exec(row.step_path ?? '')?.[1] ?? -1) >= 25)
      .map((row) => row.idempotency_key);
    expect(keys).toHaveLength(26);
    await db().deleteFrom('flow_action_results').where('idempotency_key', 'in', keys).execute();
    await db().updateTable('flow_runs').set({ status: 'running', finished_at: null }).where('id', '=', run.run.id).execute();
    const resumedFrom = tagPosts();
    await stack
      .edition(UW)
      .runtime.queue.enqueue({ kind: 'flow.manual-run', workspaceId, payload: { flowId: flow.id, eventId: run.run.eventId } });
    const resumed = await finishedRun(stack, UW, flow.id, (r) => r.id === run.run.id && r.status !== 'running', 60_000);
    expect(resumed.run.status, String(resumed.run.error)).toBe('succeeded');
    // Only the 25 unsent iterations were sent; the others were recognised by their own keys.
    expect(tagPosts() - resumedFrom).toBe(25);
    expect(await tagsNamed('fifty-')).toHaveLength(50);
  }, 120_000);

  it('find or create: creates the missing tag once; the next run finds it (cache first) and creates nothing', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'find or create',
      ...onClient('steps-foc'),
      actions: [
        { id: 'tag', kind: 'find', entity: 'tag', by: { field: 'name', value: 'Found {{ event.name }}' }, ifMissing: 'create' },
        { id: 'echo', kind: 'set', values: { id: '{{ steps.tag.id }}' } },
      ],
    });
    await newClient('steps-foc');
    const first = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(first.run.status).toBe('succeeded');
    expect(first.actions[0]!.request).toMatchObject({
      entity: 'tag',
      by: { field: 'name', value: 'Found steps-foc' },
      source: 'api',
      create: { operationId: 'createNewTag' },
    });
    const created = await tagsNamed('Found steps-foc');
    expect(created).toHaveLength(1);
    expect(first.actions[1]!.response).toEqual({ id: (created[0] as any).id });

    const posts = tagPosts();
    await newClient('steps-foc');
    const second = await finishedRun(stack, UW, flow.id, (r) => r.matched && r.id !== first.run.id);
    expect(second.run.status).toBe('succeeded');
    expect(second.actions[0]!.request).toMatchObject({ source: 'cache' });
    expect(second.actions[0]!.response).toMatchObject({ found: true, id: (created[0] as any).id });
    expect(tagPosts()).toBe(posts);
    expect(await tagsNamed('Found steps-foc')).toHaveLength(1);
  }, 120_000);

  it('find with ifMissing fail fails the run naming what is missing; continue goes on with found: false', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'find missing',
      ...onClient('steps-missing'),
      actions: [
        { id: 'soft', kind: 'find', entity: 'project', by: { field: 'name', value: 'No such project' }, ifMissing: 'continue' },
        { id: 'hard', kind: 'find', entity: 'client', by: { field: 'name', value: 'No such client' }, ifMissing: 'fail' },
      ],
    });
    await newClient('steps-missing');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('failed');
    expect(run.run.error).toBe('hard: no client with name "No such client"');
    expect(run.actions[0]!.response).toEqual({ found: false });
  }, 120_000);

  it('limits at run time: too many items and too many executed steps fail the run naming the limit', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i);
    const flow = await createFlow(stack, UW, {
      name: 'limits',
      ...onClient('steps-limits'),
      actions: [
        { id: 'list', kind: 'set', values: { items: hundred } },
        {
          id: 'few',
          kind: 'for-each',
          items: '{{ steps.list.items }}',
          maxItems: 10,
          steps: [{ id: 'a', kind: 'set', values: { x: '{{ item }}' } }],
        },
      ],
    });
    await newClient('steps-limits');
    const tooMany = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(tooMany.run.status).toBe('failed');
    expect(tooMany.run.error).toBe('few: has 100 items; a for-each goes through at most 10 (limit forEachItems)');

    const busy = await createFlow(stack, UW, {
      name: 'busy',
      ...onClient('steps-busy'),
      actions: [
        { id: 'list', kind: 'set', values: { items: hundred } },
        {
          id: 'loop',
          kind: 'for-each',
          items: '{{ steps.list.items }}',
          steps: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, kind: 'set', values: { x: '{{ item }}' } })),
        },
      ],
    });
    await newClient('steps-busy');
    const run = await finishedRun(stack, UW, busy.id, (r) => r.matched, 60_000);
    expect(run.run.status).toBe('failed');
    expect(run.run.error).toBe('loop[99].d: the run went over the limit of 500 steps per run (limit stepsPerRun)');
  }, 120_000);

  it('dry run shows what each new kind would do, writes nothing and calls nothing', async () => {
    const posts = stack.sandbox.requestLog().length;
    const response = await stack.ui(UW, '/ui/flows/test', {
      body: {
        definition: {
          name: 'dry',
          ...onClient('dry'),
          actions: [
            { id: 'tag', kind: 'find', entity: 'tag', by: { field: 'name', value: 'Found steps-foc' }, ifMissing: 'create' },
            { id: 'other', kind: 'find', entity: 'client', by: { field: 'name', value: 'Nobody {{ event.name }}' }, ifMissing: 'create' },
            {
              id: 'check',
              kind: 'branch',
              if: { mode: 'all', rules: [{ path: '$.event.name', op: 'equals', value: 'dry' }] },
              then: [{ id: 'pause', kind: 'wait', for: { hours: 2 } }],
            },
            { id: 'loop', kind: 'for-each', items: '$.event.tags', steps: [{ id: 'each', kind: 'set', values: { v: '{{ item }}' } }] },
            { id: 'end', kind: 'stop', outcome: 'skipped' },
          ],
        },
        sample: { name: 'dry', tags: ['x', 'y'] },
        eventType: 'NEW_CLIENT',
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const [found, other, check, loop, end] = response.body.actions;
    expect(found.note).toMatch(/^found in the workspace cache: Found steps-foc/);
    expect(other.note).toBe('not in the workspace cache; would ask Clockify; would create it if Clockify has none');
    expect(check.note).toBe('would run "then"');
    expect(check.children[0]).toMatchObject({ path: 'check.then.pause', kind: 'wait' });
    expect(check.children[0].note).toMatch(/^the run would wait and go on at \d{4}-/);
    expect(loop).toMatchObject({
      note: 'would run its steps for 2 items (shown for the first)',
      children: [{ path: 'loop[0].each', request: { values: { v: 'x' } } }],
    });
    expect(end.note).toBe('the run would end here as skipped');
    expect(stack.sandbox.requestLog().length).toBe(posts);
  }, 120_000);
});
