/**
 * Bootstrap benchmark: wall time against the rate-limit floor, 429s the add-on caused, peak memory,
 * and ten workspaces at once — against the sandbox over HTTP.
 *
 *   npx tsx bench/bootstrap.ts                 # full size (10,000 and 100,000 entries; 10 workspaces)
 *   npx tsx bench/bootstrap.ts --quick         # a reduced size for a quick look
 *   npx tsx bench/bootstrap.ts --json          # also print the raw numbers
 *
 * Each scenario runs in its own child process (so peak RSS belongs to that scenario alone), with
 * the sandbox in another child process (so its own data does not count as the add-on's memory).
 * Every scenario has a deadline; the whole benchmark stops by itself.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createPostgresDatabase, postgresAnswers } from './common.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';

export interface BootstrapScenario {
  name: string;
  workspaces: number;
  users: number;
  /** Per workspace. */
  timeEntries: number;
  maxRps: number;
  /** Per scenario, including seeding. */
  timeoutMs: number;
  /** Default sqlite (a file in a temporary folder). */
  dialect?: 'sqlite' | 'postgres';
}

export interface ScenarioResult {
  scenario: BootstrapScenario;
  ok: boolean;
  error?: string;
  runsCompleted: number;
  /** Operations that failed (recorded on their steps; the runs still completed). */
  stepErrors: number;
  /** Pages (requests) of every run together. */
  pages: number;
  entities: number;
  timeEntriesCached: number;
  /** From the first run starting to the last one finishing. */
  wallSeconds: number;
  /** The slowest workspace's pages ÷ max_rps: budgets are per workspace, so workspaces run side by side. */
  floorSeconds: number;
  /** The same with the add-on's other background calls of the run's workspaces, which share the budget. */
  budgetFloorSeconds: number;
  /** 429 answers the sandbox gave (it has no injected faults here: every one was caused by the add-on). */
  tooManyRequests: number;
  /** Highest requests in any one-second window for one workspace, as the sandbox counted them. */
  maxRequestsPerSecond: number;
  /** Other background calls of the add-on in the same budget (webhook registration at install). */
  otherBackgroundCalls: number;
  /** Mean time of one Clockify call as the client saw it (rate-limit wait included). */
  meanCallMs: number;
  baselineRssMb: number;
  peakRssMb: number;
}

export interface BootstrapBenchOptions {
  /** Reduced sizes (about a minute in all). Default scenarios add a PostgreSQL one when the local server answers. */
  quick?: boolean;
  scenarios?: BootstrapScenario[];
  /** Called with each result as it arrives. */
  onResult?: (result: ScenarioResult) => void;
}

export function defaultScenarios(quick = false, withPostgres = false): BootstrapScenario[] {
  const scale = quick ? 10 : 1;
  const concurrent = {
    name: `10 workspaces at once, ${(10_000 / scale).toLocaleString('en')} entries each`,
    workspaces: 10,
    users: 50,
    timeEntries: 10_000 / scale,
    maxRps: 25,
    timeoutMs: 300_000,
  };
  return [
    {
      name: `1 workspace, ${(10_000 / scale).toLocaleString('en')} entries`,
      workspaces: 1,
      users: 50,
      timeEntries: 10_000 / scale,
      maxRps: 25,
      timeoutMs: 180_000,
    },
    {
      name: `1 workspace, ${(100_000 / scale).toLocaleString('en')} entries`,
      workspaces: 1,
      users: 50,
      timeEntries: 100_000 / scale,
      maxRps: 25,
      timeoutMs: 300_000,
    },
    concurrent,
    ...(withPostgres ? [{ ...concurrent, name: `${concurrent.name} (PostgreSQL)`, dialect: 'postgres' as const }] : []),
  ];
}

