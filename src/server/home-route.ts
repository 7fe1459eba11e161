import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { ServiceDescription } from './schemas.js';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The service description: what a person or a script opening the root URL learns about this edition. */
export function serviceDescription(runtime: Runtime): Record<string, unknown> {
  const { edition, editionConfig } = runtime;
  const base = editionConfig.baseUrl;
  return {
    // name, version, status, endpoints: the shape the original Python service answered at GET /.
    name: edition.name,
    version: process.env.npm_package_version ?? '0.1.0',
    status: 'running',
    endpoints: {
      manifest: '/manifest',
      health: '/health',
      healthz: '/healthz',
      ready: '/ready',
      metrics: '/metrics',
      docs: '/docs',
      sidebar: '/sidebar',
      webhooks: '/webhooks/clockify',
      lifecycle: '/lifecycle/installed',
    },
    edition: edition.id,
    addonKey: editionConfig.key,
    description: edition.description,
    manifestUrl: `${base}/manifest`,
    docsUrl: `${base}/docs`,
    healthUrl: `${base}/health`,
    sidebar: `Opens inside Clockify with a user token: ${base}/sidebar?auth_token=<token>. Locally: npm run demo, or npm run cli -- token ${edition.id}.`,
  };
}

function page(runtime: Runtime): string {
  const d = serviceDescription(runtime) as {
    name: string;
    description: string;
    addonKey: string;
    manifestUrl: string;
    docsUrl: string;
    healthUrl: string;
    edition: string;
  };
  const link = (href: string, text = href) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(d.name)} · Clockify add-on</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1d2733}code{background:#eef2f5;padding:.1rem .3rem;border-radius:4px}dt{font-weight:600;margin-top:.8rem}</style>
</head><body>
<h1>${escapeHtml(d.name)}</h1>
<p>${escapeHtml(d.description)} A Clockify add-on (key <code>${escapeHtml(d.addonKey)}</code>).</p>
<dl>
<dt>Install it</dt><dd>Paste the manifest URL into your Clockify workspace's add-ons tab: ${link(d.manifestUrl)}</dd>
<dt>Open it</dt><dd>The sidebar opens inside Clockify, which passes a user token (<code>/sidebar?auth_token=…</code>). Without Clockify: <code>npm run demo</code>, or <code>npm run cli -- token ${escapeHtml(d.edition)}</code> with the sandbox running, prints a sidebar link.</dd>
<dt>API</dt><dd>${link(d.docsUrl, 'API documentation (/docs)')}</dd>
<dt>Health</dt><dd>${link(d.healthUrl, '/health')} · ${link('/healthz')} · ${link('/ready')} · ${link('/metrics')}</dd>
</dl>
</body></html>`;
}

/** JSON when the client asks for it ahead of (or without) HTML; browsers, curl's *\/* and no header get the page. */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const json = accept.search(/application\/(problem\+)?json/);
  if (json < 0) return false;
  const html = accept.indexOf('text/html');
  return html < 0 || json < html;
}

/** GET /: a small page for people, the service description as JSON for `Accept: application/json`. */
export async function homeRoute(app: FastifyInstance, { runtime }: { runtime: Runtime }) {
  app.get(
    '/',
    {
      schema: {
        tags: ['operations'],
        summary: 'What this service is: a page, or JSON (name, version, status, endpoints, manifestUrl) for Accept: application/json.',
        response: { 200: ServiceDescription },
      },
    },
    async (request, reply) => {
      if (prefersJson(request.headers.accept)) return reply.send(serviceDescription(runtime));
      return reply.type('text/html; charset=utf-8').send(page(runtime));
    },
  );
}
