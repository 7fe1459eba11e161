import { defineConfig } from 'vitest/config';

/** Unit and integration tests (the browser suite has its own config: vitest.e2e.config.ts). */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['test/**/*.test.ts', 'sandbox/test/**/*.test.ts', 'web/test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single one on CI's two, so every file
    // waited for the one before. Most files wait on servers, databases and child processes rather
    // than compute, so two run side by side on two cores. TEST_MAX_WORKERS=1 runs them one at a time.
    maxWorkers: Number(process.env.TEST_MAX_WORKERS) || 2,
    // A worker keeps the modules it has loaded from one file to the next instead of loading the whole
    // source tree again for every file (a second and a half of CPU each, a quarter of the suite).
    // Test files share no state through modules: each builds its own runtime, database and servers.
    isolate: false,
    setupFiles: ['test/setup/process-env.ts'],
    reporters: ['default'],
  },
});
