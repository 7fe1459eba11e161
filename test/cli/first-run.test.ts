import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortFree } from '../../src/cli/ports.js';
import type { RunningState } from '../../src/cli/demo-state.js';
import { tempDir } from '../helpers/config.js';
import { freePort } from '../helpers/stack.js';
import { cleanEnv, REPO_ROOT, run, startLongRunning } from './support/processes.js';

/**
 * A new user following README.md literally in a fresh clone: build, start, the demo and every
 * follow-up command it suggests, on the default ports and on other ones. `npm start` and
 * `npm run demo` are `npm run build` followed by `node dist/src/main.js start|demo`: the clone is
 * built once (or, under `npm test`, given the build it has just made) and the two are run as that
 * second half, so the build is not repeated four times.
 */
const DEFAULT_PORTS = [8000, 8001, 8002, 8100];

let clone: string;
let built = false;

beforeAll(async () => {
  clone = tempDir('cap-first-run-');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, clone]);
  execFileSync('git', ['checkout', '--quiet', head], { cwd: clone });
  // `npm install` would take minutes and the network: the same packages, hard-linked.
  try {
    execFileSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules')], { stdio: 'ignore' });
  } catch {
    // The temporary folder is on another file system: hard links cannot cross it, a link to the folder can.
    rmSync(join(clone, 'node_modules'), { recursive: true, force: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  }
  if (process.env.TEST_USE_BUILT_MAIN === '1' && existsSync(join(REPO_ROOT, 'dist', 'src', 'main.js'))) {
    // `npm test` has just built these same sources (and CI's fresh clone proves `npm run build` works there).
    cpSync(join(REPO_ROOT, 'dist'), join(clone, 'dist'), { recursive: true });
  } else {
    const build = await run('npm', ['run', 'build'], { cwd: clone, env: cleanEnv({}), timeoutMs: 300_000 });
    expect(build.code, build.stdout + build.stderr).toBe(0);
  }
  built = true;
}, 330_000);

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: clone, env: cleanEnv(env), timeoutMs: 90_000 });

async function eventIds(editionUrl: string, token: string): Promise<string[]> {
  const response = await fetch(`${editionUrl}/ui/webhooks/events?limit=200`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: { id: string }[] }).events.map((event) => event.id);
}

/** `npm start`: the summary, GET / on each edition, a quiet Ctrl+C. */
async function startAndStop(env: Record<string, string>, ports: number[]) {
  const started = await startLongRunning(process.execPath, ['dist/src/main.js', 'start'], {
    cwd: clone,
    env: cleanEnv(env),
    ready: /Stop with Ctrl\+C/,
    timeoutMs: 120_000,
  });
  try {
    expect(started.stdout()).toMatch(/Clockify add-ons are running/);
    for (const port of ports) expect(started.stdout()).toContain(`http://localhost:${port}/manifest`);
    const names = [];
    for (const port of ports) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'application/json' } });
      expect(response.status).toBe(200);
      names.push(((await response.json()) as { name: string }).name);
    }
    expect(names).toEqual(['API Studio', 'Universal Webhook', 'Clockify Add-on']);
  } finally {
    expect(await started.interrupt()).toBe(0);
  }
  expect(started.stdout()).not.toMatch(/^\{/m);
}

