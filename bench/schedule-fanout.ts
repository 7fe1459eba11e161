/**
 * Schedule fan-out benchmark (issue 23): one schedule that fires at the same minute in many
 * workspaces (default 100), against the Clockify sandbox. Every workspace has one enabled flow on
 * the cron `0 17 * * 1-5` (a weekday at 17:00, the case of "everyone's end-of-day report") whose
 * run makes `--calls` Clockify calls (getTags); each workspace's budget is `--per-second` calls per
 * second, in the add-on (RATE_LIMIT_RPS) and in the sandbox (which answers 429 past it).
 *
 * The occurrence is made due for every flow at once (their next due time set to now, as the
 * ticker finds it at 17:00) and one tick queues them all. Measured:
 * - each run's start (its first call at the sandbox) after the occurrence, and each workspace's
 *   busiest second at the sandbox (≤ its budget: every run starts and runs within its budget);
 * - the whole set's finish (last call, from the occurrence) against the rate-limit floor: Clockify's
 *   limit (and the sandbox's) is a sliding second, which lets `perSecond` calls go together and the
 *   next `perSecond` a second later, so `calls` calls cannot take less than
 *   ceil(calls / perSecond) − 1 seconds from the first to the last;
 * - 429s answered by the sandbox (target 0).
 *
 *   npx tsx bench/schedule-fanout.ts [--workspaces 100] [--calls 20] [--per-second 2] [--dialect sqlite|postgres] [--port N] [--json]
 *
 * The edition and the sandbox run in this one process (the sandbox's work per call is small).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/src/index.js';
import { loadConfig } from '../src/config/index.js';
import { startEdition } from '../src/edition.js';
import { getEdition } from '../src/editions/index.js';
import { ScheduleTicker } from '../src/flows/schedule-ticker.js';
import { createLogger } from '../src/observability/logger.js';
import { createPostgresDatabase, freePort, machineFacts, postgresAnswers, round, sleep } from './common.js';

const EDITION = 'universal-webhook' as const;

export interface FanoutOptions {
  workspaces: number;
  calls: number;
  perSecond: number;
  dialect: 'sqlite' | 'postgres';
  /** The edition's port (default: a free one). */
  port?: number;
  log?: (line: string) => void;
}

