import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * Writes `.br` and `.gz` beside each built asset, once at build time, so the server sends the
 * compressed file as it is (@fastify/static `preCompressed`) instead of compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'precompress-assets',
    apply: 'build',
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const content = readFileSync(join(assets, name));
        const brotli = brotliCompressSync(content, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
        });
        const gzip = gzipSync(content, { level: 9 });
        if (brotli.length < content.length) writeFileSync(join(assets, `${name}.br`), brotli);
        if (gzip.length < content.length) writeFileSync(join(assets, `${name}.gz`), gzip);
      }
    },
  };
}

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
  plugins: [precompress()],
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
