/**
 * A PostgreSQL cluster and a Redis server of the test's own, on spare ports, which the test may
 * kill, restart or stop for a while: the shared services of the machine are never touched.
 *
 *   const pg = await startPrivatePostgres();   // initdb into a temp folder, then `postgres`
 *   await pg.terminateSessions('app');          // pg_terminate_backend on every session of a database
 *   await pg.kill(); await pg.start();          // a crash and a restart, same port and data
 *   const redis = await startPrivateRedis();
 *
 * The binaries are looked up in /usr/lib/postgresql/<version>/bin and on PATH. When they are
 * missing the suite is skipped on a laptop but fails under CI (CI=true).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';

/** Ports this suite may use for its servers (the range kept for fault tests on shared machines). */
const PORT_RANGE = { from: 9200, to: 9299 };

function findBinary(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((entry) => /^\d+$/.test(entry))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = join(root, version, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

export const binaries = { initdb: findBinary('initdb'), postgres: findBinary('postgres'), redisServer: findBinary('redis-server') };

const missingBinaries = [
  ...(!binaries.initdb || !binaries.postgres ? ['initdb/postgres (PostgreSQL server binaries)'] : []),
  ...(!binaries.redisServer ? ['redis-server'] : []),
];

/** `describe` that needs the server binaries: fails under CI when they are missing, skips elsewhere. */
export function describeWithPrivateServers(name: string, fn: () => void): void {
  if (missingBinaries.length === 0) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL and Redis server binaries', () => {
        throw new Error(`required under CI but not installed: ${missingBinaries.join(', ')}`);
      });
    });
    return;
  }
  console.warn(`[tests] skipping "${name}": missing ${missingBinaries.join(', ')} (this fails under CI=true).`);
  describe.skip(name, fn);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port of PORT_RANGE (from a random start, so parallel files rarely collide), else any free port. */
export async function sparePort(): Promise<number> {
  const size = PORT_RANGE.to - PORT_RANGE.from + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = PORT_RANGE.from + ((start + i) % size);
    if (await portIsFree(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0)
    throw new Error('running as root needs a "postgres" user to own the private cluster');
  return { uid, gid };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface PrivatePostgres {
  port: number;
  /** URL of a database of this cluster. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Ends every session connected to `database` (pg_terminate_backend), as a failover or an operator would. */
  terminateSessions(database: string): Promise<number>;
  /** Starts the server again (after kill or stop), same port and data. */
  start(): Promise<void>;
  /** SIGKILL: a crash. The server recovers from its WAL at the next start. */
  kill(): Promise<void>;
  /** SIGINT: a fast shutdown, as a restart by an operator. */
  stop(): Promise<void>;
  running(): boolean;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'cap-faults-pg-'));
  const data = join(dir, 'data');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const init = spawnSync(binaries.initdb!, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    encoding: 'utf8',
    ...(owner ?? {}),
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await sparePort();
  let child: ChildProcess | undefined;
  let output = '';
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const server: PrivatePostgres = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      return server.url(name);
    },
    async terminateSessions(database) {
      return admin(async (client) => {
        const result = await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        return result.rowCount ?? 0;
      });
    },
    async start() {
      if (server.running()) return;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const started = spawn(
          binaries.postgres!,
          [
            '-D',
            data,
            '-p',
            String(port),
            '-k',
            dir,
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'fsync=off',
            '-c',
            'full_page_writes=off',
            '-c',
            'max_connections=100',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) },
        );
        child = started;
        const keep = (chunk: Buffer) => {
          output = (output + chunk.toString('utf8')).slice(-10_000);
        };
        started.stdout?.on('data', keep);
        started.stderr?.on('data', keep);
        while (started.exitCode === null && !(await answers())) {
          if (Date.now() > deadline) throw new Error(`private PostgreSQL not ready within 30 s: ${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (started.exitCode === null) return;
        // After a kill the old server's sessions hold its shared memory for a moment: try again.
        if (Date.now() > deadline) throw new Error(`postgres exited: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
      child = undefined;
    },
    async stop() {
      if (!child) return;
      child.kill('SIGINT');
      await exited(child);
      child = undefined;
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async destroy() {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  running(): boolean;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await sparePort();
  const dir = mkdtempSync(join(tmpdir(), 'cap-faults-redis-'));
  let child: ChildProcess | undefined;
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    });
  const server: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (server.running()) return;
      child = spawn(
        binaries.redisServer!,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      );
      await until(answers, 10_000, 'private Redis');
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
      child = undefined;
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async destroy() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