/** `npm run demo` and everything its output and the README's demo section say to try next, without any flag. */
async function demoAndFollowUps(demoArgs: string[], env: Record<string, string>) {
  const demo = await startLongRunning(process.execPath, ['dist/src/main.js', 'demo', ...demoArgs], {
    cwd: clone,
    env: cleanEnv(env),
    ready: /Stop with Ctrl\+C/,
    timeoutMs: 150_000,
  });
  try {
    expect(demo.stdout(), "no JSON log line inside the demo's output").not.toMatch(/^\s*\{/m);
    const state = JSON.parse(readFileSync(join(clone, 'data', 'demo', 'demo.json'), 'utf8')) as RunningState;
    const api = state.editions['api-studio']!;
    expect(demo.stdout()).toContain(`${api.baseUrl}/sidebar?auth_token=`);

    const help = await cli(['--help']);
    expect(help.code).toBe(0);

    const token = await cli(['token', 'api-studio']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toContain(`sidebar: ${api.baseUrl}/sidebar?auth_token=`);
    const userToken = /^token: (\S+)$/m.exec(token.stdout)![1]!;
    const before = await eventIds(api.url, userToken);

    const stored: string[] = [];
    for (let i = 0; i < 2; i++) {
      const trigger = await cli(['trigger', 'NEW_TIME_ENTRY']);
      expect(trigger.code, trigger.stdout + trigger.stderr).toBe(0);
      expect(trigger.stdout).toMatch(/Universal Webhook\s+accepted/);
      expect(trigger.stdout).toMatch(/Clockify Add-on\s+accepted/);
      const id = /API Studio\s+accepted, stored as event (\S+)/.exec(trigger.stdout)?.[1];
      expect(id, trigger.stdout).toBeDefined();
      stored.push(id!);
      const now = await eventIds(api.url, userToken);
      expect(now, 'the trigger shows up in the sidebar API').toContain(id);
      expect(before).not.toContain(id);
    }
    expect(stored[0]).not.toBe(stored[1]);

    const listed = await eventIds(api.url, userToken);
    const replay = await cli(['trigger', 'NEW_TIME_ENTRY', '--replay']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout.match(/duplicate/g)).toHaveLength(3);
    expect(replay.stdout).toContain(stored[1]);
    expect(await eventIds(api.url, userToken)).toEqual(listed);

    const settings = await cli(['settings', 'universal-webhook']);
    expect(settings.code, settings.stderr).toBe(0);
    expect(settings.stdout).toMatch(/enable_http_actions\s+true/);
    const change = await cli(['settings', 'universal-webhook', 'enable_http_actions=true']);
    expect(change.code, change.stderr).toBe(0);
    expect(change.stdout).toContain('enable_http_actions = true (the add-on answered 200)');

    const regular = await cli(['token', 'api-studio', '--role', 'REGULAR']);
    expect(regular.code, regular.stderr).toBe(0);
  } finally {
    expect(await demo.interrupt()).toBe(0);
  }
  expect(demo.stdout()).not.toMatch(/^\s*\{/m);
  expect(existsSync(join(clone, 'data', 'demo', 'demo.json')), 'the demo removes its state file on exit').toBe(false);
}

/** The README's "separately started edition" block: the sandbox, one edition trusting it, install, token, a trigger. */
async function sandboxWithOneEdition() {
  const sandbox = await startLongRunning('npm', ['run', '--silent', 'cli', '--', 'sandbox'], {
    cwd: clone,
    env: cleanEnv({}),
    ready: /public key: /,
    timeoutMs: 90_000,
  });
  try {
    const edition = await startLongRunning('npm', ['run', '--silent', 'cli', '--', 'start', '--edition', 'api-studio'], {
      cwd: clone,
      env: cleanEnv({ CLOCKIFY_PUBLIC_KEY_PATH: 'data/sandbox/public-key.pem', CLOCKIFY_ALLOWED_HOSTS: '127.0.0.1:8100' }),
      ready: /API Studio is listening/,
      timeoutMs: 90_000,
    });
    try {
      const install = await cli(['install', 'api-studio']);
      expect(install.code, install.stderr).toBe(0);
      expect(install.stdout).toMatch(/^Installed API Studio in workspace \w+ \(the add-on answered 200\)/);
      const token = await cli(['token', 'api-studio']);
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout).toContain('sidebar: http://localhost:8000/sidebar?auth_token=');
      const trigger = await cli(['trigger', 'NEW_TIME_ENTRY']);
      expect(trigger.code, trigger.stdout + trigger.stderr).toBe(0);
      expect(trigger.stdout).toMatch(/API Studio\s+accepted/);
    } finally {
      await edition.interrupt();
    }
  } finally {
    await sandbox.interrupt();
  }
}

describe('README commands in a fresh clone', () => {
  it('work on the default ports', { timeout: 400_000 }, async (ctx) => {
    expect(built).toBe(true);
    const busy = [];
    for (const port of DEFAULT_PORTS) if (!(await isPortFree(port)) || !(await isPortFree(port, '0.0.0.0'))) busy.push(port);
    if (busy.length > 0) {
      const message = `the default ports ${DEFAULT_PORTS.join(', ')} must be free for this test; busy: ${busy.join(', ')}`;
      if (process.env.CI === 'true') throw new Error(`${message} (CI runs this suite alone)`);
      console.warn(`[first-run] skipped: ${message}`);
      ctx.skip();
    }
    await startAndStop({}, [8000, 8001, 8002]);
    await demoAndFollowUps([], {});
    await sandboxWithOneEdition();
  });

  it('work on other ports: the port variables for start, --free-ports for the demo', { timeout: 400_000 }, async () => {
    expect(built).toBe(true);
    const ports = [await freePort(), await freePort(), await freePort()];
    await startAndStop({ API_STUDIO_PORT: String(ports[0]), UW_PORT: String(ports[1]), CLOCKIFY_ADDON_PORT: String(ports[2]) }, ports);
    await demoAndFollowUps(['--free-ports'], {});
  });
});