/** Runs every scenario (each in a fresh process) and returns the numbers and a markdown table. */
export async function runBootstrapBench(options: BootstrapBenchOptions = {}): Promise<{ results: ScenarioResult[]; markdown: string }> {
  const results: ScenarioResult[] = [];
  const scenarios = options.scenarios ?? defaultScenarios(options.quick, await postgresAnswers());
  for (const scenario of scenarios) {
    const result = await runScenarioInChild(scenario);
    options.onResult?.(result);
    results.push(result);
  }
  return { results, markdown: markdownTable(results) };
}

export function markdownTable(results: ScenarioResult[]): string {
  const columns: [string, 'left' | 'right', (r: ScenarioResult) => string][] = [
    ['scenario', 'left', (r) => r.scenario.name],
    ['pages', 'right', (r) => String(r.pages)],
    ['entities', 'right', (r) => String(r.entities)],
    ['wall (s)', 'right', (r) => r.wallSeconds.toFixed(1)],
    ['floor (s)', 'right', (r) => r.floorSeconds.toFixed(1)],
    ['wall/floor', 'right', (r) => (r.floorSeconds > 0 ? (r.wallSeconds / r.floorSeconds).toFixed(2) : '–')],
    ['floor with other calls (s)', 'right', (r) => r.budgetFloorSeconds.toFixed(1)],
    ['429s', 'right', (r) => String(r.tooManyRequests)],
    ['max req/s per workspace', 'right', (r) => String(r.maxRequestsPerSecond)],
    ['other calls', 'right', (r) => String(r.otherBackgroundCalls)],
    ['mean call (ms)', 'right', (r) => r.meanCallMs.toFixed(0)],
    ['RSS before (MB)', 'right', (r) => r.baselineRssMb.toFixed(0)],
    ['peak RSS (MB)', 'right', (r) => r.peakRssMb.toFixed(0)],
    ['result', 'left', (r) => (r.ok ? `ok (${r.runsCompleted} completed, ${r.stepErrors} step errors)` : `failed: ${r.error ?? ''}`)],
  ];
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(columns.map(([title]) => title)),
    row(columns.map(([, align]) => (align === 'right' ? '---:' : '---'))),
    ...results.map((result) => row(columns.map(([, , cell]) => cell(result)))),
  ].join('\n');
}

function runScenarioInChild(scenario: BootstrapScenario): Promise<ScenarioResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--scenario', JSON.stringify(scenario)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const deadline = setTimeout(() => child.kill('SIGKILL'), scenario.timeoutMs + 30_000);
    child.on('close', (code) => {
      clearTimeout(deadline);
      const line = output
        .trim()
        .split('\n')
        .reverse()
        .find((text) => text.startsWith('{'));
      if (line) return resolvePromise(JSON.parse(line) as ScenarioResult);
      resolvePromise(emptyResult(scenario, `scenario process exited with ${code}`));
    });
  });
}

function emptyResult(scenario: BootstrapScenario, error: string): ScenarioResult {
  return {
    scenario,
    ok: false,
    error,
    runsCompleted: 0,
    stepErrors: 0,
    pages: 0,
    entities: 0,
    timeEntriesCached: 0,
    wallSeconds: 0,
    floorSeconds: 0,
    budgetFloorSeconds: 0,
    tooManyRequests: 0,
    maxRequestsPerSecond: 0,
    meanCallMs: 0,
    otherBackgroundCalls: 0,
    baselineRssMb: 0,
    peakRssMb: 0,
  };
}

// ---- inside the scenario process -------------------------------------------------------------

