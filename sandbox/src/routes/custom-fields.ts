import type { FastifyInstance } from 'fastify';
import { customFieldDto } from '../data/dto.js';
import type { CustomFieldRecord } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import { WS, body, params, query, text, workspaceOf, type RouteContext } from './context.js';
import { projectOf } from './projects.js';

function fieldOf(ws: WorkspaceData, id: string | undefined): CustomFieldRecord {
  const field = id ? ws.customFields.get(id) : undefined;
  if (!field) throw notFound('Custom field');
  return field;
}

export function registerCustomFieldRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${WS}/custom-fields`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const name = text(q, 'name')?.toLowerCase();
    const status = text(q, 'status')?.toUpperCase();
    const entityType = text(q, 'entity-type')?.toUpperCase();
    return [...ws.customFields.values()]
      .filter(
        (f) =>
          (!name || f.name.toLowerCase().includes(name)) &&
          (!status || f.status === status) &&
          (!entityType || f.entityType === entityType),
      )
      .map((f) => customFieldDto(ws, f));
  });

  app.post(`${WS}/custom-fields`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const b = body(ctx, request);
    const name = String(b['name']).trim();
    if ([...ws.customFields.values()].some((f) => f.name === name)) throw badRequest('Custom field with that name already exists');
    const field: CustomFieldRecord = {
      id: objectId(),
      name,
      type: b['type'] as CustomFieldRecord['type'],
      entityType: b['entityType'] === 'USER' ? 'USER' : 'TIMEENTRY',
      status: (b['status'] as CustomFieldRecord['status'] | undefined) ?? 'VISIBLE',
      allowedValues: Array.isArray(b['allowedValues']) ? (b['allowedValues'] as string[]) : [],
      placeholder: typeof b['placeholder'] === 'string' ? b['placeholder'] : '',
      onlyAdminCanEdit: b['onlyAdminCanEdit'] === true,
      required: false,
      workspaceDefaultValue: b['workspaceDefaultValue'],
      projectDefaults: new Map(),
    };
    if (field.type.startsWith('DROPDOWN') && field.allowedValues.length === 0)
      throw badRequest('Dropdown custom fields need allowedValues');
    ws.customFields.set(field.id, field);
    void reply.code(201);
    return customFieldDto(ws, field);
  });

  app.put(`${WS}/custom-fields/:customFieldId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const field = fieldOf(ws, params(request)['customFieldId']);
    const b = body(ctx, request);
    field.name = String(b['name']).trim();
    field.type = b['type'] as CustomFieldRecord['type'];
    if (Array.isArray(b['allowedValues'])) field.allowedValues = b['allowedValues'] as string[];
    if (typeof b['placeholder'] === 'string') field.placeholder = b['placeholder'];
    if (typeof b['onlyAdminCanEdit'] === 'boolean') field.onlyAdminCanEdit = b['onlyAdminCanEdit'];
    if (typeof b['required'] === 'boolean') field.required = b['required'];
    if (typeof b['status'] === 'string') field.status = b['status'] as CustomFieldRecord['status'];
    if (b['workspaceDefaultValue'] !== undefined) field.workspaceDefaultValue = b['workspaceDefaultValue'];
    return customFieldDto(ws, field);
  });

  app.delete(`${WS}/custom-fields/:customFieldId`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const field = fieldOf(ws, params(request)['customFieldId']);
    ws.customFields.delete(field.id);
    return reply.code(204).send();
  });

  app.get(`${WS}/projects/:projectId/custom-fields`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const status = text(query(request), 'status')?.toUpperCase();
    return [...ws.customFields.values()]
      .filter((f) => f.entityType === 'TIMEENTRY' && (!status || (f.projectDefaults.get(project.id)?.status ?? f.status) === status))
      .map((f) => customFieldDto(ws, f, project.id));
  });

  app.patch(`${WS}/projects/:projectId/custom-fields/:customFieldId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const field = fieldOf(ws, params(request)['customFieldId']);
    const b = body(ctx, request);
    const previous = field.projectDefaults.get(project.id);
    field.projectDefaults.set(project.id, {
      value: b['defaultValue'] !== undefined ? b['defaultValue'] : (previous?.value ?? null),
      status: typeof b['status'] === 'string' ? b['status'] : (previous?.status ?? field.status),
    });
    return customFieldDto(ws, field, project.id);
  });

  app.delete(`${WS}/projects/:projectId/custom-fields/:customFieldId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const field = fieldOf(ws, params(request)['customFieldId']);
    field.projectDefaults.delete(project.id);
    return customFieldDto(ws, field, project.id);
  });
}