export interface FanoutResult {
  machine: ReturnType<typeof machineFacts>;
  options: Omit<FanoutOptions, 'log' | 'port'>;
  runs: number;
  succeeded: number;
  /** Seconds the ticker's pass took to queue every run. */
  queueSeconds: number;
  /** Seconds from the occurrence to the first call of each run: p50, p95, max. */
  startSeconds: { p50: number; p95: number; max: number };
  /** Seconds from each run's first call to its last (the floor is the least): p50, max. */
  spanSeconds: { p50: number; max: number };
  /** The most calls any one workspace made in a sliding second (its budget is perSecond). */
  busiestWorkspaceSecond: number;
  floorSeconds: number;
  /** From the occurrence to the last call of the set. */
  finishSeconds: number;
  /** finish ÷ floor: at most 1.05 is the target. */
  finishOverFloor: number;
  tooManyRequests: number;
  editionCpuMs: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function runScheduleFanout(options: FanoutOptions): Promise<FanoutResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[schedule-fanout] ${line}\n`));
  const { workspaces, calls, perSecond, dialect } = options;
  const sandbox = await startSandbox({
    seed: { workspaces, users: 1, projects: 1, clients: 1, tags: 1, timeEntries: 0, customFields: 0, userGroups: 0 },
    rateLimitPerSecond: perSecond,
    deliveryTimeoutMs: 30_000,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'cap-bench-fanout-'));
  const database =
    dialect === 'postgres'
      ? await createPostgresDatabase('bench_fanout')
      : { url: `sqlite:${join(dataDir, 'fanout.db')}`, drop: async () => undefined };
  const edition = getEdition(EDITION);
  const port = options.port ?? (await freePort());
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      ADDON_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem,
      CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host,
      [edition.baseUrlEnv]: `http://127.0.0.1:${port}`,
      [edition.dbUrlEnv]: database.url,
      // Every workspace's run at once: one job slot each.
      WORKER_CONCURRENCY: String(Math.min(256, workspaces + 8)),
      RATE_LIMIT_RPS: String(perSecond),
      BOOTSTRAP_RATE_LIMIT_RPS: String(Math.max(1, Math.floor(perSecond / 2))),
      COST_BUDGET_BURST: String(workspaces * 4),
    },
    { dotenvPath: false },
  );
  const running = await startEdition(EDITION, config, { logger: createLogger({ level: 'error' }), port, host: '127.0.0.1' });
  try {
    log(`${dialect}: installing in ${workspaces} workspaces (budget ${perSecond}/s each), one cron flow of ${calls} calls each…`);
    const workspaceIds = sandbox.workspaces().map((ws) => ws.id);
    for (const workspaceId of workspaceIds) {
      // A loaded machine can miss the sandbox's lifecycle timeout: tried again (installing is idempotent).
      let installed = await sandbox.install({ manifestUrl: `${running.url}/manifest`, workspaceId });
      for (let attempt = 1; !installed.installed && attempt < 4; attempt++)
        installed = await sandbox.install({ manifestUrl: `${running.url}/manifest`, workspaceId });
      if (!installed.installed) throw new Error(`install failed: ${JSON.stringify(installed)}`);
      const token = await sandbox.userToken({ addonKey: edition.key, workspaceId, role: 'OWNER' });
      const definition = {
        name: 'bench: end-of-day fan-out',
        enabled: true,
        trigger: { kind: 'schedule', schedule: { cron: '0 17 * * 1-5' }, timeZone: 'UTC', missed: 'run-once' },
        conditions: { mode: 'all', rules: [] },
        actions: Array.from({ length: calls }, (_, index) => ({
          id: `call${index}`,
          kind: 'clockify',
          operationId: 'getTags',
          params: { 'page-size': 1 },
        })),
      };
      const response = await fetch(`${running.url}/ui/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ definition }),
      });
      if (response.status !== 201) throw new Error(`could not create the flow: ${response.status} ${await response.text()}`);
    }
    const db = running.runtime.database.db;
    // The install's own jobs (webhook registrations) finish first, and their calls leave the budgets' windows.
    for (let waited = 0; ; waited += 100) {
      const open = await db
        .selectFrom('jobs')
        .select('id')
        .where('status', 'in', ['pending', 'running'])
        .where('run_at', '<=', Date.now())
        .execute();
      if (open.length === 0 || waited > 180_000) break;
      await sleep(100);
    }
    await sleep(1_500);
    const ticker = new ScheduleTicker(running.runtime);
    await ticker.tick();
    const scheduled = await db.selectFrom('flow_schedules').select('flow_id').execute();
    if (scheduled.length !== workspaces) throw new Error(`${scheduled.length} schedules for ${workspaces} flows`);

    log(`${dialect}: the occurrence is due in every workspace; one tick queues them all…`);
    const firstRequest = sandbox.requestLog().length;
    const cpuBefore = process.cpuUsage();
    const occurrence = Date.now();
    await db.updateTable('flow_schedules').set({ next_due_at: occurrence }).execute();
    const queued = await ticker.tick();
    const queueSeconds = (Date.now() - occurrence) / 1000;
    for (;;) {
      const finished = await db
        .selectFrom('flow_runs')
        .select('id')
        .where('started_at', '>=', occurrence - 1000)
        .where('finished_at', 'is not', null)
        .execute();
      if (finished.length >= queued) break;
      await sleep(100);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const runs = await db
      .selectFrom('flow_runs')
      .select(['status'])
      .where('started_at', '>=', occurrence - 1000)
      .execute();
    const requests = sandbox
      .requestLog()
      .slice(firstRequest)
      .filter((record) => record.path.endsWith('/tags'));
    const byWorkspace = new Map<string, number[]>();
    for (const record of requests)
      if (record.workspaceId) byWorkspace.set(record.workspaceId, [...(byWorkspace.get(record.workspaceId) ?? []), record.at]);
    const starts = [...byWorkspace.values()].map((times) => (Math.min(...times) - occurrence) / 1000);
    const spans = [...byWorkspace.values()].map((times) => (Math.max(...times) - Math.min(...times)) / 1000);
    const finishSeconds = (Math.max(...requests.map((record) => record.at)) - occurrence) / 1000;
    const floorSeconds = Math.ceil(calls / perSecond) - 1;
    const latestStart = Math.max(...starts);
    return {
      machine: machineFacts(),
      options: { workspaces, calls, perSecond, dialect },
      runs: runs.length,
      succeeded: runs.filter((run) => run.status === 'succeeded').length,
      queueSeconds: round(queueSeconds, 2),
      startSeconds: { p50: round(percentile(starts, 50), 2), p95: round(percentile(starts, 95), 2), max: round(latestStart, 2) },
      spanSeconds: { p50: round(percentile(spans, 50), 2), max: round(Math.max(...spans), 2) },
      busiestWorkspaceSecond: Math.max(...workspaceIds.map((id) => sandbox.maxRequestsPerSecond(id))),
      floorSeconds,
      finishSeconds: round(finishSeconds, 2),
      finishOverFloor: round(finishSeconds / Math.max(0.001, floorSeconds), 3),
      tooManyRequests: sandbox
        .requestLog()
        .slice(firstRequest)
        .filter((record) => record.status === 429).length,
      editionCpuMs: round((cpu.user + cpu.system) / 1000),
    };
  } finally {
    await running.stop();
    await sandbox.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatScheduleFanout(result: FanoutResult): string {
  const { workspaces, calls, perSecond, dialect } = result.options;
  return [
    `| database | workspaces × calls per run | budget per workspace | runs succeeded | all queued after s | start after the occurrence p50 / p95 / max s | first → last call of a run p50 / max s | busiest workspace second | floor s | finish s | finish ÷ floor | 429s | CPU ms (edition + sandbox) |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
    `| ${dialect} | ${workspaces} × ${calls} | ${perSecond}/s | ${result.succeeded}/${result.runs} | ${result.queueSeconds} | ${result.startSeconds.p50} / ${result.startSeconds.p95} / ${result.startSeconds.max} | ${result.spanSeconds.p50} / ${result.spanSeconds.max} | ${result.busiestWorkspaceSecond} | ${result.floorSeconds} | ${result.finishSeconds} | ${result.finishOverFloor} | ${result.tooManyRequests} | ${result.editionCpuMs} |`,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index === -1 ? undefined : argv[index + 1];
  };
  const dialect = (value('dialect') ?? 'sqlite') as FanoutOptions['dialect'];
  if (dialect === 'postgres' && !(await postgresAnswers())) throw new Error('PostgreSQL does not answer');
  const result = await runScheduleFanout({
    workspaces: Number(value('workspaces') ?? 100),
    calls: Number(value('calls') ?? 20),
    perSecond: Number(value('per-second') ?? 2),
    dialect,
    port: value('port') ? Number(value('port')) : undefined,
  });
  console.log(
    argv.includes('--json') ? JSON.stringify(result, null, 2) : `${JSON.stringify(result.machine)}\n\n${formatScheduleFanout(result)}`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
