/**
 * `testConfig()`: a valid AppConfig for tests, built by the real loader from a clean environment
 * (process variables and any .env file are ignored, so a developer's setup cannot leak in).
 * DATA_DIR is a fresh temporary folder, logs are silent and the encryption key is fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { AppConfig } from '../../src/config/index.js';

/** 32 bytes as hex; only ever used by tests. */
export const TEST_ENCRYPTION_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';

const tempDirs: string[] = [];
const removeTempDirs = () => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};
// Vitest evaluates this module once per test file: the hook runs when that file's tests are done.
afterAll(removeTempDirs);
process.once('exit', removeTempDirs);

/** A temporary folder removed after the test file that made it has finished. */
export function tempDir(prefix = 'cap-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Overrides are environment variables (strings), exactly as an operator would set them. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'silent',
      ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      ...overrides,
    },
    { dotenvPath: false },
  );
}
