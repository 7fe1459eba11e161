import { randomBytes, randomInt } from 'node:crypto';

/**
 * Fresh webhook payloads for the `trigger` verb: every call a new event (new id, the current time), with
 * values taken from the workspace, so the add-ons store it instead of deduplicating it.
 * Pure: the caller fetches the workspace data.
 */
export interface WorkspaceSnapshot {
  workspaceId: string;
  users: { id: string; name: string }[];
  projects: { id: string; name: string; clientId?: string | null; clientName?: string | null }[];
  tags: { id: string; name: string }[];
  /** A real time entry of the workspace (hydrated: project, task, tags, user), the model of time-entry events. */
  timeEntry?: Record<string, unknown>;
}

export const TIME_ENTRY_EVENTS = new Set([
  'NEW_TIME_ENTRY',
  'TIME_ENTRY_UPDATED',
  'TIME_ENTRY_DELETED',
  'TIMER_STOPPED',
  'NEW_TIMER_STARTED',
  'TIME_ENTRY_RESTORED',
  'TIME_ENTRY_SPLIT',
]);

const DESCRIPTIONS = [
  'Code review',
  'Sprint planning',
  'Customer call',
  'Bug triage',
  'Writing docs',
  'Design review',
  'Deploy to staging',
  'Weekly sync',
  'Onboarding',
  'Invoice prep',
];

export type Pick = <T>(items: readonly T[]) => T | undefined;
const randomPick: Pick = (items) => (items.length === 0 ? undefined : items[randomInt(items.length)]);

/** A new 24-hex id like Clockify's ObjectIds (time-ordered prefix, random rest). */
export function newObjectId(now = Date.now()): string {
  return (
    Math.floor(now / 1000)
      .toString(16)
      .padStart(8, '0') + randomBytes(8).toString('hex')
  );
}

/** ISO-8601 duration of whole seconds, as Clockify writes it (PT1H30M). */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

const clockifyTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function freshPayload(
  event: string,
  sample: unknown,
  data: WorkspaceSnapshot,
  options: { now?: number; pick?: Pick } = {},
): Record<string, unknown> {
  const now = options.now ?? Date.now();
  const pick = options.pick ?? randomPick;
  if (TIME_ENTRY_EVENTS.has(event) && data.timeEntry) return freshTimeEntry(event, data.timeEntry, now, pick);
  const payload = (typeof sample === 'object' && sample !== null && !Array.isArray(sample) ? structuredClone(sample) : {}) as Record<
    string,
    unknown
  >;
  const user = pick(data.users);
  const project = pick(data.projects);
  const tag = pick(data.tags);
  rewriteIds(payload, {
    workspaceId: data.workspaceId,
    userId: user?.id,
    projectId: project?.id,
    clientId: project?.clientId ?? undefined,
    tagId: tag?.id,
  });
  // The event's own entity is new: a new id, so it is a new delivery, not a retry of an old one.
  const id = newObjectId(now);
  payload['id'] = id;
  if (typeof payload['name'] === 'string') payload['name'] = `${payload['name']} ${id.slice(-4)}`;
  return payload;
}

function freshTimeEntry(event: string, entry: Record<string, unknown>, now: number, pick: Pick): Record<string, unknown> {
  const payload = structuredClone(entry);
  delete payload['type'];
  delete payload['kioskId'];
  const id = newObjectId(now);
  payload['id'] = id;
  payload['description'] = pick(DESCRIPTIONS) ?? 'Work';
  // Between 15 minutes and 3 hours, ending now (a running timer has no end yet).
  const seconds = 15 * 60 * (1 + randomInt(12));
  payload['timeInterval'] =
    event === 'NEW_TIMER_STARTED'
      ? { start: clockifyTime(now), end: null, duration: null }
      : { start: clockifyTime(now - seconds * 1000), end: clockifyTime(now), duration: isoDuration(seconds) };
  if (Array.isArray(payload['customFieldValues'])) {
    payload['customFieldValues'] = (payload['customFieldValues'] as Record<string, unknown>[]).map((value) => ({
      ...value,
      timeEntryId: id,
    }));
  }
  return payload;
}

interface IdChoice {
  workspaceId: string;
  userId?: string;
  projectId?: string;
  clientId?: string;
  tagId?: string;
}

const KEYS: Record<string, keyof IdChoice> = { workspaceId: 'workspaceId', userId: 'userId', projectId: 'projectId', clientId: 'clientId' };

/** Sample ids of the workspace, its users, projects, clients and tags become real ones; other ids stay. */
function rewriteIds(value: Record<string, unknown>, choice: IdChoice): void {
  for (const [key, child] of Object.entries(value)) {
    const role = KEYS[key];
    if (role && typeof child === 'string' && choice[role]) value[key] = choice[role];
    else if (key === 'tagIds' && Array.isArray(child) && choice.tagId) value[key] = [choice.tagId];
    else if (Array.isArray(child)) {
      for (const item of child) if (typeof item === 'object' && item !== null) rewriteIds(item as Record<string, unknown>, choice);
    } else if (typeof child === 'object' && child !== null) rewriteIds(child as Record<string, unknown>, choice);
  }
}
