/**
 * Flow benchmark (issue 8), against the Clockify sandbox. The edition (API Studio) runs in a child
 * process as deployed — HTTP and job worker in one process — and the sandbox in this one, so on
 * 2 cores each has its own. Every workspace has one enabled flow: NEW_CLIENT → one Clockify call
 * (getTags), so a run costs exactly one request of its workspace's budget.
 *
 * 1. Latency, idle queue: the sandbox sends one webhook at a time to one workspace; a sample is the
 *    time from the add-on's 200 to that webhook (the delivery's finish) to the moment the sandbox
 *    receives the flow's first action, both read at the sandbox. The next webhook goes out when the
 *    run has finished and the workspace has been quiet for a moment.
 * 2. Throughput across 50 workspaces, offered far more events than their budgets allow (interleaved
 *    over the workspaces): runs per second while the pipeline is full, against the sum of the budgets.
 *    - "budget": a small budget per workspace (default 2/s, so 100 runs/s for 50 workspaces), set
 *      both in the add-on (RATE_LIMIT_RPS) and in the sandbox, where outpacing it would show as 429s;
 *      events offered at three times the budget;
 *    - "ceiling": Clockify's 50/s per workspace (2,500/s in all) — far more than one process can
 *      run, so this measures the add-on's own ceiling.
 *
 *   npx tsx bench/flows.ts [--quick] [--dialect sqlite,postgres] [--per-second 2] [--json]
 *   FLOWS_BENCH_CHILD_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npx tsx bench/flows.ts   # profile the edition
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../sandbox/src/index.js';
import type { Sandbox } from '../sandbox/src/index.js';
import { getEdition } from '../src/editions/index.js';
import type { EditionId } from '../src/editions/types.js';
import { createPostgresDatabase, freePort, postgresAnswers, round, sandboxEditionEnv, sleep, table } from './common.js';

const SELF = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--flows-bench-edition';
const EDITION: EditionId = 'api-studio';
const TRIGGER = 'NEW_CLIENT';
/** Clockify's budget per add-on and workspace. */
const CLOCKIFY_PER_SECOND = 50;

export type FlowsBenchDialect = 'sqlite' | 'postgres';

export interface FlowsBenchOptions {
  dialects?: FlowsBenchDialect[];
  /** Fewer samples and events (for `npm run bench`). */
  quick?: boolean;
  /** Latency samples (default 300, quick 150). */
  latencySamples?: number;
  /** Workspaces of the throughput cases (default 50). */
  workspaces?: number;
  /** Budget per workspace of the "budget" case, requests per second (default 2). */
  perSecond?: number;
  /** Seconds of work per workspace at its budget in the "budget" case (default 15, quick 8). */
  secondsAtBudget?: number;
  /** Events per workspace in the "ceiling" case (default 80, quick 40). */
  ceilingEventsPerWorkspace?: number;
  /** Jobs the worker runs at once (default 64: enough to keep every workspace's budget busy). */
  workerConcurrency?: number;
  log?: (line: string) => void;
}

