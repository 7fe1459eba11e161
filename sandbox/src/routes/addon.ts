import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClockifyError, badRequest } from '../errors.js';
import { requestState } from '../request-state.js';
import { applySettingValues } from '../settings.js';
import { params, type RouteContext } from './context.js';

/** Add-on-only endpoints (not in the spec): structured settings and the user-token exchange. */
export function registerAddonRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const installationOf = (request: FastifyRequest) => {
    const installation = requestState(request).installation;
    if (!installation) throw new ClockifyError(401, 'Unauthorized');
    return installation;
  };

  app.get('/api/addon/workspaces/:workspaceId/settings', async (request) => {
    return installationOf(request).settings ?? { tabs: [] };
  });

  app.patch('/api/addon/workspaces/:workspaceId/settings', async (request) => {
    const installation = installationOf(request);
    const b = request.body;
    if (!Array.isArray(b)) throw badRequest('Body must be a list of {id, value}');
    const values: Record<string, unknown> = {};
    for (const item of b as Array<{ id?: unknown; value?: unknown }>) {
      if (typeof item?.id !== 'string') throw badRequest('Every setting needs an id');
      values[item.id] = item.value;
    }
    const tree = installation.settings ?? { tabs: [] };
    try {
      applySettingValues(tree, values);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    installation.settings = tree;
    return tree;
  });

  app.post('/api/addon/user/:userId/token', async (request, reply) => {
    const state = requestState(request);
    const installation = installationOf(request);
    if (state.token?.isUserToken) throw new ClockifyError(403, 'An installation token is required');
    const token = await ctx.installations.userTokenFor(installation, { userId: params(request)['userId'] ?? '' });
    return reply.type('text/plain; charset=utf-8').send(token);
  });
}