async function startSandboxProcess(scenario: BootstrapScenario): Promise<{ url: string; process: ChildProcess }> {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'sandbox/src/cli.ts'),
    '--port',
    '0',
    '--seed',
    '7',
    '--workspaces',
    String(scenario.workspaces),
    '--users',
    String(scenario.users),
    '--time-entries',
    String(scenario.timeEntries),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the sandbox did not start within 120 s')), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
  return { url, process: child };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function runScenario(scenario: BootstrapScenario): Promise<ScenarioResult> {
  const [
    { loadConfig },
    { createRuntime },
    { createLogger },
    { Worker },
    { buildManifest },
    { setupRooms },
    { createHttpServer },
    { opsRoutes },
    { registerUserAuth },
  ] = await Promise.all([
    import('../src/config/index.js'),
    import('../src/runtime.js'),
    import('../src/observability/logger.js'),
    import('../src/jobs/worker.js'),
    import('../src/clockify/manifest.js'),
    import('../src/rooms.js'),
    import('../src/server/app.js'),
    import('../src/server/ops-routes.js'),
    import('../src/lifecycle/user-auth.js'),
  ]);

  const sandbox = await startSandboxProcess(scenario);
  const dataDir = mkdtempSync(join(tmpdir(), 'cap-bench-'));
  let stop: (() => Promise<void>) | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  try {
    let databaseUrl = `sqlite:${join(dataDir, 'bench.db')}`;
    if (scenario.dialect === 'postgres') {
      const created = await createPostgresDatabase('bench_bootstrap');
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    const info = await json<{ publicKeyPem: string; workspaces: { id: string }[] }>(`${sandbox.url}/__sandbox/info`);
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        ADDON_ENCRYPTION_KEY: BENCH_KEY,
        CLOCKIFY_PUBLIC_KEY: info.publicKeyPem,
        CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host,
        WORKER_CONCURRENCY: String(Math.max(8, scenario.workspaces + 4)),
        CLOCKIFY_ADDON_RUN_ON_INSTALL: 'true',
        CLOCKIFY_ADDON_INCLUDE_TIME_ENTRIES: 'true',
        // The sandbox spreads entries over the 30 days before today: 60 days back covers them all.
        CLOCKIFY_ADDON_TIME_ENTRY_DAYS_BACK: '60',
        CLOCKIFY_ADDON_MAX_RPS: String(scenario.maxRps),
        DATABASE_URL: databaseUrl,
      },
      { dotenvPath: false },
    );
    const runtime = await createRuntime('clockify-addon', config, { logger: createLogger({ level: 'silent' }) });
    const app: FastifyInstance = createHttpServer(runtime);
    await app.register(opsRoutes, { runtime });
    const rooms = await setupRooms(runtime);
    for (const room of rooms) if (room.routes) await room.routes(app);
    await app.register(async (ui) => {
      registerUserAuth(ui, runtime);
      for (const room of rooms) if (room.uiRoutes) await room.uiRoutes(ui);
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const worker = new Worker(runtime.queue, runtime.jobHandlers, {
      concurrency: config.jobs.concurrency,
      leaseMs: config.jobs.leaseSeconds * 1000,
      pollIntervalMs: 100,
      logger: runtime.logger,
    });
    worker.start();
    stop = async () => {
      await Promise.all([app.close(), worker.stop(2000)]);
      await runtime.close();
    };

    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    const manifest = buildManifest({ edition: runtime.edition, key: runtime.editionConfig.key, baseUrl: url });
    await Promise.all(
      info.workspaces.map((workspace) =>
        json(`${sandbox.url}/__sandbox/install`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ manifest, workspaceId: workspace.id }),
        }),
      ),
    );

    const deadline = Date.now() + scenario.timeoutMs;
    const db = runtime.database.db;
    let runs = await db.selectFrom('bootstrap_runs').selectAll().execute();
    while (Date.now() < deadline) {
      runs = await db.selectFrom('bootstrap_runs').selectAll().execute();
      if (runs.length === info.workspaces.length && runs.every((run) => run.status !== 'pending' && run.status !== 'running')) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    clearInterval(sampler);

    const stats = await json<{ requestsByStatus: Record<string, number>; workspaces: { id: string; maxRequestsPerSecond: number }[] }>(
      `${sandbox.url}/__sandbox/stats`,
    );
    const cached = await db
      .selectFrom('entity_cache')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('entity_type', '=', 'time-entries')
      .executeTakeFirst();
    const others = await db
      .selectFrom('api_calls')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('source', '!=', 'bootstrap')
      .executeTakeFirst();
    const otherRows = await db
      .selectFrom('api_calls')
      .select(['workspace_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('source', '!=', 'bootstrap')
      .groupBy('workspace_id')
      .execute();
    const otherByWorkspace = new Map(otherRows.map((row) => [row.workspace_id, Number(row.count)]));
    const calls = await db
      .selectFrom('api_calls')
      .select((eb) => [eb.fn.avg<number>('duration_ms').as('mean')])
      .where('source', '=', 'bootstrap')
      .executeTakeFirst();
    const finished = runs.filter((run) => run.status === 'completed');
    const started = Math.min(...runs.map((run) => Number(run.started_at ?? run.created_at)));
    const ended = Math.max(...runs.map((run) => Number(run.finished_at ?? Date.now())));
    const expected = scenario.timeEntries * scenario.workspaces;
    const ok = finished.length === info.workspaces.length && Number(cached?.count ?? 0) === expected;
    return {
      scenario,
      ok,
      ...(ok
        ? {}
        : {
            error: `${finished.length}/${info.workspaces.length} runs completed, ${Number(cached?.count ?? 0)}/${expected} time entries cached`,
          }),
      runsCompleted: finished.length,
      stepErrors: runs.reduce((sum, run) => sum + Number(run.errors_count), 0),
      pages: runs.reduce((sum, run) => sum + Number(run.pages_fetched), 0),
      entities: runs.reduce((sum, run) => sum + Number(run.entities_fetched), 0),
      timeEntriesCached: Number(cached?.count ?? 0),
      wallSeconds: runs.length > 0 ? (ended - started) / 1000 : 0,
      floorSeconds: Math.max(0, ...runs.map((run) => Number(run.pages_fetched) / scenario.maxRps)),
      budgetFloorSeconds: Math.max(
        0,
        ...runs.map((run) => (Number(run.pages_fetched) + (otherByWorkspace.get(run.workspace_id) ?? 0)) / scenario.maxRps),
      ),
      tooManyRequests: stats.requestsByStatus['429'] ?? 0,
      maxRequestsPerSecond: Math.max(0, ...stats.workspaces.map((workspace) => workspace.maxRequestsPerSecond)),
      meanCallMs: Number(calls?.mean ?? 0),
      otherBackgroundCalls: Number(others?.count ?? 0),
      baselineRssMb: baselineRss / 1024 / 1024,
      peakRssMb: peakRss / 1024 / 1024,
    };
  } finally {
    await stop?.().catch(() => undefined);
    await dropDatabase?.().catch(() => undefined);
    sandbox.process.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const scenarioIndex = args.indexOf('--scenario');
  if (scenarioIndex >= 0) {
    const scenario = JSON.parse(args[scenarioIndex + 1] ?? '{}') as BootstrapScenario;
    const result = await runScenario(scenario).catch((error: unknown) =>
      emptyResult(scenario, error instanceof Error ? error.message : String(error)),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  const quick = args.includes('--quick');
  const asJson = args.includes('--json');
  process.stderr.write(`bootstrap benchmark (${quick ? 'reduced size' : 'full size'})…\n`);
  const { markdown, results } = await runBootstrapBench({
    quick,
    onResult: (result) => process.stderr.write(`  ${result.scenario.name}: ${result.ok ? 'ok' : result.error}\n`),
  });
  if (asJson) process.stdout.write(`${JSON.stringify(results)}\n`);
  process.stdout.write(
    `\n## Bootstrap\n\n${markdown}\n\nFloor = pages ÷ max_rps of the slowest workspace (each workspace has its own budget). "Other calls": the add-on's webhook registration at install, which shares the background budget; the floor with them counts those too. 429s: every one counted by the sandbox, which injects none here. Peak RSS is the add-on process alone (the sandbox runs in its own process).\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
