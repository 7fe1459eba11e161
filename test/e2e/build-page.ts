/**
 * Global setup of the browser tests: build the sidebar from the current sources into dist/web, so
 * a test never runs against a stale page.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function buildPage(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
