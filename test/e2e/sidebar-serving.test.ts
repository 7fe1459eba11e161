/**
 * How the edition serves the sidebar page (no browser needed): security headers on the page,
 * caching of the hashed assets, and a clear answer when the page was never built.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/server/app.js';
import type { Runtime } from '../../src/runtime.js';
import { WEB_DIST_DIR, sidebarCsp, webUiParts } from '../../src/web-ui/index.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';

const appWith = (distDir: string) => async (runtime: Runtime) => {
  const app = createHttpServer(runtime);
  await webUiParts(runtime, distDir).routes!(app);
  await app.ready();
  return app;
};

describe('serving the built sidebar', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime('clockify-addon', {
      dialect: 'sqlite',
      env: { CLOCKIFY_ADDON_BASE_URL: 'https://addon.example.com/base' },
      buildApp: appWith(WEB_DIST_DIR),
    });
  });
  afterAll(() => t?.close());

  it('serves the page uncached, with a CSP that only Clockify and the add-on itself may frame', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sidebar?auth_token=abc.def.ghi' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-frame-options']).toBeUndefined();
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toMatch(
      /frame-ancestors https:\/\/\*\.clockify\.me https:\/\/clockify\.me https:\/\/addon\.example\.com http:\/\/localhost:\* http:\/\/127\.0\.0\.1:\*/,
    );
    expect(response.body).toMatch(/<script type="module" crossorigin src="\/sidebar\/assets\/[^"]+\.js">/);
    // Nothing is loaded from elsewhere at run time (no CDN, no web fonts).
    expect(response.body).not.toMatch(/https?:\/\//);
  });

  it('serves hashed assets with a year-long immutable cache, and 404s unknown ones', async () => {
    const files = readdirSync(join(WEB_DIST_DIR, 'assets'));
    const script = files.find((name) => name.endsWith('.js'))!;
    const response = await t.app.inject({ method: 'GET', url: `/sidebar/assets/${script}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body).not.toMatch(/https?:\/\/(fonts|cdn|unpkg|jsdelivr)/);
    const missing = await t.app.inject({ method: 'GET', url: '/sidebar/assets/nope-123.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const escape = await t.app.inject({ method: 'GET', url: '/sidebar/assets/../index.html' });
    expect(escape.statusCode).not.toBe(200);
  });

  it('sends assets compressed (brotli or gzip, precompressed at build) to browsers that accept it', async () => {
    const files = readdirSync(join(WEB_DIST_DIR, 'assets'));
    const script = files.find((name) => name.endsWith('.js'))!;
    const plain = await t.app.inject({ method: 'GET', url: `/sidebar/assets/${script}` });
    const brotli = await t.app.inject({
      method: 'GET',
      url: `/sidebar/assets/${script}`,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(plain.body);
    const gzip = await t.app.inject({ method: 'GET', url: `/sidebar/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
  });

  it('keeps the bundle small', () => {
    const files = readdirSync(join(WEB_DIST_DIR, 'assets'));
    expect(files.filter((name) => name.endsWith('.js'))).toHaveLength(1);
    const script = files.find((name) => name.endsWith('.js'))!;
    // What travels: the brotli file. 64 KB since the step editors and the server's own template
    // renderer (for live previews) came in, at about 61 KB.
    expect(statSync(join(WEB_DIST_DIR, 'assets', `${script}.br`)).size).toBeLessThan(64_000);
  });
});

describe('a server where the sidebar was never built', () => {
  const empty = mkdtempSync(join(tmpdir(), 'cap-no-web-'));
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime('api-studio', { dialect: 'sqlite', buildApp: appWith(join(empty, 'web')) });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 503 with a problem that says to run npm run build', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sidebar' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 503,
      type: expect.stringContaining('sidebar-not-built'),
      detail: expect.stringContaining('npm run build'),
    });
  });
});

describe('the CSP', () => {
  it('names the edition origin once and survives a malformed base URL', () => {
    expect(sidebarCsp('http://localhost:8000')).toContain(
      'frame-ancestors https://*.clockify.me https://clockify.me http://localhost:8000 http://localhost:* http://127.0.0.1:*',
    );
    expect(sidebarCsp('not a url')).toContain(
      'frame-ancestors https://*.clockify.me https://clockify.me http://localhost:* http://127.0.0.1:*',
    );
  });
});
