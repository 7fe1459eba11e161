import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the sidebar (test/e2e): a real Chromium against the sandbox and the editions.
 * Run with `npx vitest run --config vitest.e2e.config.ts`; they build the page first (global setup).
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['test/e2e/build-page.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // Modules stay loaded from one file to the next (see vitest.config.ts).
    isolate: false,
    setupFiles: ['test/setup/process-env.ts'],
    reporters: ['default'],
  },
});
