/**
 * An edition in its own process, started the way an operator starts it (`src/main.ts start
 * --edition …` with environment variables), so a test can kill it with SIGKILL mid-work and start
 * it again on the same database.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { getEdition } from '../../../src/editions/index.js';
import type { EditionId } from '../../../src/editions/types.js';
import { TEST_ENCRYPTION_KEY, tempDir } from '../../helpers/config.js';
import { freePort } from '../../helpers/stack.js';
import { mainEntryArgs } from '../../helpers/main-entry.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const START_DEADLINE_MS = 30_000;

export interface ChildEdition {
  url: string;
  port: number;
  /** Everything the process wrote (JSON log lines), across restarts. */
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight requests and jobs die where they are. */
  kill9(): Promise<void>;
  /** Starts the process again with the same environment (same port and database), plus any overrides. */
  restart(envOverrides?: Record<string, string>): Promise<void>;
  /** SIGTERM, then SIGKILL if it does not exit. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  edition: EditionId;
  databaseUrl: string;
  env?: Record<string, string>;
}

export async function startChildEdition(options: ChildOptions): Promise<ChildEdition> {
  const edition = getEdition(options.edition);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATA_DIR: tempDir('cap-child-'),
    ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    HOST: '127.0.0.1',
    [`${edition.envPrefix}_PORT`]: String(port),
    [edition.baseUrlEnv]: url,
    [edition.dbUrlEnv]: options.databaseUrl,
    JOB_LEASE_SECONDS: '2',
    WORKER_CONCURRENCY: '4',
    SHUTDOWN_TIMEOUT_MS: '1000',
    ...options.env,
  };
  let output = '';
  let child: ChildProcess | undefined;

  const launch = async () => {
    const started = Date.now();
    const process_ = spawn(process.execPath, [...mainEntryArgs(), 'start', '--edition', options.edition], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = process_;
    process_.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    process_.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const deadline = Date.now() + START_DEADLINE_MS;
    for (;;) {
      if (process_.exitCode !== null)
        throw new Error(`the edition exited during start (code ${process_.exitCode}):\n${output.slice(-3000)}`);
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) {
          if (process.env.ADVERSARIAL_STATS) console.log(`[adversarial] ${options.edition} started in ${Date.now() - started} ms`);
          return;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        process_.kill('SIGKILL');
        throw new Error(`the edition did not answer /healthz within ${START_DEADLINE_MS} ms:\n${output.slice(-3000)}`);
      }
      await new Promise((resolve_) => setTimeout(resolve_, 100));
    }
  };

  const exited = (process_: ChildProcess) =>
    process_.exitCode !== null || process_.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve_) => process_.once('exit', () => resolve_()));

  await launch();
  return {
    url,
    port,
    output: () => output,
    kill9: async () => {
      if (!child) return;
      const current = child;
      current.kill('SIGKILL');
      await exited(current);
    },
    restart: (envOverrides = {}) => {
      Object.assign(env, envOverrides);
      return launch();
    },
    stop: async () => {
      if (!child) return;
      const current = child;
      if (current.exitCode !== null || current.signalCode !== null) return;
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 5_000);
      await exited(current);
      clearTimeout(timer);
    },
  };
}
