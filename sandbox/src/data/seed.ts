import { createIdFactory, createPrng, type Prng } from '../prng.js';
import {
  COLORS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  DESCRIPTIONS,
  FIRST_NAMES,
  LAST_NAMES,
  PROJECT_TOPICS,
  TAG_NAMES,
  TASK_NAMES,
  TIME_ZONES,
} from './names.js';
import type { TimeEntryRecord, WorkspaceRole } from './records.js';
import { WorkspaceData } from './workspace.js';

export interface SeedOptions {
  /** PRNG seed; the same seed (on the same UTC day, or with the same `now`) gives the same data. Default 1. */
  seed?: number;
  workspaces?: number;
  users?: number;
  projects?: number;
  clients?: number;
  tags?: number;
  tasksPerProject?: number;
  /** Time entries per workspace, spread over the 30 days before `now`. */
  timeEntries?: number;
  customFields?: number;
  userGroups?: number;
  /** Reference time for the 30-day window; default the start of the current UTC day. */
  now?: Date | string | number;
}

export const SEED_DEFAULTS: Required<Omit<SeedOptions, 'now'>> = {
  seed: 1,
  workspaces: 1,
  users: 5,
  projects: 40,
  clients: 8,
  tags: 12,
  tasksPerProject: 3,
  timeEntries: 2000,
  customFields: 2,
  userGroups: 2,
};

const DAY_MS = 86_400_000;

export function seedWorkspaces(options: SeedOptions = {}): WorkspaceData[] {
  const o = { ...SEED_DEFAULTS, ...stripUndefined(options) };
  const anchor = referenceTime(options.now);
  const prng = createPrng(o.seed);
  const newId = createIdFactory(prng, Math.floor((anchor - 60 * DAY_MS) / 1000));
  const workspaces: WorkspaceData[] = [];
  for (let w = 0; w < o.workspaces; w++) {
    workspaces.push(seedOne(prng, newId, anchor, w, o));
  }
  return workspaces;
}

function seedOne(
  prng: Prng,
  newId: () => string,
  anchor: number,
  index: number,
  o: Required<Omit<SeedOptions, 'now'>>,
): WorkspaceData {
  const userIds = Array.from({ length: Math.max(1, o.users) }, () => newId());
  const ws = new WorkspaceData(newId(), index === 0 ? 'Demo Workspace' : `Demo Workspace ${index + 1}`, userIds[0] as string);

  const usedEmails = new Set<string>();
  userIds.forEach((id, i) => {
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    let email = `${first}.${last}@example.com`.toLowerCase();
    for (let n = 2; usedEmails.has(email); n++) email = `${first}.${last}${n}@example.com`.toLowerCase();
    usedEmails.add(email);
    ws.users.set(id, {
      id,
      email,
      name: `${first} ${last}`,
      role: roleFor(i),
      membershipStatus: 'ACTIVE',
      timeZone: prng.pick(TIME_ZONES),
    });
  });

  for (let i = 0; i < o.clients; i++) {
    const id = newId();
    const name = `${COMPANY_PREFIXES[i % COMPANY_PREFIXES.length]} ${prng.pick(COMPANY_SUFFIXES)}${i >= COMPANY_PREFIXES.length ? ` ${i + 1}` : ''}`;
    ws.clients.set(id, {
      id,
      name,
      archived: false,
      address: `${prng.int(1, 999)} Main Street`,
      email: `billing@${name.split(' ')[0]?.toLowerCase()}.example.com`,
      note: '',
      ccEmails: [],
    });
  }
  const clientIds = [...ws.clients.keys()];

  for (let i = 0; i < o.projects; i++) {
    const id = newId();
    const billable = prng.chance(0.7);
    const topic = PROJECT_TOPICS[i % PROJECT_TOPICS.length] as string;
    const round = Math.floor(i / PROJECT_TOPICS.length);
    ws.projects.set(id, {
      id,
      name: round === 0 ? topic : `${topic} ${round + 1}`,
      clientId: clientIds.length > 0 && prng.chance(0.8) ? prng.pick(clientIds) : '',
      billable,
      color: prng.pick(COLORS),
      archived: prng.chance(0.05),
      note: '',
      public: prng.chance(0.6),
      template: false,
      hourlyRate: billable ? { amount: prng.int(40, 150) * 100, currency: 'USD' } : null,
      costRate: null,
      memberUserIds: [...userIds],
    });
    for (let t = 0; t < o.tasksPerProject; t++) {
      const taskId = newId();
      ws.tasks.set(taskId, {
        id: taskId,
        name: TASK_NAMES[(i + t) % TASK_NAMES.length] as string,
        projectId: id,
        assigneeIds: prng.chance(0.5) ? [prng.pick(userIds)] : [],
        userGroupIds: [],
        estimate: 'PT0S',
        status: prng.chance(0.9) ? 'ACTIVE' : 'DONE',
        billable,
        budgetEstimate: 0,
        hourlyRate: null,
        costRate: null,
      });
    }
  }

  for (let i = 0; i < o.tags; i++) {
    const id = newId();
    const base = TAG_NAMES[i % TAG_NAMES.length] as string;
    ws.tags.set(id, { id, name: i < TAG_NAMES.length ? base : `${base}-${i + 1}`, archived: false });
  }

  const fieldTemplates = [
    { name: 'Ticket', type: 'TXT' as const, allowedValues: [] as string[], placeholder: 'e.g. JIRA-123' },
    { name: 'Activity', type: 'DROPDOWN_SINGLE' as const, allowedValues: ['Development', 'Meeting', 'Support'], placeholder: '' },
    { name: 'Overtime', type: 'CHECKBOX' as const, allowedValues: [] as string[], placeholder: '' },
  ];
  for (let i = 0; i < o.customFields; i++) {
    const template = fieldTemplates[i % fieldTemplates.length] as (typeof fieldTemplates)[number];
    const id = newId();
    ws.customFields.set(id, {
      id,
      name: i < fieldTemplates.length ? template.name : `${template.name} ${i + 1}`,
      type: template.type,
      entityType: 'TIMEENTRY',
      status: 'VISIBLE',
      allowedValues: template.allowedValues,
      placeholder: template.placeholder,
      onlyAdminCanEdit: false,
      required: false,
      workspaceDefaultValue: undefined,
      projectDefaults: new Map(),
    });
  }

  const groupNames = ['Engineering', 'Design', 'Sales', 'Support', 'Management'];
  for (let i = 0; i < o.userGroups; i++) {
    const id = newId();
    ws.userGroups.set(id, {
      id,
      name: groupNames[i % groupNames.length] + (i >= groupNames.length ? ` ${i + 1}` : ''),
      userIds: userIds.filter(() => prng.chance(0.5)),
    });
  }

  ws.timeEntries.addBulk(seedTimeEntries(prng, newId, ws, anchor, o.timeEntries));
  return ws;
}

