/**
 * Runs the command line as a user does, in child processes: one-shot commands to completion, and
 * long-running ones (start, demo) until a line on stdout says they are ready.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: PATH and HOME, nothing of this shell's configuration, plus the given variables. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(process.env.CI ? { CI: process.env.CI } : {}), ...extra };
}

export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export interface LongRunning {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGINT to its process group (Ctrl+C) and the exit code, SIGKILL if it does not end within `graceMs`. */
  interrupt(graceMs?: number): Promise<number | null>;
}

/** Starts a command that keeps running; resolves once stdout matches `ready`, rejects if it exits first. */
export function startLongRunning(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<LongRunning> {
  // Its own process group, so Ctrl+C can be sent as a terminal sends it: to npm, tsx and node alike.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const handle: LongRunning = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      signalGroup('SIGINT');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      signalGroup('SIGKILL');
      reject(new Error(`${args.join(' ')} was not ready within ${options.timeoutMs ?? 120_000} ms:\n${stdout}\n${stderr.slice(-3000)}`));
    }, options.timeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (options.ready.test(stdout)) {
        clearTimeout(timer);
        resolvePromise(handle);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${stdout}\n${stderr.slice(-3000)}`));
    });
  });
}

/** Holds a port as another program would. */
export function occupyPort(port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host }, () => resolvePromise(server));
  });
}
