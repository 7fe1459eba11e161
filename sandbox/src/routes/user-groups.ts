import type { FastifyInstance } from 'fastify';
import { userGroupDto } from '../data/dto.js';
import type { UserGroupRecord } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import { WS, body, emit, paginate, params, query, requireName, sorted, text, workspaceOf, type RouteContext } from './context.js';

function groupOf(ws: WorkspaceData, id: string | undefined): UserGroupRecord {
  const group = id ? ws.userGroups.get(id) : undefined;
  if (!group) throw notFound('User group');
  return group;
}

export function registerUserGroupRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${WS}/user-groups`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const name = text(q, 'name')?.toLowerCase();
    const groups = [...ws.userGroups.values()].filter((g) => !name || g.name.toLowerCase().includes(name));
    const ordered = sorted(q, groups, { ID: (g) => g.id, NAME: (g) => g.name });
    return paginate(reply, q, ordered).map((g) => userGroupDto(ws, g));
  });

  app.post(`${WS}/user-groups`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const name = requireName(body(ctx, request)['name'], 'User group');
    if ([...ws.userGroups.values()].some((g) => g.name === name)) throw badRequest('User group with that name already exists');
    const group: UserGroupRecord = { id: objectId(), name, userIds: [] };
    ws.userGroups.set(group.id, group);
    emit(request, ws.id, 'USER_GROUP_CREATED', userGroupDto(ws, group));
    void reply.code(201);
    return userGroupDto(ws, group);
  });

  app.put(`${WS}/user-groups/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const group = groupOf(ws, params(request)['id']);
    group.name = requireName(body(ctx, request)['name'], 'User group');
    emit(request, ws.id, 'USER_GROUP_UPDATED', userGroupDto(ws, group));
    return userGroupDto(ws, group);
  });

  app.delete(`${WS}/user-groups/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const group = groupOf(ws, params(request)['id']);
    ws.userGroups.delete(group.id);
    emit(request, ws.id, 'USER_GROUP_DELETED', userGroupDto(ws, group));
    return userGroupDto(ws, group);
  });

  app.post(`${WS}/user-groups/:userGroupId/users`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const group = groupOf(ws, params(request)['userGroupId']);
    const userId = String(body(ctx, request)['userId']);
    if (!ws.users.has(userId)) throw badRequest(`User ${userId} is not a member of the workspace`);
    if (!group.userIds.includes(userId)) group.userIds.push(userId);
    emit(request, ws.id, 'USER_GROUP_UPDATED', userGroupDto(ws, group));
    return userGroupDto(ws, group);
  });

  app.delete(`${WS}/user-groups/:userGroupId/users/:userId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const group = groupOf(ws, params(request)['userGroupId']);
    const userId = params(request)['userId'];
    if (!userId || !group.userIds.includes(userId)) throw notFound('User in group');
    group.userIds = group.userIds.filter((id) => id !== userId);
    emit(request, ws.id, 'USER_GROUP_UPDATED', userGroupDto(ws, group));
    return userGroupDto(ws, group);
  });
}
