import { readResourceJson } from '../../src/resources.js';
import { timeEntryWebhookPayload } from './data/dto.js';
import type { WorkspaceData } from './data/workspace.js';

/**
 * Default webhook payloads for `trigger()`: the sample of the event from
 * resources/clockify/webhook-samples.json with its ids replaced by real ids of the workspace, so an
 * add-on that looks the ids up through the API finds them.
 */
type Role = 'workspace' | 'user' | 'project' | 'task' | 'client' | 'tag' | 'customField' | 'userGroup';

const ID_KEY_ROLES: Record<string, Role> = {
  workspaceId: 'workspace',
  userId: 'user',
  updatedBy: 'user',
  requesterUserId: 'user',
  changedByUserId: 'user',
  assigneeId: 'user',
  assigneeIds: 'user',
  userIds: 'user',
  projectId: 'project',
  taskId: 'task',
  clientId: 'client',
  tagIds: 'tag',
  customFieldId: 'customField',
};

/** Role of `{ id }` inside an object found under this key. */
const OBJECT_KEY_ROLES: Record<string, Role> = {
  project: 'project',
  task: 'task',
  tasks: 'task',
  client: 'client',
  tags: 'tag',
  user: 'user',
  inviter: 'user',
};

function topLevelRole(event: string): Role | undefined {
  if (/PROJECT/.test(event)) return 'project';
  if (/TASK/.test(event)) return 'task';
  if (/CLIENT/.test(event)) return 'client';
  if (/TAG/.test(event)) return 'tag';
  if (/USER_GROUP/.test(event)) return 'userGroup';
  if (/^USER_/.test(event)) return 'user';
  return undefined;
}

export function webhookSampleEvents(): string[] {
  return Object.keys(readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json'));
}

/** The event's sample with real ids; a minimal `{workspaceId}` for an event without a sample. */
export function samplePayload(event: string, ws: WorkspaceData): unknown {
  // A sample time-entry id would not resolve through the API; a real finished entry does.
  if (FINISHED_ENTRY_EVENTS.has(event)) {
    const entry = ws.timeEntries.forUser(ws.ownerId).find((e) => e.end !== null);
    if (entry) return timeEntryWebhookPayload(ws, entry);
  }
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
  const sample = samples[event];
  if (sample === undefined) return { workspaceId: ws.id };
  return new IdRewriter(ws).rewrite(structuredClone(sample), topLevelRole(event));
}

const FINISHED_ENTRY_EVENTS = new Set([
  'NEW_TIME_ENTRY',
  'TIME_ENTRY_UPDATED',
  'TIME_ENTRY_DELETED',
  'TIMER_STOPPED',
  'TIME_ENTRY_RESTORED',
  'TIME_ENTRY_SPLIT',
]);

const HEX24 = /^[0-9a-f]{24}$/;

class IdRewriter {
  private readonly mapped = new Map<string, string>();
  private readonly pools: Record<Role, string[]>;
  private readonly used: Record<Role, number> = {
    workspace: 0,
    user: 0,
    project: 0,
    task: 0,
    client: 0,
    tag: 0,
    customField: 0,
    userGroup: 0,
  };

  constructor(private readonly ws: WorkspaceData) {
    // The first project with tasks anchors the payload, so project, task and client agree.
    const projects = [...ws.projects.values()];
    const anchor = projects.find((p) => ws.tasksOf(p.id).length > 0) ?? projects[0];
    const others = projects.filter((p) => p !== anchor).map((p) => p.id);
    const anchorTasks = anchor ? ws.tasksOf(anchor.id).map((t) => t.id) : [];
    this.pools = {
      workspace: [ws.id],
      user: [ws.ownerId, ...[...ws.users.keys()].filter((id) => id !== ws.ownerId)],
      project: anchor ? [anchor.id, ...others] : [],
      task: [...anchorTasks, ...[...ws.tasks.keys()].filter((id) => !anchorTasks.includes(id))],
      client: [...(anchor?.clientId ? [anchor.clientId] : []), ...[...ws.clients.keys()].filter((id) => id !== anchor?.clientId)],
      tag: [...ws.tags.keys()],
      customField: [...ws.customFields.keys()],
      userGroup: [...ws.userGroups.keys()],
    };
  }

  rewrite(value: unknown, topRole: Role | undefined): unknown {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      this.visitObject(value as Record<string, unknown>, topRole);
    }
    return value;
  }

  private visitObject(obj: Record<string, unknown>, ownRole: Role | undefined): void {
    for (const [key, value] of Object.entries(obj)) {
      const role = key === 'id' ? ownRole : ID_KEY_ROLES[key];
      if (typeof value === 'string' && role && HEX24.test(value)) {
        obj[key] = this.map(value, role);
      } else if (Array.isArray(value)) {
        obj[key] = value.map((item) => {
          if (typeof item === 'string' && role && HEX24.test(item)) return this.map(item, role);
          if (typeof item === 'object' && item !== null) this.visitObject(item as Record<string, unknown>, OBJECT_KEY_ROLES[key]);
          return item;
        });
      } else if (typeof value === 'object' && value !== null) {
        this.visitObject(value as Record<string, unknown>, OBJECT_KEY_ROLES[key]);
      }
    }
    this.renameFromRealEntity(obj, ownRole);
  }

  private map(sampleId: string, role: Role): string {
    const known = this.mapped.get(sampleId);
    if (known) return known;
    const pool = this.pools[role];
    if (pool.length === 0) return sampleId;
    const real = pool[this.used[role] % pool.length] as string;
    this.used[role] += 1;
    this.mapped.set(sampleId, real);
    return real;
  }

  /** Real names next to real ids, so a payload reads like this workspace's data. */
  private renameFromRealEntity(obj: Record<string, unknown>, role: Role | undefined): void {
    const id = obj['id'];
    if (typeof id === 'string' && typeof obj['name'] === 'string') {
      const entity =
        role === 'project'
          ? this.ws.projects.get(id)
          : role === 'task'
            ? this.ws.tasks.get(id)
            : role === 'client'
              ? this.ws.clients.get(id)
              : role === 'tag'
                ? this.ws.tags.get(id)
                : role === 'user'
                  ? this.ws.users.get(id)
                  : role === 'userGroup'
                    ? this.ws.userGroups.get(id)
                    : undefined;
      if (entity) obj['name'] = entity.name;
    }
    const clientId = obj['clientId'];
    if (typeof clientId === 'string' && typeof obj['clientName'] === 'string') {
      const client = this.ws.clients.get(clientId);
      if (client) obj['clientName'] = client.name;
    }
  }
}
