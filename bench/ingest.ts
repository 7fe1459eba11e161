/**
 * Webhook ingestion benchmark (issue 5): 50 connections post signed NEW_TIME_ENTRY webhooks, each
 * with a distinct payload, to one edition on SQLite and on PostgreSQL, and — in the same run — to a
 * bare node:http server that answers 200 without work. Reports req/s, p50/p99 latency, the ratio to
 * the bare server, and checks that every acknowledged event is in the database afterwards.
 *
 *   npx tsx bench/ingest.ts [--duration 10] [--connections 50] [--dialect sqlite,postgres] [--no-worker | --also-without-worker] [--also-with-flow] [--cpu-prof DIR] [--sql-timing] [--json]
 *
 * Fairness on a small machine: the server under test (bare or edition) runs in a child process and
 * autocannon in this one, so on 2 cores each gets one; the Clockify sandbox (used once, to install the
 * add-on and mint a real webhook token) sits idle in this process while measuring. The edition runs
 * as deployed: same process serves HTTP and runs the job worker that processes the stored events.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { FlowDefinition } from '../src/flows/model.js';
import { POSTGRES_ADMIN_URL, createPostgresDatabase, freePort, postgresProblem } from './common.js';

const SELF = fileURLToPath(import.meta.url);
const ENCRYPTION_KEY = randomBytes(32).toString('hex');

export type BenchDialect = 'sqlite' | 'postgres';

export interface IngestBenchOptions {
  /** Seconds of measurement per case (default 10). */
  durationSeconds?: number;
  /** Seconds of unmeasured load before each case (default 2). */
  warmupSeconds?: number;
  connections?: number;
  dialects?: BenchDialect[];
  /** Maintenance URL of a PostgreSQL server; a database is created and dropped for the run. */
  postgresUrl?: string;
  /** Run the job worker in the edition while measuring (default true, as deployed). */
  worker?: boolean;
  /** Measure each database a second time with the worker off: ingestion alone, without processing in the same process. */
  alsoWithoutWorker?: boolean;
  /** Measure each database again with an enabled flow triggered by every webhook (whose condition never matches): every event is then processed in the same process. */
  alsoWithFlow?: boolean;
  /** Time every SQLite statement (count every PostgreSQL query) of each edition child, printed when it exits (bench/sql-timing.mjs). */
  sqlTiming?: boolean;
  /** Write a V8 CPU profile of each edition child into this folder (node --cpu-prof). */
  cpuProfileDir?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  /** Mean latency: in a closed loop, connections ÷ req/s (Little's law), so p99 follows throughput. */
  latencyMeanMs: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time the server process spent per request during the measurement (user + system): less sensitive than req/s to other load on the machine. */
  serverCpuMicrosecondsPerRequest?: number;
  /** Share of the measurement the server's event loop (its main thread) was busy: near 1, that thread is the limit. */
  eventLoopBusy?: number;
  /** The edition's pauses during the measurement: event-loop delays (what a request waits beyond its own work) and garbage collection. */
  pauses?: Pauses;
}

export interface EditionCaseResult extends LoadResult {
  dialect: BenchDialect;
  /** Whether the job worker processed the events in the same process while they arrived. */
  worker: boolean;
  /** Whether a flow watched NEW_TIME_ENTRY, so that every event needed processing. */
  flow: boolean;
  /** The bare server's req/s around this case: the mean of the bare runs just before and just after it. */
  bareRequestsPerSecond: number;
  /** requestsPerSecond / bareRequestsPerSecond. */
  ratioToBare: number;
  /** 1 s / server CPU per request: the req/s this edition could serve with one core to itself (the bare server is client-bound long before). */
  cpuBoundCeilingRequestsPerSecond?: number;
  /** 200 answers with an event id (warm-up included). */
  acknowledged: number;
  /** Of those, how many events were found in the database afterwards. */
  acknowledgedStored: number;
  allAcknowledgedStored: boolean;
  meetsTargets: boolean;
}

export interface IngestBenchResult {
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryGb: number;
    freeMemoryGb: number;
    node: string;
    platform: string;
    loadAverageBefore: number;
    loadAverageAfter: number;
  };
  settings: { durationSeconds: number; warmupSeconds: number; connections: number; worker: boolean; edition: string; layout: string };
  targets: { minRatioToBare: number; maxP99Ms: number };
  /** The first bare run (before every case). */
  bare: LoadResult;
  /** Every bare run: before the first case and after each case, so each case is compared with the bare runs around it. */
  bareRuns: LoadResult[];
  cases: EditionCaseResult[];
  skipped: { dialect: BenchDialect; reason: string }[];
}

