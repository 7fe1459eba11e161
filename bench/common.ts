/**
 * What every benchmark shares: the machine facts a result is meaningless without, child processes
 * of the built product (`node dist/src/main.js start`), their memory, and small statistics.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'node:net';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { EditionDefinition } from '../src/editions/types.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILT_MAIN = join(ROOT, 'dist', 'src', 'main.js');
export const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Only ever used for throw-away benchmark databases. */
export const BENCH_ENCRYPTION_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';

export interface MachineFacts {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  node: string;
  os: string;
  /** 1-minute load average when read: other work on the machine skews every number. */
  loadAverage: number;
}

export function machineFacts(): MachineFacts {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    freeMemoryGb: round(freemem() / 1024 ** 3, 1),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: round(loadavg()[0] ?? 0, 2),
  };
}

/** Resident set size of a process in MB (Linux /proc; `ps` elsewhere). */
export async function rssMb(pid: number): Promise<number> {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(status, 'utf8'));
    if (match) return round(Number(match[1]) / 1024, 1);
  }
  const output = await new Promise<string>((done) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)]);
    let text = '';
    ps.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    ps.on('close', () => done(text));
  });
  return round(Number(output.trim()) / 1024, 1);
}

export interface EditionProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first 200 of /ready. */
  readyAfterMs: number;
  /** CPU the process had used by then (user + system, all threads): start-up cost that other load on the machine cannot inflate. Undefined off Linux. */
  cpuMsToReady?: number;
  stop(): Promise<number | null>;
}

/**
 * Starts the built product as a deployment does and measures start-up to ready: from spawning
 * `node dist/src/main.js start --edition …` to the first 200 of /ready, polled every 10 ms.
 */
export async function startBuiltEdition(
  edition: string,
  env: Record<string, string>,
  port: number,
  timeoutMs = 30_000,
): Promise<EditionProcess> {
  return startEditionProcess([BUILT_MAIN], edition, env, port, timeoutMs);
}

/**
 * The same from the TypeScript sources (`node --import tsx src/main.ts start --edition …`), for a
 * bench that needs no build: the edition's own process, so its CPU is read apart from the sandbox's
 * and the load generator's (cpuMs). Start-up is slower than the built product's; the rest is the same code.
 */
export async function startSourceEdition(
  edition: string,
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<EditionProcess> {
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return startEditionProcess(['--import', tsx, join(ROOT, 'src', 'main.ts')], edition, env, port, timeoutMs);
}

async function startEditionProcess(
  entry: string[],
  edition: string,
  env: Record<string, string>,
  port: number,
  timeoutMs: number,
): Promise<EditionProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...entry, 'start', '--edition', edition], {
    cwd: mkdtempSync(join(tmpdir(), 'cap-bench-cwd-')),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${edition} exited during start-up: ${stderr}`);
    const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${edition} not ready within ${timeoutMs} ms: ${stderr}`);
    }
    await sleep(10);
  }
  const readyAfterMs = Math.round(performance.now() - started);
  const cpuMsToReady = cpuMs(child.pid!);
  return {
    child,
    url,
    readyAfterMs,
    ...(cpuMsToReady === undefined ? {} : { cpuMsToReady }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** User + system CPU time of a process in ms, from /proc (fields 14 and 15, in clock ticks of 10 ms). */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A throw-away PostgreSQL database on the server at `adminUrl`; `drop()` removes it. */
export async function createPostgresDatabase(
  prefix = 'bench',
  adminUrl = POSTGRES_ADMIN_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Why the PostgreSQL server at `adminUrl` cannot be used, or undefined when it answers. */
export async function postgresProblem(adminUrl = POSTGRES_ADMIN_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresAnswers(adminUrl = POSTGRES_ADMIN_URL): Promise<boolean> {
  return (await postgresProblem(adminUrl)) === undefined;
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A markdown table from a header row and data rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** A port the OS says is free right now (the server under test binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * The variables of one edition wired to a Clockify sandbox, as the benches start it: production
 * mode, quiet logs, its own data folder and database, the sandbox's key trusted and its host allowed,
 * no bootstrap on install. Pass the bench's own sizes (worker slots, rate limits) beside it.
 */
export function sandboxEditionEnv(options: {
  edition: EditionDefinition;
  port: number;
  dataDir: string;
  databaseUrl: string;
  sandbox: { publicKeyPem: string; url: string };
}): Record<string, string> {
  const { edition, port } = options;
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    ADDON_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    CLOCKIFY_PUBLIC_KEY: options.sandbox.publicKeyPem,
    CLOCKIFY_ALLOWED_HOSTS: new URL(options.sandbox.url).host,
    [`${edition.envPrefix}_PORT`]: String(port),
    [edition.baseUrlEnv]: `http://127.0.0.1:${port}`,
    [edition.dbUrlEnv]: options.databaseUrl,
    [`${edition.envPrefix}_RUN_ON_INSTALL`]: 'false',
  };
}
