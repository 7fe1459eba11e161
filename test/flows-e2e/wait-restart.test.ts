/**
 * A wait step is durable (issue 23): the run is parked as `waiting` with a queued job due at its
 * resume time; the edition stops, time passes (the due time is moved into the past while it is down),
 * a new edition starts on the same database and the run goes on after the wait, once. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEdition, type RunningEdition } from '../../src/edition.js';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, runsOf } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('a waiting run survives a restart', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let restarted: RunningEdition | undefined;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    ({ workspaceId } = await stack.install(UW));
  }, 60_000);
  afterAll(async () => {
    await restarted?.stop();
    await stack?.close();
  });

  it('parks the run with a due job, and a new edition resumes it after the wait', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'wait then tag',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: 'patient' }] },
      actions: [
        { id: 'note', kind: 'set', values: { who: '{{ event.name }}' } },
        { id: 'pause', kind: 'wait', for: { hours: 1 } },
        { id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: 'after the wait for {{ steps.note.who }}' } },
      ],
    });
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: 'client-patient', name: 'patient', workspaceId, archived: false },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    const parked = await eventually(async () => (await runsOf(stack, UW, flow.id)).find((run) => run.status === 'waiting'));
    const first = stack.edition(UW);
    const db = first.runtime.database.db;
    const job = await db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'flow.resume-wait')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(job.run_at)).toBeGreaterThan(Date.now() + 30 * 60_000);
    const detail = await stack.ui(UW, `/ui/flows/runs/${parked.id}`);
    expect(detail.body.actions.map((a: any) => [a.path, a.status])).toEqual([
      ['note', 'succeeded'],
      ['pause', 'waiting'],
    ]);
    expect(detail.body.run.finishedAt).toBeNull();

    const config = first.runtime.config;
    await first.stop();
    // While it is down, the hour passes: the wait's due time and its job's time are now in the past.
    restarted = await startEdition(UW, config, { logger: stack.logs.logger, port: 0, worker: false });
    const rdb = restarted.runtime.database.db;
    const past = Date.now() - 1000;
    const record = await rdb
      .selectFrom('flow_action_results')
      .selectAll()
      .where('run_id', '=', parked.id)
      .where('step_path', '=', 'pause')
      .executeTakeFirstOrThrow();
    await rdb
      .updateTable('flow_action_results')
      .set({ response_json: JSON.stringify({ ...JSON.parse(record.response_json!), resumeAtMs: past }) })
      .where('idempotency_key', '=', record.idempotency_key)
      .execute();
    await rdb.updateTable('jobs').set({ run_at: past }).where('id', '=', job.id).execute();
    await restarted.stop();
    restarted = await startEdition(UW, config, { logger: stack.logs.logger, port: 0 });

    const finished = await eventually(async () => {
      const row = await restarted!.runtime.database.db.selectFrom('flow_runs').selectAll().where('id', '=', parked.id).executeTakeFirst();
      return row && row.status !== 'waiting' && row.status !== 'running' ? row : undefined;
    }, 20_000);
    expect(finished.status).toBe('succeeded');
    const steps = await restarted.runtime.database.db
      .selectFrom('flow_action_results')
      .select(['step_path', 'status'])
      .where('run_id', '=', parked.id)
      .orderBy('position')
      .execute();
    expect(steps.map((row) => [row.step_path, row.status])).toEqual([
      ['note', 'succeeded'],
      ['pause', 'succeeded'],
      ['tagIt', 'succeeded'],
    ]);
    // One run, resumed in place; its tag created once.
    expect((await restarted.runtime.database.db.selectFrom('flow_runs').select('id').where('flow_id', '=', flow.id).execute()).length).toBe(
      1,
    );
    const created = stack.sandbox.requestLog().filter((request) => request.method === 'POST' && request.path.endsWith('/tags'));
    expect(created).toHaveLength(1);
  }, 120_000);
});
