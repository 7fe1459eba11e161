import type { FastifyInstance } from 'fastify';
import { buildManifest } from '../clockify/manifest.js';
import { readinessChecks } from '../observability/health.js';
import type { Runtime } from '../runtime.js';
import { homeRoute } from './home-route.js';
import { Health, Liveness, NotReady, Ready } from './schemas.js';

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#03a9f4"/><path d="M32 14a18 18 0 1 0 18 18h-6a12 12 0 1 1-12-12z" fill="#fff"/><circle cx="32" cy="32" r="5" fill="#fff"/></svg>`;

/** Liveness, readiness, metrics, the manifest and the icon: the surface operators and Clockify poll. */
export async function opsRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const startedAt = new Date(runtime.now()).toISOString();
  const { edition, editionConfig } = runtime;

  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness: the process answers.', response: { 200: Liveness } } },
    async () => ({ status: 'ok' as const, edition: edition.id }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: database, migrations and Redis (when configured).',
        response: { 200: Ready, 503: NotReady },
      },
    },
    async (_request, reply) => {
      const checks = await readinessChecks(runtime);
      const failing = checks.filter((check) => !check.ok);
      if (failing.length > 0) {
        return reply
          .code(503)
          .type('application/problem+json')
          .send({
            type: 'https://clockify-addon-platform.dev/problems/not-ready',
            title: 'Service Unavailable',
            status: 503,
            detail: `Not ready: ${failing.map((c) => `${c.name} (${c.detail})`).join('; ')}`,
            checks,
          });
      }
      return { status: 'ready', checks };
    },
  );

  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Health in the Clockify add-on style.', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const checks = await readinessChecks(runtime);
      const healthy = checks.every((check) => check.ok);
      const degraded = checks.some((check) => check.degraded);
      return reply.code(healthy ? 200 : 503).send({
        status: healthy ? (degraded ? 'degraded' : 'healthy') : 'unhealthy',
        addon: editionConfig.key,
        edition: edition.id,
        version: process.env.npm_package_version ?? '0.1.0',
        startedAt,
        timestamp: new Date(runtime.now()).toISOString(),
        checks: Object.fromEntries(
          checks.map((check) => [check.name, !check.ok ? `failing: ${check.detail}` : check.degraded ? `degraded: ${check.detail}` : 'ok']),
        ),
        ...(runtime.redis
          ? {
              rateBudget:
                degraded && checks.some((check) => check.name === 'redis' && check.degraded)
                  ? 'in-process (per instance, Redis unreachable)'
                  : 'shared (Redis)',
            }
          : { rateBudget: 'in-process (per instance)' }),
      });
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics.' } }, async (_request, reply) => {
    const text = await runtime.metrics.registry.metrics();
    return reply.type(runtime.metrics.registry.contentType).send(text);
  });

  const manifest = buildManifest({
    edition,
    key: editionConfig.key,
    baseUrl: editionConfig.baseUrl,
    settingDefaults: editionConfig.settingDefaults,
  });
  const manifestRoute = { schema: { tags: ['clockify'], summary: 'The Clockify add-on manifest of this edition.' } };
  app.get('/manifest', manifestRoute, async (_request, reply) => reply.header('cache-control', 'public, max-age=60').send(manifest));
  app.get('/manifest.json', manifestRoute, async (_request, reply) => reply.header('cache-control', 'public, max-age=60').send(manifest));

  await app.register(homeRoute, { runtime });

  app.get('/icon.svg', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON_SVG),
  );
}
