import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITIONS } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { TEST_ENCRYPTION_KEY, tempDir } from '../helpers/config.js';
import { eventually, freePort } from '../helpers/stack.js';
import { cleanEnv, REPO_ROOT, startLongRunning } from './support/processes.js';
import type { LongRunning } from './support/processes.js';
import { mainEntryArgs } from '../helpers/main-entry.js';

const healthy = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
};

/** The children of a process, with their command lines (the supervisor starts `… start --edition ID`). */
function childrenOf(pid: number): { pid: number; args: string }[] {
  let text = '';
  try {
    text = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pidText, ...rest] = line.trim().split(/\s+/);
      return { pid: Number(pidText), args: rest.join(' ') };
    });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start: each edition in its own process under a supervisor', () => {
  let started: LongRunning;
  const urls = {} as Record<EditionId, string>;

  beforeAll(async () => {
    const env: Record<string, string> = {
      DATA_DIR: tempDir('cap-supervisor-'),
      ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: '1000',
    };
    for (const edition of EDITIONS) {
      const port = await freePort();
      env[`${edition.envPrefix}_PORT`] = String(port);
      urls[edition.id] = `http://127.0.0.1:${port}`;
    }
    started = await startLongRunning(process.execPath, [...mainEntryArgs(), 'start'], {
      cwd: REPO_ROOT,
      env: cleanEnv(env),
      ready: /Stop with Ctrl\+C/,
      timeoutMs: 150_000,
    });
  }, 180_000);
  afterAll(async () => {
    await started?.interrupt(5000);
  });

  it('prints what runs where, with the logs kept out of that summary', async () => {
    for (const edition of EDITIONS) expect(started.stdout()).toContain(`${edition.name}`);
    expect(started.stdout()).toContain(`${urls['api-studio'].replace('127.0.0.1', 'localhost')}/manifest`);
    expect(started.stdout()).not.toMatch(/^\{/m);
    // The children write their logs themselves (asynchronously): the line may follow the summary.
    await eventually(() => /"msg":"API Studio is listening"/.test(started.stderr()) || undefined, 10_000);
  });

  it('restarts an edition killed with SIGKILL while the other two keep answering, and logs why', { timeout: 150_000 }, async () => {
    const victim = childrenOf(started.child.pid!).find((child) => child.args.includes('--edition universal-webhook'));
    expect(victim, 'the supervisor runs Universal Webhook as a child process').toBeDefined();
    process.kill(victim!.pid, 'SIGKILL');
    await eventually(() => !alive(victim!.pid) || undefined, 10_000);
    expect(await healthy(urls['api-studio'])).toBe(true);
    expect(await healthy(urls['clockify-addon'])).toBe(true);
    await eventually(() => /Universal Webhook killed by SIGKILL; restarting in \d+ ms/.test(started.stderr()) || undefined, 10_000);
    await eventually(async () => (await healthy(urls['universal-webhook'])) || undefined, 120_000, 500);
    const replacement = childrenOf(started.child.pid!).find((child) => child.args.includes('--edition universal-webhook'));
    expect(replacement?.pid).not.toBe(victim!.pid);
    expect(await healthy(urls['api-studio'])).toBe(true);
  });

  it('stops every edition on Ctrl+C and exits 0', { timeout: 60_000 }, async () => {
    const children = childrenOf(started.child.pid!).map((child) => child.pid);
    expect(children).toHaveLength(3);
    expect(await started.interrupt(30_000)).toBe(0);
    for (const pid of children) await eventually(() => !alive(pid) || undefined, 10_000);
    for (const edition of EDITIONS) expect(await healthy(urls[edition.id])).toBe(false);
  });
});