export interface LatencyResult {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ThroughputResult {
  label: 'budget' | 'ceiling';
  workspaces: number;
  perSecond: number;
  /** workspaces × perSecond: the most runs per second the budgets allow (one call per run). */
  budgetRunsPerSecond: number;
  events: number;
  runs: number;
  failedRuns: number;
  /** Seconds from the first event offered to the last run finished. */
  wallSeconds: number;
  /** Runs per second between the 10th and 90th percentile of finish times (the pipeline full). */
  sustainedRunsPerSecond: number;
  /** sustained ÷ budget. */
  budgetShare: number;
  /** Events per second offered (the budget case paces them; the ceiling case sends as fast as it can). */
  ingestPerSecond: number;
  /** The busiest sliding second of any one workspace at the sandbox. */
  busiestWorkspaceSecond: number;
  tooManyRequests: number;
  /** CPU the edition's process used per run (user + system). */
  editionCpuMsPerRun: number;
}

export interface FlowsBenchCase {
  name: string;
  dialect: FlowsBenchDialect;
  /** Acknowledged → first action, idle queue (the number bench/run.ts checks against 50 ms). */
  p95Ms: number;
  latency: LatencyResult;
  throughput: ThroughputResult[];
}

export interface FlowsBenchResult {
  cases: FlowsBenchCase[];
  skipped: { dialect: FlowsBenchDialect; reason: string }[];
  markdown: string;
}

export async function runFlowsBench(options: FlowsBenchOptions = {}): Promise<FlowsBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[flows] ${line}\n`));
  const cases: FlowsBenchCase[] = [];
  const skipped: FlowsBenchResult['skipped'] = [];
  for (const dialect of options.dialects ?? ['sqlite']) {
    if (dialect === 'postgres' && !(await postgresAnswers())) {
      skipped.push({ dialect, reason: 'PostgreSQL does not answer' });
      continue;
    }
    cases.push(await runCase(dialect, options, log));
  }
  const result: FlowsBenchResult = { cases, skipped, markdown: '' };
  result.markdown = formatFlowsBench(result);
  return result;
}

async function runCase(dialect: FlowsBenchDialect, options: FlowsBenchOptions, log: (line: string) => void): Promise<FlowsBenchCase> {
  const workspaces = options.workspaces ?? 50;
  const perSecond = options.perSecond ?? 2;
  const samples = options.latencySamples ?? (options.quick ? 150 : 300);
  const secondsAtBudget = options.secondsAtBudget ?? (options.quick ? 8 : 15);
  const ceilingEvents = options.ceilingEventsPerWorkspace ?? (options.quick ? 40 : 80);
  const concurrency = options.workerConcurrency ?? 64;

  // Clockify's own budget: the idle-queue latency, then the add-on's ceiling.
  const ceiling = await withSetup(dialect, workspaces, CLOCKIFY_PER_SECOND, concurrency, log, async (setup) => {
    log(`${dialect}: latency, ${samples} samples on an idle queue…`);
    const latency = await measureLatency(setup, samples);
    log(`${dialect}: acknowledged → first action p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);
    log(`${dialect}: ceiling, ${workspaces} workspaces × ${ceilingEvents} events at ${CLOCKIFY_PER_SECOND}/s each…`);
    const throughput = await measureThroughput(setup, 'ceiling', ceilingEvents);
    log(`${dialect}: ceiling ${throughput.sustainedRunsPerSecond} runs/s`);
    return { latency, throughput };
  });
  const budget = await withSetup(dialect, workspaces, perSecond, concurrency, log, async (setup) => {
    log(`${dialect}: budget, ${workspaces} workspaces × ${perSecond * secondsAtBudget} events at ${perSecond}/s each…`);
    // Three times what the budgets allow: far more than they let through, without drowning both processes.
    const throughput = await measureThroughput(setup, 'budget', perSecond * secondsAtBudget, 3 * workspaces * perSecond);
    log(`${dialect}: ${throughput.sustainedRunsPerSecond} runs/s sustained of a ${throughput.budgetRunsPerSecond}/s budget`);
    return throughput;
  });
  return { name: dialect, dialect, p95Ms: ceiling.latency.p95Ms, latency: ceiling.latency, throughput: [budget, ceiling.throughput] };
}

// ---------------------------------------------------------------------------------------------
// Set-up: sandbox here, edition in a child process, installed with one flow in every workspace.

interface Setup {
  sandbox: Sandbox;
  edition: EditionChild;
  workspaceIds: string[];
  perSecond: number;
}

