import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClockifyError } from '../errors.js';
import { requestState } from '../request-state.js';
import { buildExample } from '../spec/example.js';
import { successResponse } from '../spec/openapi.js';

/**
 * Every spec operation the sandbox keeps no state for answers a schema-shaped example (not a 404),
 * so add-ons can exercise the whole API. Unknown paths still get 404.
 */
export function registerFallbackRoutes(app: FastifyInstance): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const match = requestState(request).match;
    if (!match) throw new ClockifyError(404, 'Not found');
    const { status, schema } = successResponse(match.route.operation);
    if (!schema) return reply.code(status).send();
    const example = buildExample(schema, { params: match.params });
    const paginated = (match.route.operation.parameters ?? []).some((p) => p.in === 'query' && p.name === 'page');
    if (Array.isArray(example) && paginated) void reply.header('Last-Page', 'true');
    return reply.code(status).send(example);
  };
  for (const prefix of ['/api', '/reports', '/auditlog']) {
    app.all(`${prefix}/*`, handler);
  }
}
