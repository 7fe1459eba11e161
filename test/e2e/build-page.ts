/**
 * Global setup of the browser tests: build the sidebar from the current sources into dist/web, so
 * a test never runs against a stale page. `npm test` (scripts/run-tests.mjs) has just run the full
 * build from the same sources and says so with SIDEBAR_JUST_BUILT=1; building again would only
 * repeat it.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function buildPage(): Promise<void> {
  if (process.env.SIDEBAR_JUST_BUILT === '1') return;
  // Vitest runs with NODE_ENV=test, which would give a development bundle; test what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