export const TARGETS = { minRatioToBare: 0.35, maxP99Ms: 20 };

// ---------------------------------------------------------------------------------------------
// Child processes: the bare server and the edition under test.

type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'token'; token: string }
  | { type: 'cpu'; microseconds: number; loopActiveMs: number; loopIdleMs: number; pauses?: Pauses }
  | { type: 'settled' }
  | { type: 'flow-created' }
  | { type: 'error'; message: string };

/** Pauses of the server's event loop: its delays (sampled every 5 ms) and the garbage collector's pauses, since the last reset. */
function pauseRecorder() {
  const delays = monitorEventLoopDelay({ resolution: 5 });
  delays.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    snapshot: (): Pauses => ({
      loopDelayP99Ms: delays.percentile(99) / 1e6,
      loopDelayMaxMs: delays.max / 1e6,
      gcPauses: gc.count,
      gcTotalMs: gc.totalMs,
      gcMaxMs: gc.maxMs,
    }),
    reset: () => {
      delays.reset();
      gc = { count: 0, totalMs: 0, maxMs: 0 };
    },
  };
}

interface Pauses {
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcPauses: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

const pauses = process.env.INGEST_BENCH_ROLE === 'edition' ? pauseRecorder() : undefined;

/** CPU time (user + system) the process has used so far, and its pauses since the previous call. */
function cpuMessage(): ChildMessage {
  const usage = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const since = pauses?.snapshot();
  pauses?.reset();
  return {
    type: 'cpu',
    microseconds: usage.user + usage.system,
    loopActiveMs: loop.active,
    loopIdleMs: loop.idle,
    ...(since ? { pauses: since } : {}),
  };
}

async function runBareChild(): Promise<void> {
  const body = JSON.stringify({ status: 'accepted', eventId: 'x'.repeat(22) });
  const server = createServer((request, response) => {
    // Read the body like any real handler must, then answer without work.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({
      type: 'ready',
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    } satisfies ChildMessage);
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') process.send?.(cpuMessage());
    if (message.type === 'stop') server.close(() => process.exit(0));
  });
}

async function runEditionChild(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.js');
  const { startEdition } = await import('../src/edition.js');
  const { createLogger } = await import('../src/observability/logger.js');
  const env = JSON.parse(process.env.INGEST_BENCH_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig(env, { dotenvPath: false });
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'info' });
  const running = await startEdition('api-studio', config, {
    logger,
    port: Number(env.API_STUDIO_PORT),
    worker: env.WORKER_CONCURRENCY !== '0',
  });
  process.on('message', async (message: { type: string; workspaceId?: string; event?: string }) => {
    if (message.type === 'cpu') process.send?.(cpuMessage());
    if (message.type === 'settle') {
      // The install's own background work (webhook registration, bootstrap) must not overlap the measurement.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const counts = await running.runtime.queue.countsByStatus();
        if ((!counts.pending && !counts.running) || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      process.send?.({ type: 'settled' } satisfies ChildMessage);
    }
    if (message.type === 'flow') {
      // Triggered by every webhook sent, and never matching: each event is processed, no Clockify call is made.
      const { FlowStore } = await import('../src/flows/store.js');
      await new FlowStore(running.runtime.database, running.runtime.now).create(
        message.workspaceId!,
        {
          name: 'bench: watches every time entry',
          enabled: true,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [{ path: '$.description', op: 'equals', value: 'no benchmark entry says this' }] },
          actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
        } satisfies FlowDefinition,
        null,
      );
      process.send?.({ type: 'flow-created' } satisfies ChildMessage);
    }
    if (message.type === 'token') {
      const row = await running.runtime.database.db
        .selectFrom('webhook_registrations')
        .select('token_ciphertext')
        .where('workspace_id', '=', message.workspaceId!)
        .where('event', '=', message.event!)
        .executeTakeFirst();
      if (!row?.token_ciphertext) process.send?.({ type: 'error', message: 'no webhook token stored' } satisfies ChildMessage);
      else process.send?.({ type: 'token', token: running.runtime.box.open(row.token_ciphertext) } satisfies ChildMessage);
    }
    if (message.type === 'stop') {
      await running.stop();
      process.exit(0);
    }
  });
  process.send?.({ type: 'ready', url: running.url } satisfies ChildMessage);
}

