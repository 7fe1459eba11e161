import type { FastifyInstance } from 'fastify';
import { tagDto } from '../data/dto.js';
import type { TagRecord } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import {
  WS,
  body,
  emit,
  flag,
  list,
  nameMatches,
  paginate,
  params,
  query,
  requireName,
  sorted,
  workspaceOf,
  type RouteContext,
} from './context.js';

function tagOf(ws: WorkspaceData, id: string | undefined): TagRecord {
  const tag = id ? ws.tags.get(id) : undefined;
  if (!tag) throw notFound('Tag');
  return tag;
}

export function registerTagRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${WS}/tags`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const archived = flag(q, 'archived');
    const excluded = new Set(list(q, 'excluded-ids') ?? []);
    const tags = [...ws.tags.values()].filter(
      (t) => nameMatches(q, t.name) && (archived === undefined || t.archived === archived) && !excluded.has(t.id),
    );
    const ordered = sorted(q, tags, { ID: (t) => t.id, NAME: (t) => t.name });
    return paginate(reply, q, ordered).map((t) => tagDto(ws, t));
  });

  app.get(`${WS}/tags/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    return tagDto(ws, tagOf(ws, params(request)['id']));
  });

  app.post(`${WS}/tags`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const name = requireName(body(ctx, request)['name'], 'Tag');
    if ([...ws.tags.values()].some((t) => t.name === name)) throw badRequest('Tag with that name already exists');
    const tag: TagRecord = { id: objectId(), name, archived: false };
    ws.tags.set(tag.id, tag);
    emit(request, ws.id, 'NEW_TAG', tagDto(ws, tag), { tagIds: [tag.id] });
    void reply.code(201);
    return tagDto(ws, tag);
  });

  app.put(`${WS}/tags/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const tag = tagOf(ws, params(request)['id']);
    const b = body(ctx, request);
    if (b['name'] !== undefined) tag.name = requireName(b['name'], 'Tag');
    if (typeof b['archived'] === 'boolean') tag.archived = b['archived'];
    emit(request, ws.id, 'TAG_UPDATED', tagDto(ws, tag), { tagIds: [tag.id] });
    return tagDto(ws, tag);
  });

  app.delete(`${WS}/tags/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const tag = tagOf(ws, params(request)['id']);
    ws.tags.delete(tag.id);
    emit(request, ws.id, 'TAG_DELETED', tagDto(ws, tag), { tagIds: [tag.id] });
    return tagDto(ws, tag);
  });
}
