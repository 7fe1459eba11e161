import type { FastifyInstance } from 'fastify';
import { clientDto, clientWebhookPayload } from '../data/dto.js';
import type { ClientRecord } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import {
  WS,
  body,
  emit,
  flag,
  nameMatches,
  paginate,
  params,
  query,
  requireName,
  sorted,
  workspaceOf,
  type RouteContext,
} from './context.js';

function clientOf(ws: WorkspaceData, id: string | undefined): ClientRecord {
  const client = id ? ws.clients.get(id) : undefined;
  if (!client) throw notFound('Client');
  return client;
}

export function registerClientRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${WS}/clients`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const archived = flag(q, 'archived');
    const clients = [...ws.clients.values()].filter(
      (c) => nameMatches(q, c.name, { strict: false }) && (archived === undefined || c.archived === archived),
    );
    const ordered = sorted(q, clients, { ID: (c) => c.id, NAME: (c) => c.name });
    return paginate(reply, q, ordered).map((c) => clientDto(ws, c));
  });

  app.get(`${WS}/clients/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    return clientDto(ws, clientOf(ws, params(request)['id']));
  });

  app.post(`${WS}/clients`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const b = body(ctx, request);
    const name = requireName(b['name'], 'Client');
    if ([...ws.clients.values()].some((c) => c.name === name)) throw badRequest('Client with that name already exists');
    const client: ClientRecord = {
      id: objectId(),
      name,
      archived: false,
      address: typeof b['address'] === 'string' ? b['address'] : '',
      email: typeof b['email'] === 'string' ? b['email'] : '',
      note: typeof b['note'] === 'string' ? b['note'] : '',
      ccEmails: [],
    };
    ws.clients.set(client.id, client);
    emit(request, ws.id, 'NEW_CLIENT', clientWebhookPayload(ws, client));
    void reply.code(201);
    return clientDto(ws, client);
  });

  app.put(`${WS}/clients/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const client = clientOf(ws, params(request)['id']);
    const b = body(ctx, request);
    if (b['name'] !== undefined) client.name = requireName(b['name'], 'Client');
    if (typeof b['archived'] === 'boolean') client.archived = b['archived'];
    if (typeof b['address'] === 'string') client.address = b['address'];
    if (typeof b['email'] === 'string') client.email = b['email'];
    if (typeof b['note'] === 'string') client.note = b['note'];
    if (Array.isArray(b['ccEmails'])) client.ccEmails = b['ccEmails'] as string[];
    emit(request, ws.id, 'CLIENT_UPDATED', clientWebhookPayload(ws, client));
    return clientDto(ws, client);
  });

  app.delete(`${WS}/clients/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const client = clientOf(ws, params(request)['id']);
    ws.clients.delete(client.id);
    for (const project of ws.projects.values()) if (project.clientId === client.id) project.clientId = '';
    emit(request, ws.id, 'CLIENT_DELETED', clientWebhookPayload(ws, client));
    return clientDto(ws, client);
  });
}
