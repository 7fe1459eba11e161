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
    setupFiles: ['test/setup/process-env.ts'],
    reporters: ['default'],
  },
});
