import type { FastifyInstance } from 'fastify';
import { userDto, workspaceDto } from '../data/dto.js';
import { ClockifyError } from '../errors.js';
import { requestState } from '../request-state.js';
import { WS, callerUserId, flag, paginate, query, sorted, text, workspaceOf, type RouteContext } from './context.js';

export function registerWorkspaceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/v1/user', async (request) => {
    const token = requestState(request).token;
    const ws = token ? ctx.workspaces.get(token.workspaceId) : undefined;
    const user = ws?.users.get(callerUserId(request));
    if (!ws || !user) throw new ClockifyError(404, 'User not found');
    return userDto(ws, user, flag(query(request), 'include-memberships') === true);
  });

  app.get(WS, async (request) => workspaceDto(workspaceOf(ctx, request)));

  app.get(`${WS}/users`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const email = text(q, 'email')?.toLowerCase();
    const name = text(q, 'name')?.toLowerCase();
    const status = text(q, 'status')?.toUpperCase();
    const memberships = text(q, 'memberships')?.toUpperCase();
    const users = [...ws.users.values()].filter(
      (u) =>
        (!email || u.email.toLowerCase().includes(email)) &&
        (!name || u.name.toLowerCase().includes(name)) &&
        (!status || status === 'ALL' || u.membershipStatus === status),
    );
    const ordered = sorted(q, users, {
      ID: (u) => u.id,
      EMAIL: (u) => u.email,
      NAME: (u) => u.name,
      NAME_LOWERCASE: (u) => u.name.toLowerCase(),
    });
    const withMemberships = memberships !== undefined && memberships !== 'NONE';
    return paginate(reply, q, ordered).map((u) => userDto(ws, u, withMemberships));
  });
}
