import type { FastifyInstance } from 'fastify';
import { projectDto, projectWebhookPayload, trackedTotals } from '../data/dto.js';
import { COLORS } from '../data/names.js';
import type { ProjectRecord, Rate } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { ClockifyError, badRequest, notFound } from '../errors.js';
import {
  WS,
  body,
  callerUserId,
  emit,
  flag,
  list,
  nameMatches,
  paginate,
  params,
  query,
  sorted,
  text,
  workspaceOf,
  type RouteContext,
} from './context.js';

export function projectOf(ws: WorkspaceData, id: string | undefined): ProjectRecord {
  const project = id ? ws.projects.get(id) : undefined;
  if (!project) throw notFound('Project');
  return project;
}

export function registerProjectRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${WS}/projects`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const q = query(request);
    const archived = flag(q, 'archived');
    const billable = flag(q, 'billable');
    const template = flag(q, 'is-template');
    const clients = list(q, 'clients');
    const containsClient = flag(q, 'contains-client') ?? true;
    const users = list(q, 'users');
    const containsUser = flag(q, 'contains-user') ?? true;
    const access = text(q, 'access')?.toUpperCase();
    const projects = [...ws.projects.values()].filter(
      (p) =>
        nameMatches(q, p.name) &&
        (archived === undefined || p.archived === archived) &&
        (billable === undefined || p.billable === billable) &&
        (template === undefined || p.template === template) &&
        (!clients || clients.includes(p.clientId) === containsClient) &&
        (!users || users.some((u) => p.memberUserIds.includes(u)) === containsUser) &&
        (!access || (access === 'PUBLIC') === p.public),
    );
    const ordered = sorted(q, projects, {
      ID: (p) => p.id,
      NAME: (p) => p.name,
      CLIENT_NAME: (p) => ws.clients.get(p.clientId)?.name ?? '',
    });
    const page = paginate(reply, q, ordered);
    const totals = trackedTotals(ws, 'projectId');
    return page.map((p) => projectDto(ws, p, totals.get(p.id)));
  });

  app.get(`${WS}/projects/:projectId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    return projectDto(ws, project, trackedTotals(ws, 'projectId').get(project.id));
  });

  app.post(`${WS}/projects`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const b = body(ctx, request);
    const name = String(b['name']).trim();
    const clientId = optionalClient(ws, b['clientId']);
    if ([...ws.projects.values()].some((p) => p.name === name && p.clientId === clientId)) {
      throw badRequest('Project with that name already exists');
    }
    const billable = b['billable'] === true;
    const project: ProjectRecord = {
      id: objectId(),
      name,
      clientId,
      billable,
      color: typeof b['color'] === 'string' ? b['color'] : (COLORS[ws.projects.size % COLORS.length] as string),
      archived: false,
      note: typeof b['note'] === 'string' ? b['note'] : '',
      public: b['isPublic'] === true,
      template: false,
      hourlyRate: rate(b['hourlyRate'], ws.currency.code),
      costRate: rate(b['costRate'], ws.currency.code),
      memberUserIds: membershipUserIds(ws, b['memberships']) ?? [callerUserId(request)],
      ...estimateOf(b['estimate']),
    };
    ws.projects.set(project.id, project);
    for (const task of Array.isArray(b['tasks']) ? (b['tasks'] as Array<Record<string, unknown>>) : []) {
      const taskId = objectId();
      ws.tasks.set(taskId, {
        id: taskId,
        name: String(task['name']),
        projectId: project.id,
        assigneeIds: Array.isArray(task['assigneeIds']) ? (task['assigneeIds'] as string[]) : [],
        userGroupIds: [],
        estimate: typeof task['estimate'] === 'string' ? task['estimate'] : 'PT0S',
        status: task['status'] === 'DONE' ? 'DONE' : 'ACTIVE',
        billable,
        budgetEstimate: 0,
        hourlyRate: null,
        costRate: null,
      });
    }
    emit(request, ws.id, 'NEW_PROJECT', projectWebhookPayload(ws, project), { projectId: project.id });
    void reply.code(201);
    return projectDto(ws, project);
  });

  app.put(`${WS}/projects/:projectId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const b = body(ctx, request);
    if (typeof b['name'] === 'string') project.name = b['name'].trim();
    if (b['clientId'] !== undefined) project.clientId = optionalClient(ws, b['clientId']);
    if (typeof b['billable'] === 'boolean') project.billable = b['billable'];
    if (typeof b['archived'] === 'boolean') project.archived = b['archived'];
    if (typeof b['color'] === 'string') project.color = b['color'];
    if (typeof b['note'] === 'string') project.note = b['note'];
    if (typeof b['isPublic'] === 'boolean') project.public = b['isPublic'];
    if (b['hourlyRate'] !== undefined) project.hourlyRate = rate(b['hourlyRate'], ws.currency.code);
    if (b['costRate'] !== undefined) project.costRate = rate(b['costRate'], ws.currency.code);
    emit(request, ws.id, 'PROJECT_UPDATED', projectWebhookPayload(ws, project), { projectId: project.id });
    return projectDto(ws, project, trackedTotals(ws, 'projectId').get(project.id));
  });

  app.delete(`${WS}/projects/:projectId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    // Clockify refuses to delete a project that is still active: archive it first.
    if (!project.archived) throw new ClockifyError(400, 'Cannot delete an active project', 501);
    const payload = projectWebhookPayload(ws, project);
    const dto = projectDto(ws, project);
    ws.projects.delete(project.id);
    for (const task of ws.tasksOf(project.id)) ws.tasks.delete(task.id);
    emit(request, ws.id, 'PROJECT_DELETED', payload, { projectId: project.id });
    return dto;
  });
}

function optionalClient(ws: WorkspaceData, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string' || !ws.clients.has(value)) throw badRequest("Client doesn't belong to Workspace");
  return value;
}

function rate(value: unknown, currency: string): Rate | null {
  if (typeof value !== 'object' || value === null) return null;
  const amount = (value as { amount?: unknown }).amount;
  return typeof amount === 'number' ? { amount, currency } : null;
}

function membershipUserIds(ws: WorkspaceData, value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const ids = value.map((m) => String((m as { userId?: unknown }).userId ?? ''));
  const unknown = ids.find((id) => !ws.users.has(id));
  if (unknown !== undefined) throw badRequest(`User ${unknown} is not a member of the workspace`);
  return ids;
}

const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** A create's `estimate` (EstimateRequest): a duration Clockify can read, else 400. */
function estimateOf(value: unknown): Pick<ProjectRecord, 'estimate'> {
  if (value === undefined || value === null) return {};
  const { estimate, type } = value as { estimate?: string; type?: 'AUTO' | 'MANUAL' };
  if (estimate === undefined) return {};
  if (!ISO_DURATION.test(estimate))
    throw badRequest(`estimate must be an ISO-8601 duration such as PT100H, not "${estimate.slice(0, 50)}"`);
  return { estimate: { estimate, type: type ?? 'MANUAL' } };
}
