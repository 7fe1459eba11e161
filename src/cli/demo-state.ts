import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the `sandbox` and `demo` verbs listen unless told otherwise, and where the other verbs look last. */
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8100';

/**
 * What a running demo (or a lone `sandbox` verb) records so the follow-up verbs — trigger, token,
 * install, settings — find it on whatever ports it took, without flags. Removed when it exits.
 */
export interface RunningState {
  pid: number;
  startedAt: string;
  sandbox: string;
  /** Per edition id: where it listens and the public base URL its manifest names. */
  editions: Record<string, { url: string; baseUrl: string }>;
  logFile?: string;
}

export const demoStatePath = (dataDir: string): string => join(dataDir, 'demo', 'demo.json');
export const sandboxStatePath = (dataDir: string): string => join(dataDir, 'sandbox', 'sandbox.json');
export const lastTriggerPath = (dataDir: string): string => join(dataDir, 'demo', 'last-trigger.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readState(path: string): RunningState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as RunningState;
    // A file left behind by a process that was killed says nothing about what runs now.
    return typeof state.pid === 'number' && isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The running demo, else a running `sandbox` verb, else nothing. */
export function readRunningState(dataDir: string): RunningState | undefined {
  return readState(demoStatePath(dataDir)) ?? readState(sandboxStatePath(dataDir));
}

/** Writes the state file and removes it when this process exits, however it exits short of SIGKILL. */
export function recordRunningState(path: string, state: RunningState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(state, null, 2) + '\n');
  process.once('exit', () => {
    try {
      const current = JSON.parse(readFileSync(path, 'utf8')) as RunningState;
      if (current.pid === process.pid) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  });
}

export interface LastTrigger {
  event: string;
  payload: unknown;
  workspaceId: string;
  addonKey?: string;
}

export function readLastTrigger(dataDir: string): LastTrigger | undefined {
  const path = lastTriggerPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LastTrigger;
  } catch {
    return undefined;
  }
}

export function writeLastTrigger(dataDir: string, trigger: LastTrigger): void {
  const path = lastTriggerPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(trigger) + '\n');
}
