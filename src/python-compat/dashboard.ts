import type { Runtime } from '../runtime.js';
import { entityCounts } from '../bootstrap/cache.js';
import { runView } from '../bootstrap/progress.js';
import { latestRun, stepWarnings } from '../bootstrap/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The facts of the Python system's `GET /ui/dashboard`, for one workspace only: its bootstrap state,
 * cached entity counts, its flows, and the last 24 hours of activity.
 */
export async function dashboardFacts(runtime: Runtime, workspaceId: string) {
  const db = runtime.database.db;
  const since = runtime.now() - DAY_MS;
  const run = await latestRun(db, workspaceId);
  const [counts, flows, events, runs, calls] = await Promise.all([
    entityCounts(db, workspaceId),
    db
      .selectFrom('flows')
      .select(['enabled', (eb) => eb.fn.countAll<number>().as('count')])
      .where('workspace_id', '=', workspaceId)
      .groupBy('enabled')
      .execute(),
    db
      .selectFrom('webhook_events')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('workspace_id', '=', workspaceId)
      .where('received_at', '>=', since)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('flow_runs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('workspace_id', '=', workspaceId)
      .where('started_at', '>=', since)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('api_calls')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '>=', since)
      .executeTakeFirst(),
  ]);
  const byStatus = (rows: { status: string; count: number | string | bigint }[]) =>
    Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  const sum = (rows: { count: number | string | bigint }[]) => rows.reduce((total, row) => total + Number(row.count), 0);
  return {
    workspaceId,
    edition: runtime.edition.id,
    bootstrap: run ? runView(run, [], await stepWarnings(db, run.id, 10)) : null,
    entityCounts: counts,
    flows: { total: sum(flows), enabled: sum(flows.filter((row) => Number(row.enabled) === 1)) },
    last24h: {
      webhooks: { total: sum(events), byStatus: byStatus(events) },
      flowRuns: { total: sum(runs), byStatus: byStatus(runs) },
      apiCalls: Number(calls?.count ?? 0),
    },
    generatedAt: new Date(runtime.now()).toISOString(),
  };
}
