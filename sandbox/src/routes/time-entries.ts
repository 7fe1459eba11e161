import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timeEntryDto, timeEntryWebhookPayload } from '../data/dto.js';
import type { CustomFieldValue, TimeEntryRecord } from '../data/records.js';
import { parseInstant } from '../data/time-format.js';
import { objectId, type WorkspaceData } from '../data/workspace.js';
import { badRequest, notFound } from '../errors.js';
import type { TriggerContext } from '../webhook-registry.js';
import { WS, body, callerUserId, emit, flag, list, paginate, params, query, text, workspaceOf, type RouteContext } from './context.js';

const triggerOf = (e: TimeEntryRecord): TriggerContext => ({
  projectId: e.projectId,
  userId: e.userId,
  taskId: e.taskId,
  tagIds: e.tagIds,
});

function entryOf(ws: WorkspaceData, id: string | undefined): TimeEntryRecord {
  const entry = id ? ws.timeEntries.get(id) : undefined;
  if (!entry) throw notFound('Time entry');
  return entry;
}

function userOf(ws: WorkspaceData, id: string | undefined): string {
  if (!id || !ws.users.has(id)) throw notFound('User');
  return id;
}

function instant(value: unknown, name: string): number | undefined {
  const ms = parseInstant(value);
  if (ms !== undefined && Number.isNaN(ms)) throw badRequest(`${name} must be a date-time like 2024-01-01T09:00:00Z`);
  return ms;
}

/** Builds an entry from a create/update body, checking every reference like Clockify does. */
function entryFromBody(ws: WorkspaceData, b: Record<string, unknown>, id: string, userId: string, base?: TimeEntryRecord): TimeEntryRecord {
  const start = instant(b['start'], 'start') ?? base?.start ?? Date.now();
  const end = b['end'] === undefined && base === undefined ? null : (instant(b['end'], 'end') ?? null);
  if (end !== null && end < start) throw badRequest('End time must be after start time');
  const projectId = typeof b['projectId'] === 'string' && b['projectId'] !== '' ? b['projectId'] : null;
  if (projectId !== null && !ws.projects.has(projectId)) throw badRequest("Project doesn't belong to Workspace");
  const taskId = typeof b['taskId'] === 'string' && b['taskId'] !== '' ? b['taskId'] : null;
  if (taskId !== null && ws.tasks.get(taskId)?.projectId !== projectId) throw badRequest("Task doesn't belong to Project");
  const tagIds = Array.isArray(b['tagIds']) ? (b['tagIds'] as string[]) : [];
  const unknownTag = tagIds.find((t) => !ws.tags.has(t));
  if (unknownTag !== undefined) throw badRequest("Tag doesn't belong to Workspace");
  const customFieldValues: CustomFieldValue[] = Array.isArray(b['customFields'])
    ? (b['customFields'] as Array<{ customFieldId: string; value?: unknown }>).map((f) => {
        if (!ws.customFields.has(f.customFieldId)) throw badRequest("Custom field doesn't belong to Workspace");
        return { customFieldId: f.customFieldId, value: f.value ?? null };
      })
    : (base?.customFieldValues ?? []);
  return {
    id,
    userId,
    description: typeof b['description'] === 'string' ? b['description'] : '',
    projectId,
    taskId,
    tagIds,
    billable: typeof b['billable'] === 'boolean' ? b['billable'] : (ws.projects.get(projectId ?? '')?.billable ?? false),
    start,
    end,
    type: b['type'] === 'BREAK' ? 'BREAK' : 'REGULAR',
    isLocked: false,
    customFieldValues,
  };
}

