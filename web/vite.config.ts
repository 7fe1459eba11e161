import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * The sidebar page Clockify embeds as `{baseUrl}/sidebar`. The server (src/web-ui) serves
 * dist/web/index.html at /sidebar and the hashed files under /sidebar/assets/.
 */
export default defineConfig({
  root: webRoot,
  base: '/sidebar/',
  publicDir: false,
  // Preact's automatic JSX runtime, without a framework plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    cssCodeSplit: false,
    // Only modern browsers embed Clockify; the polyfill would be dead weight.
    modulePreload: { polyfill: false },
    // Everything is inlined as files under /sidebar/assets/, never as data: URLs of scripts.
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite --config web/vite.config.ts` against a running edition (default API Studio on :8000).
    proxy: { '/ui': process.env.SIDEBAR_API_ORIGIN ?? 'http://localhost:8000' },
  },
});