function seedTimeEntries(prng: Prng, newId: () => string, ws: WorkspaceData, anchor: number, count: number): TimeEntryRecord[] {
  const userIds = [...ws.users.keys()];
  const projects = [...ws.projects.values()];
  const tasksByProject = new Map<string, string[]>();
  for (const task of ws.tasks.values()) {
    const list = tasksByProject.get(task.projectId) ?? [];
    list.push(task.id);
    tasksByProject.set(task.projectId, list);
  }
  const tagIds = [...ws.tags.keys()];
  const windowMinutes = 30 * 24 * 60;
  const entries: TimeEntryRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const durationMs = prng.int(1, 16) * 15 * 60_000;
    // Entries end by the reference time: none lies in the future.
    const start = Math.min(anchor - windowMinutes * 60_000 + prng.int(0, windowMinutes - 1) * 60_000, anchor - durationMs);
    const project = projects.length > 0 && prng.chance(0.85) ? prng.pick(projects) : undefined;
    const tasks = project ? tasksByProject.get(project.id) ?? [] : [];
    const entryTags: string[] = [];
    if (tagIds.length > 0) {
      const n = prng.int(0, 2);
      for (let t = 0; t < n; t++) {
        const tag = prng.pick(tagIds);
        if (!entryTags.includes(tag)) entryTags.push(tag);
      }
    }
    entries[i] = {
      id: newId(),
      userId: prng.pick(userIds),
      description: prng.pick(DESCRIPTIONS),
      projectId: project?.id ?? null,
      taskId: tasks.length > 0 && prng.chance(0.7) ? prng.pick(tasks) : null,
      tagIds: entryTags,
      billable: project?.billable === true && prng.chance(0.85),
      start,
      end: start + durationMs,
      type: 'REGULAR',
      isLocked: false,
      customFieldValues: [],
    };
  }
  return entries;
}

function roleFor(index: number): WorkspaceRole {
  if (index === 0) return 'OWNER';
  if (index === 1) return 'ADMIN';
  if (index === 2) return 'PROJECT_MANAGER';
  if (index === 3) return 'TEAM_MANAGER';
  return 'REGULAR';
}

function referenceTime(now: SeedOptions['now']): number {
  if (now !== undefined) {
    const ms = new Date(now).getTime();
    if (Number.isNaN(ms)) throw new Error(`seed.now is not a valid date: ${String(now)}`);
    return ms;
  }
  const today = Date.now();
  return today - (today % DAY_MS);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