class Child {
  private readonly waiting: ((message: ChildMessage) => void)[] = [];
  private exited = false;
  constructor(readonly process: ChildProcess) {
    process.on('message', (message: ChildMessage) => this.waiting.shift()?.(message));
    process.on('exit', (code) => {
      this.exited = true;
      for (const resolve of this.waiting.splice(0)) resolve({ type: 'error', message: `child exited with code ${code}` });
    });
  }

  static start(role: 'bare' | 'edition', env: Record<string, string> = {}, cpuProfileDir?: string, sqlTiming = false): Child {
    const child = fork(SELF, [], {
      execArgv: [
        '--import',
        'tsx',
        ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
        ...(sqlTiming ? ['--import', join(dirname(SELF), 'sql-timing.mjs')] : []),
      ],
      env: { ...process.env, INGEST_BENCH_ROLE: role, INGEST_BENCH_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Child(child);
  }

  next(timeoutMs = 30_000): Promise<ChildMessage> {
    if (this.exited) return Promise.resolve({ type: 'error', message: 'child has exited' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ type: 'error', message: 'child did not answer in time' }), timeoutMs);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  async request(message: object, timeoutMs?: number): Promise<ChildMessage> {
    const answer = this.next(timeoutMs);
    this.process.send(message);
    return answer;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Load generation.

interface LoadTarget {
  url: string;
  token: string;
  workspaceId: string;
  template: Record<string, unknown>;
}

/** Posts distinct NEW_TIME_ENTRY payloads (fresh entry id per request) and collects the acknowledged event ids. */
async function load(
  name: string,
  target: LoadTarget,
  seconds: number,
  connections: number,
  acknowledged?: Set<string>,
): Promise<LoadResult> {
  let sequence = 0;
  const prefix = randomBytes(4).toString('hex');
  const instance = autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/clockify',
        headers: {
          'content-type': 'application/json',
          'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
          'clockify-signature': target.token,
        },
        setupRequest: (request) => {
          sequence += 1;
          request.body = JSON.stringify({
            ...target.template,
            id: `${prefix}${sequence.toString(16).padStart(16, '0')}`,
            workspaceId: target.workspaceId,
          });
          return request;
        },
        onResponse: (status, body) => {
          if (acknowledged && status === 200) {
            const eventId = /"eventId":"([^"]+)"/.exec(body)?.[1];
            if (eventId) acknowledged.add(eventId);
          }
        },
      },
    ],
  });
  const result = await instance;
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyMeanMs: Math.round(result.latency.mean * 10) / 10,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Runs `load` and adds the server's CPU time per request, read from the child before and after. */
async function measured(child: Child, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = await child.request({ type: 'cpu' });
  const result = await run();
  const after = await child.request({ type: 'cpu' });
  if (before.type === 'cpu' && after.type === 'cpu' && result.requests > 0) {
    result.serverCpuMicrosecondsPerRequest = Math.round((after.microseconds - before.microseconds) / result.requests);
    const active = after.loopActiveMs - before.loopActiveMs;
    const idle = after.loopIdleMs - before.loopIdleMs;
    if (active + idle > 0) result.eventLoopBusy = Math.round((active / (active + idle)) * 100) / 100;
    if (after.pauses) {
      const { loopDelayP99Ms, loopDelayMaxMs, gcPauses, gcTotalMs, gcMaxMs } = after.pauses;
      const round1 = (value: number) => Math.round(value * 10) / 10;
      result.pauses = {
        loopDelayP99Ms: round1(loopDelayP99Ms),
        loopDelayMaxMs: round1(loopDelayMaxMs),
        gcPauses,
        gcTotalMs: round1(gcTotalMs),
        gcMaxMs: round1(gcMaxMs),
      };
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Databases.

async function createDatabase(dialect: BenchDialect, adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'postgres') return createPostgresDatabase('bench_ingest', adminUrl);
  const dir = mkdtempSync(join(tmpdir(), 'cap-bench-'));
  return { url: `sqlite:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** How many of `ids` are stored events (read by this process, after the edition has stopped). */
async function countStored(databaseUrl: string, ids: string[]): Promise<number> {
  const { openDatabase } = await import('../src/database.js');
  const database = await openDatabase(databaseUrl, { migrate: false });
  try {
    let found = 0;
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = await database.db.selectFrom('webhook_events').select('id').where('id', 'in', chunk).execute();
      found += rows.length;
    }
    return found;
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run.

export async function runIngestBench(options: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const durationSeconds = options.durationSeconds ?? 10;
  const warmupSeconds = options.warmupSeconds ?? 2;
  const connections = options.connections ?? 50;
  const dialects = options.dialects ?? ['sqlite', 'postgres'];
  const adminUrl = options.postgresUrl ?? POSTGRES_ADMIN_URL;
  const worker = options.worker ?? true;
  // The verdict is the deployed shape (worker on, no flow). Worker off isolates what ingestion itself
  // costs; a flow on every event adds the processing of every event in the same process.
  const variants = [
    { workerOn: worker, flow: false },
    ...(options.alsoWithoutWorker && worker ? [{ workerOn: false, flow: false }] : []),
    ...(options.alsoWithFlow && worker ? [{ workerOn: true, flow: true }] : []),
  ];
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loadAverageBefore = loadavg()[0]!;

  const { startSandbox } = await import('../sandbox/src/index.js');
  const { readResourceJson } = await import('../src/resources.js');
  const template = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json').NEW_TIME_ENTRY!;
  const sandbox = await startSandbox({ seed: { users: 3, projects: 6, timeEntries: 20 } });
  const workspaceId = sandbox.workspaces()[0]!.id;
  const skipped: IngestBenchResult['skipped'] = [];
  const cases: EditionCaseResult[] = [];
  // The machine's speed drifts over minutes (other tenants, CPU clocks): the bare server is measured
  // before the first case and after each one, and each case is compared with the runs around it.
  const bareRuns: LoadResult[] = [];
  const measureBare = async () => {
    log(`bare node:http: ${warmupSeconds}s warm-up + ${durationSeconds}s at ${connections} connections`);
    const bareChild = Child.start('bare');
    let bare: LoadResult;
    try {
      const ready = await bareChild.next();
      if (ready.type !== 'ready') throw new Error(`bare server: ${'message' in ready ? ready.message : ready.type}`);
      const target = { url: ready.url, token: 'unused', workspaceId, template };
      if (warmupSeconds > 0) await load('warm-up', target, warmupSeconds, connections);
      bare = await measured(bareChild, () => load(`bare node:http #${bareRuns.length + 1}`, target, durationSeconds, connections));
    } finally {
      await bareChild.stop();
    }
    bareRuns.push(bare);
    log(
      `  ${bare.requestsPerSecond} req/s, p50 ${bare.latencyP50Ms} ms, p99 ${bare.latencyP99Ms} ms, server CPU ${bare.serverCpuMicrosecondsPerRequest} µs/request`,
    );
    return bare;
  };

  try {
    await measureBare();

    for (const dialect of dialects)
      for (const { workerOn, flow } of variants) {
        if (dialect === 'postgres') {
          const problem = await postgresProblem(adminUrl);
          if (problem) {
            if (workerOn === variants[0]!.workerOn && flow === variants[0]!.flow) {
              skipped.push({ dialect, reason: `PostgreSQL unreachable: ${problem}` });
              log(`postgres: skipped (${problem})`);
            }
            continue;
          }
        }
        const database = await createDatabase(dialect, adminUrl);
        const port = await freePort();
        const baseUrl = `http://127.0.0.1:${port}`;
        const dataDir = mkdtempSync(join(tmpdir(), 'cap-bench-data-'));
        const child = Child.start(
          'edition',
          {
            NODE_ENV: 'production',
            LOG_LEVEL: 'info',
            DATA_DIR: dataDir,
            ADDON_ENCRYPTION_KEY: ENCRYPTION_KEY,
            CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem,
            CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host,
            API_STUDIO_BASE_URL: baseUrl,
            API_STUDIO_DB_URL: database.url,
            API_STUDIO_PORT: String(port),
            HOST: '127.0.0.1',
            WORKER_CONCURRENCY: workerOn ? '8' : '0',
          },
          options.cpuProfileDir,
          options.sqlTiming,
        );
        const acknowledged = new Set<string>();
        try {
          const ready = await child.next(60_000);
          if (ready.type !== 'ready') throw new Error(`edition (${dialect}): ${'message' in ready ? ready.message : ready.type}`);
          const installed = await sandbox.install({ manifestUrl: `${ready.url}/manifest`, workspaceId });
          if (!installed.installed) throw new Error(`install failed: ${JSON.stringify(installed)}`);
          const answer = await child.request({ type: 'token', workspaceId, event: 'NEW_TIME_ENTRY' });
          if (answer.type !== 'token') throw new Error(`no webhook token: ${'message' in answer ? answer.message : answer.type}`);
          const target = { url: ready.url, token: answer.token, workspaceId, template };
          if (flow) {
            const created = await child.request({ type: 'flow', workspaceId });
            if (created.type !== 'flow-created') throw new Error(`no flow: ${'message' in created ? created.message : created.type}`);
          }
          if (workerOn) await child.request({ type: 'settle' }, 70_000);

          const name = `api-studio on ${dialect}${workerOn ? '' : ', worker off'}${flow ? ', a flow on every event' : ''}`;
          log(`${name}: ${warmupSeconds}s warm-up + ${durationSeconds}s at ${connections} connections (worker ${workerOn ? 'on' : 'off'})`);
          if (warmupSeconds > 0) await load('warm-up', target, warmupSeconds, connections, acknowledged);
          const run = await measured(child, () => load(name, target, durationSeconds, connections, acknowledged));
          await child.stop();
          const stored = await countStored(database.url, [...acknowledged]);
          const before = bareRuns[bareRuns.length - 1]!;
          const after = await measureBare();
          const bareRequestsPerSecond = Math.round((before.requestsPerSecond + after.requestsPerSecond) / 2);
          const ratio = run.requestsPerSecond / Math.max(1, bareRequestsPerSecond);
          const result: EditionCaseResult = {
            ...run,
            dialect,
            worker: workerOn,
            flow,
            bareRequestsPerSecond,
            ratioToBare: Math.round(ratio * 1000) / 1000,
            ...(run.serverCpuMicrosecondsPerRequest
              ? { cpuBoundCeilingRequestsPerSecond: Math.round(1_000_000 / run.serverCpuMicrosecondsPerRequest) }
              : {}),
            acknowledged: acknowledged.size,
            acknowledgedStored: stored,
            allAcknowledgedStored: stored === acknowledged.size,
            meetsTargets:
              ratio >= TARGETS.minRatioToBare && run.latencyP99Ms < TARGETS.maxP99Ms && stored === acknowledged.size && run.non2xx === 0,
          };
          cases.push(result);
          log(
            `  ${result.requestsPerSecond} req/s (${Math.round(ratio * 100)}% of bare), p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, server CPU ${result.serverCpuMicrosecondsPerRequest} µs/request, non-2xx ${result.non2xx}, acknowledged ${result.acknowledged}, stored ${stored}`,
          );
        } finally {
          await child.stop();
          await sandbox.uninstall({ addonKey: 'clockify-api-studio', workspaceId }).catch(() => undefined);
          await database.drop().catch(() => undefined);
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
  } finally {
    await sandbox.close();
  }

  const cpuList = cpus();
  return {
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      totalMemoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      freeMemoryGb: Math.round((freemem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      // Other work on the machine skews req/s; server CPU per request much less so.
      loadAverageBefore: Math.round(loadAverageBefore * 100) / 100,
      loadAverageAfter: Math.round(loadavg()[0]! * 100) / 100,
    },
    settings: {
      durationSeconds,
      warmupSeconds,
      connections,
      worker,
      edition: 'api-studio',
      layout: 'server under test in a child process, autocannon in the parent',
    },
    targets: TARGETS,
    bare: bareRuns[0]!,
    bareRuns,
    cases,
    skipped,
  };
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): IngestBenchOptions & { json: boolean } {
  const options: IngestBenchOptions & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? '';
    if (arg === '--duration') options.durationSeconds = Number(value());
    else if (arg === '--warmup') options.warmupSeconds = Number(value());
    else if (arg === '--connections') options.connections = Number(value());
    else if (arg === '--dialect') options.dialects = value().split(',') as BenchDialect[];
    else if (arg === '--postgres-url') options.postgresUrl = value();
    else if (arg === '--no-worker') options.worker = false;
    else if (arg === '--also-without-worker') options.alsoWithoutWorker = true;
    else if (arg === '--also-with-flow') options.alsoWithFlow = true;
    else if (arg === '--cpu-prof') options.cpuProfileDir = value();
    else if (arg === '--sql-timing') options.sqlTiming = true;
    else if (arg === '--json') options.json = true;
  }
  return options;
}

function isEditionCase(row: LoadResult | EditionCaseResult): row is EditionCaseResult {
  return 'dialect' in row;
}

export function formatIngestBench(result: IngestBenchResult): string {
  const lines = [
    `Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.totalMemoryGb} GB, Node ${result.machine.node}, ${result.machine.platform}; 1-minute load average ${result.machine.loadAverageBefore} before, ${result.machine.loadAverageAfter} after`,
    `Settings: ${result.settings.connections} connections, ${result.settings.durationSeconds}s per case after ${result.settings.warmupSeconds}s warm-up, worker ${result.settings.worker ? 'on (as deployed: the same process processes the events while they arrive)' : 'off'}${result.cases.some((c) => !c.worker) && result.settings.worker ? ', and each database again with the worker off (ingestion alone)' : ''}${result.cases.some((c) => c.flow) ? ', and each database again with an enabled flow that every webhook triggers and whose condition never matches (every event processed in the same process)' : ''}; ${result.settings.layout}`,
    '',
    '| case | req/s | bare req/s around it | ratio to bare | mean ms | p50 ms | p99 ms | max ms | server CPU µs/req | event loop busy | req/s with a core to itself | non-2xx | acknowledged | stored | targets |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...[result.bareRuns[0]!, ...result.cases.flatMap((c, index) => [c, result.bareRuns[index + 1]])]
      .filter((row): row is LoadResult | EditionCaseResult => row !== undefined)
      .map((row) =>
        isEditionCase(row)
          ? `| ${row.name} | ${row.requestsPerSecond} | ${row.bareRequestsPerSecond} | ${row.ratioToBare} | ${row.latencyMeanMs} | ${row.latencyP50Ms} | ${row.latencyP99Ms} | ${row.latencyMaxMs} | ${row.serverCpuMicrosecondsPerRequest ?? ''} | ${row.eventLoopBusy ?? ''} | ${row.cpuBoundCeilingRequestsPerSecond ?? ''} | ${row.non2xx} | ${row.acknowledged} | ${row.acknowledgedStored} | ${row.meetsTargets ? 'met' : 'MISSED'} |`
          : `| ${row.name} | ${row.requestsPerSecond} | | | ${row.latencyMeanMs} | ${row.latencyP50Ms} | ${row.latencyP99Ms} | ${row.latencyMaxMs} | ${row.serverCpuMicrosecondsPerRequest ?? ''} | ${row.eventLoopBusy ?? ''} | | ${row.non2xx} | | | |`,
      ),
    ...result.skipped.map((s) => `| api-studio on ${s.dialect} | skipped: ${s.reason} |`),
    '',
    'Pauses of the edition while measured (event-loop delay sampled every 5 ms; garbage-collection pauses as V8 reports them):',
    '',
    '| case | loop delay p99 ms | loop delay max ms | GC pauses | GC total ms | longest GC ms |',
    '|---|---|---|---|---|---|',
    ...result.cases
      .filter((c) => c.pauses)
      .map(
        (c) =>
          `| ${c.name} | ${c.pauses!.loopDelayP99Ms} | ${c.pauses!.loopDelayMaxMs} | ${c.pauses!.gcPauses} | ${c.pauses!.gcTotalMs} | ${c.pauses!.gcMaxMs} |`,
      ),
    '',
    `Targets: ≥ ${result.targets.minRatioToBare * 100}% of bare req/s (the mean of the bare runs just before and just after the case), p99 < ${result.targets.maxP99Ms} ms, every acknowledged event stored.`,
  ];
  return lines.join('\n');
}

const role = process.env.INGEST_BENCH_ROLE;
if (role === 'bare') await runBareChild();
else if (role === 'edition') {
  await runEditionChild().catch((error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies ChildMessage);
    process.exit(1);
  });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = parseArgs(process.argv.slice(2));
  const result = await runIngestBench(options);
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatIngestBench(result)}\n`);
}