async function withSetup<T>(
  dialect: FlowsBenchDialect,
  workspaces: number,
  perSecond: number,
  concurrency: number,
  log: (line: string) => void,
  body: (setup: Setup) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({
    seed: { workspaces, users: 2, projects: 2, clients: 1, tags: 2, timeEntries: 0, customFields: 0, userGroups: 0 },
    rateLimitPerSecond: perSecond,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'cap-bench-flows-'));
  const database =
    dialect === 'postgres'
      ? await createPostgresDatabase('bench_flows')
      : { url: `sqlite:${join(dataDir, 'flows.db')}`, drop: async () => undefined };
  let edition: EditionChild | undefined;
  try {
    const definition = getEdition(EDITION);
    const port = await freePort();
    edition = await EditionChild.start({
      ...sandboxEditionEnv({ edition: definition, port, dataDir, databaseUrl: database.url, sandbox }),
      WORKER_CONCURRENCY: String(concurrency),
      RATE_LIMIT_RPS: String(perSecond),
      BOOTSTRAP_RATE_LIMIT_RPS: String(Math.max(1, Math.floor(perSecond / 2))),
    });
    log(`${dialect}: installing in ${workspaces} workspaces (budget ${perSecond}/s each)…`);
    const workspaceIds = sandbox.workspaces().map((ws) => ws.id);
    for (const workspaceId of workspaceIds) {
      const installed = await sandbox.install({ manifestUrl: `${edition.url}/manifest`, workspaceId });
      if (!installed.installed) throw new Error(`install failed: ${JSON.stringify(installed)}`);
      await createBenchFlow(sandbox, edition.url, workspaceId);
    }
    await waitFor(async () => ((await edition!.ask({ type: 'open-jobs' })) === 0 ? true : undefined), 180_000, 100);
    return await body({ sandbox, edition, workspaceIds, perSecond });
  } finally {
    await edition?.stop();
    await sandbox.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One flow per workspace: on every new client, one Clockify call (GET tags named like the client). */
async function createBenchFlow(sandbox: Sandbox, editionUrl: string, workspaceId: string): Promise<void> {
  const token = await sandbox.userToken({ addonKey: getEdition(EDITION).key, workspaceId, role: 'OWNER' });
  const definition = {
    name: 'bench: look up tags of a new client',
    enabled: true,
    trigger: { kind: 'clockify', events: [TRIGGER] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'exists' }] },
    actions: [{ id: 'lookUp', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event.name }}', 'page-size': 1 } }],
  };
  const response = await fetch(`${editionUrl}/ui/flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ definition }),
  });
  if (response.status !== 201) throw new Error(`could not create the flow: ${response.status} ${await response.text()}`);
}

// ---------------------------------------------------------------------------------------------
// Measurements.

async function measureLatency({ sandbox, edition, workspaceIds }: Setup, samples: number): Promise<LatencyResult> {
  const workspaceId = workspaceIds[0]!;
  const latencies: number[] = [];
  // Deliveries carry Date.now(), the request log performance time: put both on one clock.
  const clockOffset = () => Date.now() - (performance.timeOrigin + performance.now());
  for (let index = 0; index < samples; index += 1) {
    const name = `latency-${index}`;
    const seen = sandbox.requestLog().length;
    const [delivery] = await sandbox.trigger(TRIGGER, {
      workspaceId,
      payload: { id: `client-${name}`, name, workspaceId, archived: false },
    });
    if (!delivery || delivery.state !== 'SUCCEEDED' || delivery.finishedAt === undefined)
      throw new Error(`webhook not acknowledged: ${JSON.stringify(delivery)}`);
    // Polled gently: the sandbox stamps the arrival itself, and a busy poll would delay that stamp.
    const request = await waitFor(
      () =>
        sandbox
          .requestLog()
          .slice(seen)
          .find((record) => record.method === 'GET' && record.path.endsWith('/tags')),
      10_000,
      10,
    );
    latencies.push(request.at + clockOffset() - delivery.finishedAt);
    // Idle: the run has finished, and the workspace has been quiet for longer than its limiter spaces calls (21 ms at 50/s).
    await waitFor(async () => ((await edition.ask({ type: 'running-runs' })) === 0 ? true : undefined), 10_000, 5);
    await sleep(40);
  }
  return {
    samples,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: round(Math.max(...latencies), 1),
  };
}

/** `offeredPerSecond`: events are sent at this pace (undefined: as fast as 32 senders can). */
async function measureThroughput(
  { sandbox, edition, workspaceIds, perSecond }: Setup,
  label: ThroughputResult['label'],
  eventsPerWorkspace: number,
  offeredPerSecond?: number,
): Promise<ThroughputResult> {
  const firstRequest = sandbox.requestLog().length;
  const cpuBefore = (await edition.ask({ type: 'cpu' })) as number;
  const startedAt = Date.now();
  const offered: { workspaceId: string; index: number }[] = [];
  // Interleaved, so every workspace has work waiting from the first second on.
  for (let index = 0; index < eventsPerWorkspace; index += 1) for (const workspaceId of workspaceIds) offered.push({ workspaceId, index });
  let next = 0;
  let unacknowledged = 0;
  const sender = async () => {
    for (let position = next++, item = offered[position]; item; position = next++, item = offered[position]) {
      if (offeredPerSecond) await sleep(startedAt + (position * 1000) / offeredPerSecond - Date.now());
      const name = `${label}-${item.index}`;
      const [delivery] = await sandbox.trigger(TRIGGER, {
        workspaceId: item.workspaceId,
        payload: { id: `client-${item.workspaceId}-${name}`, name, workspaceId: item.workspaceId, archived: false },
      });
      if (delivery?.state !== 'SUCCEEDED') unacknowledged += 1;
    }
  };
  await Promise.all(Array.from({ length: 32 }, sender));
  const ingestSeconds = (Date.now() - startedAt) / 1000;
  if (unacknowledged > 0) throw new Error(`${unacknowledged} webhooks were not acknowledged`);

  const events = offered.length;
  await waitFor(
    async () => (((await edition.ask({ type: 'finished-runs', since: startedAt })) as number) >= events ? true : undefined),
    20 * 60_000,
    250,
  );
  const runs = (await edition.ask({ type: 'runs', since: startedAt })) as { status: string; finishedAt: number }[];
  const cpuAfter = (await edition.ask({ type: 'cpu' })) as number;
  const finished = runs.map((run) => run.finishedAt).sort((a, b) => a - b);
  const low = Math.floor(finished.length * 0.1);
  const high = Math.floor(finished.length * 0.9);
  const sustained = (high - low) / Math.max(0.001, (finished[high]! - finished[low]!) / 1000);
  const budget = workspaceIds.length * perSecond;
  return {
    label,
    workspaces: workspaceIds.length,
    perSecond,
    budgetRunsPerSecond: budget,
    events,
    runs: runs.length,
    failedRuns: runs.filter((run) => run.status !== 'succeeded').length,
    wallSeconds: round((finished[finished.length - 1]! - startedAt) / 1000, 1),
    sustainedRunsPerSecond: round(sustained, 1),
    budgetShare: round(sustained / budget, 3),
    ingestPerSecond: round(events / ingestSeconds),
    busiestWorkspaceSecond: Math.max(...workspaceIds.map((id) => sandbox.maxRequestsPerSecond(id))),
    tooManyRequests: sandbox
      .requestLog()
      .slice(firstRequest)
      .filter((record) => record.status === 429).length,
    editionCpuMsPerRun: round((cpuAfter - cpuBefore) / 1000 / Math.max(1, runs.length), 2),
  };
}

// ---------------------------------------------------------------------------------------------
// The edition's child process and its small question-and-answer protocol.

type Question =
  | { type: 'open-jobs' }
  | { type: 'running-runs' }
  | { type: 'finished-runs'; since: number }
  | { type: 'runs'; since: number }
  | { type: 'cpu' };

class EditionChild {
  private readonly waiting: ((message: { type: string; value?: unknown; url?: string; message?: string }) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>): Promise<EditionChild> {
    const child = fork(SELF, [CHILD_FLAG], {
      execArgv: ['--import', 'tsx', ...(process.env.FLOWS_BENCH_CHILD_ARGS ? process.env.FLOWS_BENCH_CHILD_ARGS.split(' ') : [])],
      env: { ...process.env, FLOWS_BENCH_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ type: string; url?: string; message?: string }>((resolve) => {
      child.once('message', (message: { type: string; url?: string; message?: string }) => resolve(message));
      child.once('exit', (code) => resolve({ type: 'error', message: `edition exited with code ${code}` }));
    });
    if (ready.type !== 'ready' || !ready.url) {
      child.kill('SIGKILL');
      throw new Error(`edition did not start: ${ready.message ?? JSON.stringify(ready)}`);
    }
    const edition = new EditionChild(child, ready.url);
    child.on('message', (message: { type: string; value?: unknown }) => edition.waiting.shift()?.(message));
    return edition;
  }

  ask(question: Question): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push((message) =>
        message.type === 'answer' ? resolve(message.value) : reject(new Error(message.message ?? 'edition failed')),
      );
      this.child.send(question);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

async function runEditionChild(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.js');
  const { startEdition } = await import('../src/edition.js');
  const { createLogger } = await import('../src/observability/logger.js');
  const env = JSON.parse(process.env.FLOWS_BENCH_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig(env, { dotenvPath: false });
  const running = await startEdition(EDITION, config, { logger: createLogger({ level: env.LOG_LEVEL ?? 'warn' }) });
  const db = running.runtime.database.db;
  const count = (row: { n: unknown } | undefined) => Number(row?.n ?? 0);
  const answer = async (question: Question | { type: 'stop' }): Promise<unknown> => {
    switch (question.type) {
      case 'open-jobs':
        return count(
          await db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', 'in', ['pending', 'running'])
            .executeTakeFirst(),
        );
      case 'running-runs':
        return count(
          await db
            .selectFrom('flow_runs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'running')
            .executeTakeFirst(),
        );
      case 'finished-runs':
        return count(
          await db
            .selectFrom('flow_runs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('started_at', '>=', question.since)
            .where('status', '!=', 'running')
            .executeTakeFirst(),
        );
      case 'runs':
        return (await db.selectFrom('flow_runs').select(['status', 'finished_at']).where('started_at', '>=', question.since).execute()).map(
          (row) => ({ status: row.status, finishedAt: Number(row.finished_at) }),
        );
      case 'cpu': {
        const usage = process.cpuUsage();
        return usage.user + usage.system;
      }
      case 'stop':
        await running.stop();
        process.exit(0);
    }
  };
  process.on('message', (question: Question | { type: 'stop' }) => {
    answer(question).then(
      (value) => process.send?.({ type: 'answer', value }),
      (error: unknown) => process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.send?.({ type: 'ready', url: running.url });
}

// ---------------------------------------------------------------------------------------------
// Small helpers and the report.

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs = 1): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[index] ?? Number.NaN, 1);
}

export function formatFlowsBench(result: Pick<FlowsBenchResult, 'cases' | 'skipped'>): string {
  const lines = [
    'API Studio in a child process (HTTP and worker, as deployed), the sandbox in the benchmark process. Flow: NEW_CLIENT → one Clockify call (getTags).',
    'Latency: webhook acknowledged (the sandbox got the 200) → the sandbox received the first action, one webhook at a time on an idle queue.',
    'Throughput: events interleaved over the workspaces, offered at 3× the budget ("budget") or as fast as 32 senders can ("ceiling"); "sustained" counts runs finished between the 10th and 90th percentile of finish times.',
    'The sandbox limits each workspace to the same budget as the add-on, so outpacing it would show as 429s.',
    '',
    table(
      ['database', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      result.cases.map((c) => [c.dialect, c.latency.samples, c.latency.p50Ms, c.latency.p95Ms, c.latency.p99Ms, c.latency.maxMs]),
    ),
    '',
    table(
      [
        'database',
        'case',
        'workspaces × budget',
        'events',
        'offered events/s',
        'sustained runs/s',
        'share of budget',
        'busiest workspace second',
        '429s',
        'failed runs',
        'edition CPU ms/run',
        'wall s',
      ],
      result.cases.flatMap((c) =>
        c.throughput.map((t) => [
          c.dialect,
          t.label,
          `${t.workspaces} × ${t.perSecond}/s = ${t.budgetRunsPerSecond}/s`,
          t.events,
          t.ingestPerSecond,
          t.sustainedRunsPerSecond,
          `${round(t.budgetShare * 100, 1)}%`,
          `${t.busiestWorkspaceSecond}/s`,
          t.tooManyRequests,
          t.failedRuns,
          t.editionCpuMsPerRun,
          t.wallSeconds,
        ]),
      ),
    ),
  ];
  for (const skip of result.skipped) lines.push('', `${skip.dialect}: not measured (${skip.reason}).`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const options: FlowsBenchOptions = {};
  let json = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => argv[++index] ?? '';
    if (arg === '--quick') options.quick = true;
    else if (arg === '--dialect') options.dialects = value().split(',') as FlowsBenchDialect[];
    else if (arg === '--per-second') options.perSecond = Number(value());
    else if (arg === '--workspaces') options.workspaces = Number(value());
    else if (arg === '--samples') options.latencySamples = Number(value());
    else if (arg === '--seconds') options.secondsAtBudget = Number(value());
    else if (arg === '--ceiling-events') options.ceilingEventsPerWorkspace = Number(value());
    else if (arg === '--json') json = true;
  }
  const result = await runFlowsBench(options);
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${result.markdown}\n`);
}

if (process.argv[1] === SELF) {
  const run = process.argv.includes(CHILD_FLAG) ? runEditionChild() : main(process.argv.slice(2));
  run.catch((error: unknown) => {
    process.stderr.write(`flows bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
