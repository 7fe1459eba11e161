import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENCRYPTION_KEY, tempDir } from '../helpers/config.js';
import { freePort } from '../helpers/stack.js';
import { cleanEnv, occupyPort, REPO_ROOT, run } from './support/processes.js';
import { mainEntryArgs } from '../helpers/main-entry.js';

/** A port someone else holds is one line naming the variable or flag to change: no stack trace, a non-zero exit. */
describe('a busy port', () => {
  let busy: number;
  let holder: Server;
  const env = () => cleanEnv({ DATA_DIR: tempDir('cap-busy-'), ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, HOST: '127.0.0.1' });
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    run(process.execPath, [...mainEntryArgs(), ...args], { cwd: REPO_ROOT, env: { ...env(), ...extra } });
  const oneLine = (stderr: string) => stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));

  beforeAll(async () => {
    busy = await freePort();
    holder = await occupyPort(busy);
  });
  afterAll(() => new Promise<void>((done) => holder?.close(() => done())));

  it("start names the edition's port variable", { timeout: 90_000 }, async () => {
    const others = { UW_PORT: String(await freePort()), CLOCKIFY_ADDON_PORT: String(await freePort()) };
    const result = await cli(['start'], { API_STUDIO_PORT: String(busy), ...others });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toEqual([
      `error: port ${busy} is already in use, so API Studio cannot start; set API_STUDIO_PORT to a free port`,
    ]);
    expect(result.stdout).toBe('');
  });

  it('start --edition --port names the flag', { timeout: 90_000 }, async () => {
    const result = await cli(['start', '--edition', 'universal-webhook', '--port', String(busy)]);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toEqual([
      `error: port ${busy} is already in use, so Universal Webhook cannot start; pass another --port`,
    ]);
    expect(result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('demo and sandbox name their flags', { timeout: 120_000 }, async () => {
    const demo = await cli(['demo', '--sandbox-port', String(busy)], {
      API_STUDIO_PORT: String(await freePort()),
      UW_PORT: String(await freePort()),
      CLOCKIFY_ADDON_PORT: String(await freePort()),
    });
    expect(demo.code).toBe(1);
    expect(oneLine(demo.stderr)).toEqual([
      `error: port ${busy} is already in use, so the Clockify sandbox cannot start; pass --sandbox-port N, or --free-ports`,
    ]);
    const sandbox = await cli(['sandbox', '--port', String(busy)]);
    expect(sandbox.code).toBe(1);
    expect(oneLine(sandbox.stderr)).toEqual([
      `error: port ${busy} is already in use, so the Clockify sandbox cannot start; pass --port N (0 = any free port)`,
    ]);
  });
});
