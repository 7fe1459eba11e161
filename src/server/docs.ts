import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';

/** `/docs`: the add-on's own HTTP API as OpenAPI, built from the route schemas (register before the routes). */
export async function registerDocs(app: FastifyInstance, runtime: Runtime): Promise<void> {
  await app.register(swagger, {
    // A schema with an $id (the flow definition, its condition group) is one named component, stable across editions.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: `${runtime.edition.name} — add-on API`,
        version: '0.1.0',
        description:
          'Routes Clockify calls (lifecycle, webhooks), routes the sidebar calls (/ui/*, authenticated with the user token from `auth_token`), and operations endpoints.',
        // The manifest has no vendor field; the configured vendor (*_VENDOR_NAME, *_VENDOR_URL) is shown here.
        ...(runtime.editionConfig.vendor?.name || runtime.editionConfig.vendor?.url
          ? {
              contact: {
                ...(runtime.editionConfig.vendor.name ? { name: runtime.editionConfig.vendor.name } : {}),
                ...(runtime.editionConfig.vendor.url ? { url: runtime.editionConfig.vendor.url } : {}),
              },
            }
          : {}),
      },
      servers: [{ url: runtime.editionConfig.baseUrl }],
      components: {
        securitySchemes: {
          userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'Clockify user token (JWT from ?auth_token=)' },
          lifecycleToken: { type: 'apiKey', in: 'header', name: 'X-Addon-Lifecycle-Token' },
          webhookSignature: { type: 'apiKey', in: 'header', name: 'Clockify-Signature' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });
}
