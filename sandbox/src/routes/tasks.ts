import type { FastifyInstance } from 'fastify';
import { taskDto, taskWebhookPayload, trackedTotals } from '../data/dto.js';
import type { TaskRecord } from '../data/records.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import { WS, body, emit, flag, nameMatches, paginate, params, query, sorted, workspaceOf, type RouteContext } from './context.js';
import { projectOf } from './projects.js';

const TASKS = `${WS}/projects/:projectId/tasks`;

function taskOf(ws: WorkspaceData, projectId: string, taskId: string | undefined): TaskRecord {
  const task = taskId ? ws.tasks.get(taskId) : undefined;
  if (!task || task.projectId !== projectId) throw notFound('Task');
  return task;
}

export function registerTaskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(TASKS, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const q = query(request);
    const activeOnly = flag(q, 'is-active');
    const tasks = ws.tasksOf(project.id).filter((t) => nameMatches(q, t.name) && (!activeOnly || t.status === 'ACTIVE'));
    const ordered = sorted(q, tasks, { ID: (t) => t.id, NAME: (t) => t.name });
    const totals = trackedTotals(ws, 'taskId');
    return paginate(reply, q, ordered).map((t) => taskDto(ws, t, totals.get(t.id)));
  });

  app.get(`${TASKS}/:taskId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const task = taskOf(ws, project.id, params(request)['taskId']);
    return taskDto(ws, task, trackedTotals(ws, 'taskId').get(task.id));
  });

  app.post(TASKS, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const b = body(ctx, request);
    const name = String(b['name']).trim();
    if (ws.tasksOf(project.id).some((t) => t.name === name)) throw badRequest('Task with that name already exists on the project');
    const task: TaskRecord = {
      id: objectId(),
      name,
      projectId: project.id,
      assigneeIds: assignees(ws, b),
      userGroupIds: Array.isArray(b['userGroupIds']) ? (b['userGroupIds'] as string[]) : [],
      estimate: typeof b['estimate'] === 'string' ? b['estimate'] : 'PT0S',
      status: b['status'] === 'DONE' ? 'DONE' : 'ACTIVE',
      billable: typeof b['billable'] === 'boolean' ? b['billable'] : project.billable,
      budgetEstimate: typeof b['budgetEstimate'] === 'number' ? b['budgetEstimate'] : 0,
      hourlyRate: null,
      costRate: null,
    };
    ws.tasks.set(task.id, task);
    emit(request, ws.id, 'NEW_TASK', taskWebhookPayload(ws, task), { projectId: project.id, taskId: task.id });
    void reply.code(201);
    return taskDto(ws, task);
  });

  app.put(`${TASKS}/:taskId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const task = taskOf(ws, project.id, params(request)['taskId']);
    const b = body(ctx, request);
    task.name = String(b['name']).trim();
    if (b['assigneeIds'] !== undefined || b['assigneeId'] !== undefined) task.assigneeIds = assignees(ws, b);
    if (Array.isArray(b['userGroupIds'])) task.userGroupIds = b['userGroupIds'] as string[];
    if (typeof b['estimate'] === 'string') task.estimate = b['estimate'];
    if (b['status'] === 'ACTIVE' || b['status'] === 'DONE') task.status = b['status'];
    if (typeof b['billable'] === 'boolean') task.billable = b['billable'];
    if (typeof b['budgetEstimate'] === 'number') task.budgetEstimate = b['budgetEstimate'];
    emit(request, ws.id, 'TASK_UPDATED', taskWebhookPayload(ws, task), { projectId: project.id, taskId: task.id });
    return taskDto(ws, task, trackedTotals(ws, 'taskId').get(task.id));
  });

  app.delete(`${TASKS}/:taskId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const project = projectOf(ws, params(request)['projectId']);
    const task = taskOf(ws, project.id, params(request)['taskId']);
    const payload = taskWebhookPayload(ws, task);
    const dto = taskDto(ws, task);
    ws.tasks.delete(task.id);
    emit(request, ws.id, 'TASK_DELETED', payload, { projectId: project.id, taskId: task.id });
    return dto;
  });
}

function assignees(ws: WorkspaceData, b: Record<string, unknown>): string[] {
  const ids = Array.isArray(b['assigneeIds'])
    ? (b['assigneeIds'] as string[])
    : typeof b['assigneeId'] === 'string' && b['assigneeId'] !== ''
      ? [b['assigneeId']]
      : [];
  const unknown = ids.find((id) => !ws.users.has(id));
  if (unknown !== undefined) throw badRequest(`User ${unknown} is not a member of the workspace`);
  return ids;
}
