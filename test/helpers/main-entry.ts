/**
 * How a test starts `src/main.ts` in a child process. Run on their own, tests load the sources through
 * tsx, so they never run a stale build. `npm test` (scripts/run-tests.mjs) has just built dist/ from
 * the same sources and says so with TEST_USE_BUILT_MAIN=1: the children then run the built
 * dist/src/main.js, as `npm start` and the container do, and skip tsx's transpiling of the whole
 * source tree, seconds of CPU per child on a two-core machine.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BUILT_MAIN = resolve(ROOT, 'dist', 'src', 'main.js');

/** Node arguments that run the CLI entry point; append the command (`start`, `--edition`, …). */
export function mainEntryArgs(): string[] {
  if (process.env.TEST_USE_BUILT_MAIN === '1' && existsSync(BUILT_MAIN)) return [BUILT_MAIN];
  return ['--import', pathToFileURL(resolve(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, resolve(ROOT, 'src', 'main.ts')];
}
