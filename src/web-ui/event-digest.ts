/**
 * The few facts of a webhook payload a one-line summary needs ("Ana logged 1 h 30 m on Website
 * Redesign"): ids to name, and the names the payload itself carries as a fallback. Pure; small, so a
 * list of events stays light. Never emails or rates.
 */
export interface EventDigest {
  entityId?: string;
  name?: string;
  description?: string;
  userId?: string;
  userName?: string;
  projectId?: string;
  projectName?: string;
  taskId?: string;
  taskName?: string;
  clientId?: string;
  clientName?: string;
  start?: string;
  end?: string;
  /** ISO 8601 duration as Clockify sends it (`PT1H30M`). */
  duration?: string;
}

const MAX_TEXT = 160;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function eventDigest(payload: unknown): EventDigest {
  const root = object(payload);
  if (!root) return {};
  const user = object(root.user);
  const project = object(root.project);
  const task = object(root.task);
  const interval = object(root.timeInterval);
  const digest: EventDigest = {
    entityId: text(root.id),
    name: text(root.name),
    description: text(root.description),
    userId: text(root.userId) ?? text(user?.id),
    userName: text(user?.name) ?? text(root.userName),
    projectId: text(root.projectId) ?? text(project?.id),
    projectName: text(project?.name) ?? text(root.projectName),
    taskId: text(root.taskId) ?? text(task?.id),
    taskName: text(task?.name),
    clientId: text(root.clientId) ?? text(project?.clientId),
    clientName: text(root.clientName) ?? text(project?.clientName),
    start: text(interval?.start),
    end: text(interval?.end),
    duration: text(interval?.duration),
  };
  return Object.fromEntries(Object.entries(digest).filter(([, value]) => value !== undefined)) as EventDigest;
}

/** A search term as a LIKE pattern matched literally (`%` and `_` typed by the user are not wildcards). */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
