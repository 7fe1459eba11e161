import type { EventDigest } from '../../api/types';

/**
 * The summary facts of a full payload (the detail pane has the payload itself). Mirrors the
 * server's src/web-ui/event-digest.ts, which does the same for list rows.
 */
export function eventDigestOf(payload: unknown): EventDigest {
  const object = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);
  const root = object(payload);
  if (!root) return {};
  const user = object(root.user);
  const project = object(root.project);
  const task = object(root.task);
  const interval = object(root.timeInterval);
  return {
    entityId: text(root.id),
    name: text(root.name),
    userId: text(root.userId) ?? text(user?.id),
    userName: text(user?.name),
    projectId: text(root.projectId) ?? text(project?.id),
    projectName: text(project?.name),
    taskId: text(root.taskId) ?? text(task?.id),
    taskName: text(task?.name),
    start: text(interval?.start),
    end: text(interval?.end),
    duration: text(interval?.duration),
  };
}
