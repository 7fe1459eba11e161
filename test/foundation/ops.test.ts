import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITIONS, getEdition } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { startEdition } from '../../src/edition.js';
import { registerRooms } from '../../src/rooms.js';
import type { Runtime } from '../../src/runtime.js';
import { API_BODY_LIMIT, createHttpServer } from '../../src/server/app.js';
import { registerDocs } from '../../src/server/docs.js';
import { opsRoutes } from '../../src/server/ops-routes.js';
import { testConfig } from '../helpers/config.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import type { Dialect } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const TEST_ECHO = '/__test/echo';

/**
 * The edition's app as buildEditionApp assembles it, plus one route that accepts a JSON body, so
 * body parsing and limits can be exercised before any room has a POST route of its own.
 */
async function appWithEchoRoute(runtime: Runtime): Promise<FastifyInstance> {
  const app = createHttpServer(runtime);
  await registerDocs(app, runtime);
  await app.register(opsRoutes, { runtime });
  await registerRooms(app, runtime);
  app.post(TEST_ECHO, async (request) => ({ received: request.body }));
  await app.ready();
  return app;
}

function opsSuite(editionId: EditionId, dialect: Dialect) {
  const edition = getEdition(editionId);
  let t: TestRuntime;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestRuntime(editionId, {
      dialect,
      env: { [edition.baseUrlEnv]: 'https://addon.example.com' },
      buildApp: appWithEchoRoute,
    });
    app = t.app;
  });
  afterAll(async () => t?.close());

  it('answers /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', edition: editionId });
  });

  it('answers /ready with its checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ready');
    expect(body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'database', ok: true, detail: dialect }),
        expect.objectContaining({ name: 'migrations', ok: true }),
      ]),
    );
  });

  it('answers /health in the Clockify style', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'healthy',
      addon: edition.key,
      edition: editionId,
      checks: { database: 'ok', migrations: 'ok' },
    });
  });

  it('exposes Prometheus metrics labelled with the edition', async () => {
    await app.inject({ method: 'GET', url: '/healthz' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('addon_uptime_seconds');
    expect(response.body).toContain(`edition="${editionId}"`);
    expect(response.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
  });

  it('serves its manifest at the configured base URL', async () => {
    for (const url of ['/manifest', '/manifest.json']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        key: edition.key,
        baseUrl: 'https://addon.example.com',
        schemaVersion: edition.schemaVersion,
      });
    }
  });

  it('describes its own API as OpenAPI at /docs/json', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toContain(edition.name);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/ready', '/manifest']));
  });

  it('answers an unknown route with 404 problem+json carrying the request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/route?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    const body = response.json();
    expect(body).toMatchObject({ status: 404, title: 'Not Found', instance: '/no/such/route' });
    expect(body.type).toMatch(/not-found$/);
    expect(body.requestId).toBeTruthy();
    expect(body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/healthz' });
    expect(response.statusCode).toBe(405);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(String(response.headers.allow).split(/,\s*/)).toContain('GET');
    expect(response.json().detail).toContain('DELETE');
  });

  it('echoes a well-formed X-Request-ID and generates one otherwise', async () => {
    const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc_123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc_123');

    const none = await app.inject({ method: 'GET', url: '/healthz' });
    const generated = String(none.headers['x-request-id']);
    expect(generated.length).toBeGreaterThan(8);
    const another = await app.inject({ method: 'GET', url: '/healthz' });
    expect(another.headers['x-request-id']).not.toBe(generated);

    // Header injection and log pollution: an unsafe id is replaced, not echoed.
    const unsafe = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id <script>' } });
    expect(unsafe.headers['x-request-id']).not.toContain('<script>');
  });

  it('refuses malformed JSON with 400 problem+json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: TEST_ECHO,
      headers: { 'content-type': 'application/json' },
      payload: '{"a": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.json().type).toMatch(/malformed-json$/);

    const fine = await app.inject({ method: 'POST', url: TEST_ECHO, headers: { 'content-type': 'application/json' }, payload: '{"a": 1}' });
    expect(fine.statusCode).toBe(200);
    expect(fine.json()).toEqual({ received: { a: 1 } });
  });

  it('refuses a body over the limit with 413 problem+json', async () => {
    const payload = JSON.stringify({ filler: 'x'.repeat(API_BODY_LIMIT) });
    const response = await app.inject({ method: 'POST', url: TEST_ECHO, headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.json().type).toMatch(/payload-too-large$/);
  });

  it('sends security headers on every reply, errors included', async () => {
    for (const url of ['/healthz', '/no/such/route']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('reports 503 naming the database when the database is gone', async () => {
    const broken = await createTestRuntime(editionId, { dialect });
    try {
      await broken.runtime.database.close();
      const ready = await broken.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['content-type']).toMatch(PROBLEM_JSON);
      const body = ready.json();
      expect(body.detail).toContain('database');
      expect(body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'database', ok: false })]));

      const health = await broken.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json().status).toBe('unhealthy');
      // Liveness is about the process, not its dependencies.
      expect((await broken.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });
}

for (const edition of EDITIONS) {
  if (edition.id === 'universal-webhook') continue;
  describe(`operations surface of ${edition.id} [sqlite]`, () => opsSuite(edition.id, 'sqlite'));
}
describeEachDialect('operations surface of universal-webhook', (dialect) => opsSuite('universal-webhook', dialect));

describe('a started edition', () => {
  it('answers over real HTTP and stop() closes it', async () => {
    const database = await createTestDatabaseUrl('sqlite');
    const config = testConfig({ API_STUDIO_DB_URL: database.url, WORKER_CONCURRENCY: '1' });
    const logs = captureLogger();
    const running = await startEdition('api-studio', config, { logger: logs.logger, port: 0, host: '127.0.0.1' });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'over-the-wire' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('over-the-wire');
      expect(await response.json()).toEqual({ status: 'ok', edition: 'api-studio' });
      expect(logs.lines().some((line) => line.msg === 'API Studio is listening')).toBe(true);
    } finally {
      await running.stop();
      await database.drop();
    }
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    // Stopping twice is harmless (SIGTERM and SIGINT may both arrive).
    await running.stop();
  });
});
