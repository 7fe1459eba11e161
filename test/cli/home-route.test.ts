import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefersJson } from '../../src/server/home-route.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';

describe('GET / on an edition', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime('universal-webhook', { dialect: 'sqlite', env: { UNIVERSAL_WEBHOOK_BASE_URL: 'https://uw.example' } });
  });
  afterAll(() => t?.close());

  it('shows a browser a page naming the add-on, its manifest URL, docs, health and how to open the sidebar', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Universal Webhook');
    expect(response.body).toContain('https://uw.example/manifest');
    expect(response.body).toContain('https://uw.example/docs');
    expect(response.body).toContain('/health');
    expect(response.body).toContain('auth_token');
    expect(response.body).toContain('npm run cli -- token universal-webhook');
  });

  it('answers JSON with the Python service description fields (name, version, status, endpoints) and the links', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'Universal Webhook',
      status: 'running',
      edition: 'universal-webhook',
      addonKey: 'clockify-universal-webhook',
      manifestUrl: 'https://uw.example/manifest',
      docsUrl: 'https://uw.example/docs',
      healthUrl: 'https://uw.example/health',
    });
    expect(typeof body.version).toBe('string');
    expect(body.endpoints).toMatchObject({ manifest: '/manifest', health: '/health', docs: '/docs' });
    // Every endpoint it names exists.
    for (const path of ['/manifest', '/health', '/healthz', '/docs', '/metrics']) {
      expect((await t.app.inject({ method: 'GET', url: path })).statusCode, path).toBeLessThan(400);
    }
  });

  it('chooses JSON only when the client asks for it ahead of HTML', () => {
    expect(prefersJson(undefined)).toBe(false);
    expect(prefersJson('*/*')).toBe(false);
    expect(prefersJson('text/html,application/json')).toBe(false);
    expect(prefersJson('application/json')).toBe(true);
    expect(prefersJson('application/json, text/html;q=0.5')).toBe(true);
  });
});
