/**
 * Every route declares what it answers on success (a TypeBox response schema, serialized by
 * Fastify, so nothing undeclared can leave) and answers errors as problems. The walk covers every
 * edition's routes as they are registered; a route added without a schema fails here by name.
 */
import type { RouteOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEditionApp } from '../../src/edition.js';
import { EDITIONS } from '../../src/editions/index.js';
import { ProblemSchema } from '../../src/server/problem-schema.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';

/** Routes that answer no JSON, so a response schema has nothing to describe. Each says why. */
const EXEMPT: Record<string, string> = {
  'GET /ui/webhooks/stream': 'Server-Sent Events: a stream written to the socket, not one serialized answer.',
  'GET /metrics': 'Prometheus text format.',
  'GET /manifest': "Clockify's add-on manifest, built whole by src/clockify/manifest.ts in Clockify's own format.",
  'GET /manifest.json': "The same manifest under the name Clockify's docs use.",
  'GET /icon.svg': 'An SVG image.',
  'GET /sidebar': "The sidebar's HTML page.",
  'GET /sidebar/assets/*': 'Static files of the built sidebar.',
  'GET /docs': 'Swagger UI: a redirect to its page.',
  'GET /docs/static/index.html': "Swagger UI's HTML page.",
  'GET /docs/static/swagger-initializer.js': "Swagger UI's script.",
  'GET /docs/static/*': "Swagger UI's static files.",
  'GET /docs/json': "The OpenAPI document itself (the swagger plugin's route).",
  'GET /docs/yaml': 'The OpenAPI document as YAML.',
};

interface SeenRoute {
  key: string;
  response: Record<string, unknown> | undefined;
}

const runtimes: TestRuntime[] = [];
afterAll(async () => {
  for (const t of runtimes) await t.close();
});

async function routesOf(editionId: (typeof EDITIONS)[number]['id']): Promise<SeenRoute[]> {
  const seen: SeenRoute[] = [];
  const record = (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      seen.push({ key: `${method} ${route.url}`, response: route.schema?.response as Record<string, unknown> | undefined });
    }
  };
  const t = await createTestRuntime(editionId, { dialect: 'sqlite', buildApp: (runtime) => buildEditionApp(runtime, { onRoute: record }) });
  runtimes.push(t);
  return seen;
}

describe('response schemas', () => {
  const all = new Map<string, SeenRoute>();

  for (const edition of EDITIONS) {
    it(`every ${edition.id} route declares its success answer and the problem shape, or is an explicit exemption`, async () => {
      const routes = await routesOf(edition.id);
      expect(routes.length).toBeGreaterThan(40);
      for (const route of routes) all.set(route.key, route);
      const missing = routes
        .filter((route) => !EXEMPT[route.key] && !Object.keys(route.response ?? {}).some((status) => status.startsWith('2')))
        .map((route) => route.key);
      expect(missing, "routes without a 2xx response schema (add one in the room's schemas.ts)").toEqual([]);
      const withoutProblems = routes
        .filter((route) => route.response && (route.response['4xx'] !== ProblemSchema || route.response['5xx'] === undefined))
        .map((route) => route.key);
      expect(withoutProblems, 'routes whose errors are not declared as problems').toEqual([]);
    });
  }

  it('lists no exemption for a route that does not exist (a stale entry would hide a new route of that name)', () => {
    expect(all.size).toBeGreaterThan(0);
    expect(Object.keys(EXEMPT).filter((key) => !all.has(key))).toEqual([]);
  });

  it('answers an error on a declared route as a problem document, nothing more', async () => {
    const t = runtimes[0]!;
    const reply = await t.app.inject({ method: 'GET', url: '/ui/flows/nope', headers: { authorization: 'Bearer not-a-token' } });
    expect(reply.statusCode).toBe(401);
    expect(Object.keys(reply.json()).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
  });
});
