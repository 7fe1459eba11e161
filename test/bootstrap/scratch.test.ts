import { it } from 'vitest';
import { startHarness, runOf } from './harness.js';

it('scratch profile', async () => {
  const h = await startHarness({ dialect: 'sqlite', seed: { seed: 3, users: 50, projects: 40, timeEntries: 100000 }, settings: { MAX_RPS: '25' } });
  try {
    const runId = await h.start();
    const t0 = Date.now();
    await h.runJob();
    const wall = Date.now() - t0;
    const run = await runOf(h, runId);
    const calls = await h.runtime.database.db.selectFrom('api_calls').select(['operation_id', 'duration_ms', 'url']).execute();
    const te = calls.filter(c => c.operation_id === 'getTimeEntries');
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log({ wall, pages: run.pages_fetched, floor: run.pages_fetched / 25, teCalls: te.length, teMs: sum(te.map(c => c.duration_ms)), allMs: sum(calls.map(c => c.duration_ms)) });
  } finally { await h.close(); }
});