export function registerTimeEntryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const create = (request: FastifyRequest, userId: string): TimeEntryRecord => {
    const ws = workspaceOf(ctx, request);
    const entry = entryFromBody(ws, body(ctx, request), objectId(), userId);
    if (entry.end === null) {
      // Starting a timer stops the one already running for that user.
      for (const running of ws.timeEntries.forUser(userId).filter((e) => e.end === null)) {
        const stopped = { ...running, end: Math.max(running.start, entry.start) };
        ws.timeEntries.replace(stopped);
        emit(request, ws.id, 'TIMER_STOPPED', timeEntryWebhookPayload(ws, stopped), triggerOf(stopped));
      }
    }
    ws.timeEntries.add(entry);
    emit(request, ws.id, entry.end === null ? 'NEW_TIMER_STARTED' : 'NEW_TIME_ENTRY', timeEntryWebhookPayload(ws, entry), triggerOf(entry));
    return entry;
  };

  app.post(`${WS}/time-entries`, async (request, reply) => {
    const entry = create(request, callerUserId(request));
    void reply.code(201);
    return timeEntryDto(workspaceOf(ctx, request), entry);
  });

  app.post(`${WS}/user/:userId/time-entries`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const entry = create(request, userOf(ws, params(request)['userId']));
    void reply.code(201);
    return timeEntryDto(ws, entry);
  });

  app.get(`${WS}/time-entries/status/in-progress`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    return paginate(reply, query(request), ws.timeEntries.running(), 10).map((e) => timeEntryDto(ws, e, { rates: true }));
  });

  app.get(`${WS}/time-entries/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const hydrated = flag(query(request), 'hydrated') === true;
    return timeEntryDto(ws, entryOf(ws, params(request)['id']), { rates: true, hydrated });
  });

  app.put(`${WS}/time-entries/:id`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const current = entryOf(ws, params(request)['id']);
    const updated = entryFromBody(ws, body(ctx, request), current.id, current.userId, current);
    ws.timeEntries.replace(updated);
    emit(request, ws.id, 'TIME_ENTRY_UPDATED', timeEntryWebhookPayload(ws, updated), triggerOf(updated));
    return timeEntryDto(ws, updated);
  });

  app.delete(`${WS}/time-entries/:id`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const entry = entryOf(ws, params(request)['id']);
    const payload = timeEntryWebhookPayload(ws, entry);
    ws.timeEntries.remove(entry.id);
    emit(request, ws.id, 'TIME_ENTRY_DELETED', payload, triggerOf(entry));
    return reply.code(204).send();
  });

  app.get(`${WS}/user/:userId/time-entries`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const userId = userOf(ws, params(request)['userId']);
    const q = query(request);
    const from = instant(text(q, 'start'), 'start');
    const to = instant(text(q, 'end'), 'end');
    const weekBefore = instant(text(q, 'get-week-before'), 'get-week-before');
    const description = text(q, 'description')?.toLowerCase();
    const project = text(q, 'project');
    const task = text(q, 'task');
    const tags = list(q, 'tags');
    const projectRequired = flag(q, 'project-required') === true || weekBefore !== undefined;
    const taskRequired = flag(q, 'task-required') === true;
    const inProgress = flag(q, 'in-progress');
    const hydrated = flag(q, 'hydrated') === true;
    const entries = ws.timeEntries
      .forUser(userId, weekBefore !== undefined ? weekBefore - 7 * 86_400_000 : from, weekBefore ?? to)
      .filter(
        (e) =>
          (!description || e.description.toLowerCase().includes(description)) &&
          (!project || e.projectId === project) &&
          (!task || e.taskId === task) &&
          (!tags || tags.some((t) => e.tagIds.includes(t))) &&
          (!projectRequired || e.projectId !== null) &&
          (!taskRequired || e.taskId !== null) &&
          (inProgress === undefined || (e.end === null) === inProgress),
      );
    return paginate(reply, q, entries).map((e) => timeEntryDto(ws, e, { rates: true, hydrated }));
  });

  app.patch(`${WS}/user/:userId/time-entries`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const userId = userOf(ws, params(request)['userId']);
    const end = instant(body(ctx, request)['end'], 'end') as number;
    const running = ws.timeEntries.forUser(userId).find((e) => e.end === null);
    if (!running) throw notFound('Running time entry');
    if (end < running.start) throw badRequest('End time must be after start time');
    const stopped = { ...running, end };
    ws.timeEntries.replace(stopped);
    emit(request, ws.id, 'TIMER_STOPPED', timeEntryWebhookPayload(ws, stopped), triggerOf(stopped));
    return timeEntryDto(ws, stopped);
  });

  app.delete(`${WS}/user/:userId/time-entries`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const userId = userOf(ws, params(request)['userId']);
    const ids = list(query(request), 'time-entry-ids');
    if (!ids || ids.length === 0) throw badRequest('time-entry-ids is required');
    const entries = ids.map((id) => entryOf(ws, id)).filter((e) => e.userId === userId);
    return entries.map((entry) => {
      const payload = timeEntryWebhookPayload(ws, entry);
      ws.timeEntries.remove(entry.id);
      emit(request, ws.id, 'TIME_ENTRY_DELETED', payload, triggerOf(entry));
      return timeEntryDto(ws, entry);
    });
  });
}
