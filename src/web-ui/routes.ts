import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { problemDocument, problems } from '../server/problems.js';
import { sidebarCsp } from './csp.js';

export interface SidebarRoutesOptions {
  /** The built page: dist/web with index.html and assets/. */
  distDir: string;
  /** The edition's public base URL, allowed to frame its own sidebar. */
  baseUrl: string;
}

export const SIDEBAR_PATH = '/sidebar';

/**
 * The sidebar Clockify embeds: the page itself is never cached (it names the current hashed
 * assets), the hashed assets are cached forever. The page is read per request, so a rebuild
 * shows up without a restart.
 */
export async function sidebarRoutes(app: FastifyInstance, { distDir, baseUrl }: SidebarRoutesOptions) {
  const indexPath = join(distDir, 'index.html');
  const csp = sidebarCsp(baseUrl);

  app.get(SIDEBAR_PATH, { schema: { hide: true } }, async (_request, reply) => {
    let html: string;
    try {
      html = await readFile(indexPath, 'utf8');
    } catch {
      throw problems.unavailable(
        'sidebar-not-built',
        'The sidebar page has not been built on this server: run `npm run build` (it writes dist/web), then reload.',
      );
    }
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', csp)
      .send(html);
  });

  await app.register(
    async (assets) => {
      await assets.register(fastifyStatic, {
        root: join(distDir, 'assets'),
        prefix: '/',
        decorateReply: false,
        index: false,
        list: false,
        redirect: false,
        dotfiles: 'deny',
        // Files are looked up per request, so assets built after start are served too.
        wildcard: true,
        immutable: true,
        maxAge: '365d',
        // The build writes .br and .gz beside each asset (web/vite.config.ts): sent as they are.
        preCompressed: true,
        schemaHide: true,
      });
      // The same URL is sent plain, brotli or gzip: caches must keep them apart.
      assets.addHook('onSend', async (_request, reply, payload) => {
        reply.header('vary', 'accept-encoding');
        return payload;
      });
      // A missing asset is a plain 404 (an old page asking for files a rebuild replaced).
      assets.setNotFoundHandler(async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        return reply
          .code(404)
          .type('application/problem+json')
          .send({
            ...problemDocument(404, 'not-found', `No sidebar asset ${path}; reload the page to get the current ones.`),
            instance: path,
            requestId: request.id,
          });
      });
    },
    { prefix: `${SIDEBAR_PATH}/assets` },
  );
}
