import type { EventDigest } from '../api/types';
import { humanizeEvent } from './format';
import type { NameIndex } from './names';

/** `PT1H30M` → seconds; null when it is not an ISO 8601 duration. */
export function isoDurationSeconds(value: string | undefined): number | null {
  const match = value ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value) : null;
  if (!match || value === 'P' || value === 'PT') return null;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Math.round(Number(seconds ?? 0));
}

/** 5400 → "1 h 30 m"; under a minute → "45 s". */
export function spokenDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return [hours > 0 ? `${hours} h` : '', minutes > 0 || hours === 0 ? `${minutes} m` : ''].filter(Boolean).join(' ');
}

function workedSeconds(digest: EventDigest): number | null {
  const fromDuration = isoDurationSeconds(digest.duration);
  if (fromDuration !== null) return fromDuration;
  if (digest.start && digest.end) {
    const span = (Date.parse(digest.end) - Date.parse(digest.start)) / 1000;
    return Number.isFinite(span) && span >= 0 ? Math.round(span) : null;
  }
  return null;
}

const quoted = (text: string | undefined) => (text ? `"${text}"` : undefined);

/**
 * One line saying what happened, in names: "Ana logged 1 h 30 m on Website Redesign". Names come
 * from the workspace snapshot first, then from the payload; an unknown id is not shown at all.
 */
export function eventSummary(eventType: string, digest: EventDigest | undefined, names: NameIndex, sourceName?: string): string {
  if (sourceName !== undefined) return eventType === 'custom' || !eventType ? `${sourceName} sent an event` : `${sourceName}: ${eventType}`;
  const d = digest ?? {};
  const user = names.nameOf(d.userId) ?? d.userName ?? 'Someone';
  const project = names.nameOf(d.projectId) ?? d.projectName;
  const task = names.nameOf(d.taskId) ?? d.taskName;
  const onWhat = project ? ` on ${project}${task ? ` · ${task}` : ''}` : '';
  // `Project "Website Redesign"`, or `A project` when neither the snapshot nor the payload names it.
  const named = (kind: string) => {
    const name = quoted(names.nameOf(d.entityId) ?? d.name);
    return name ? `${kind[0]!.toUpperCase()}${kind.slice(1)} ${name}` : `A ${kind}`;
  };
  const seconds = workedSeconds(d);
  switch (eventType) {
    case 'NEW_TIME_ENTRY':
    case 'TIMER_STOPPED':
      return seconds !== null && d.end ? `${user} logged ${spokenDuration(seconds)}${onWhat}` : `${user} added a time entry${onWhat}`;
    case 'NEW_TIMER_STARTED':
      return `${user} started a timer${onWhat}`;
    case 'TIME_ENTRY_UPDATED':
      return `${user} changed a time entry${onWhat}${seconds !== null && d.end ? ` (${spokenDuration(seconds)})` : ''}`;
    case 'TIME_ENTRY_DELETED':
      return `${user} deleted a time entry${onWhat}`;
    case 'TIME_ENTRY_RESTORED':
      return `${user} restored a time entry${onWhat}`;
    case 'NEW_PROJECT':
      return `${named('project')} was created`;
    case 'PROJECT_UPDATED':
      return `${named('project')} was changed`;
    case 'PROJECT_DELETED':
      return `${named('project')} was deleted`;
    case 'NEW_TASK':
      return `${named('task')} was added${project ? ` to ${project}` : ''}`;
    case 'TASK_UPDATED':
    case 'TASK_DELETED':
      return `${named('task')} was ${eventType === 'TASK_DELETED' ? 'deleted' : 'changed'}${project ? ` in ${project}` : ''}`;
    case 'NEW_CLIENT':
    case 'CLIENT_UPDATED':
    case 'CLIENT_DELETED':
      return `${named('client')} was ${eventType === 'NEW_CLIENT' ? 'created' : eventType === 'CLIENT_DELETED' ? 'deleted' : 'changed'}`;
    case 'NEW_TAG':
    case 'TAG_UPDATED':
    case 'TAG_DELETED':
      return `${named('tag')} was ${eventType === 'NEW_TAG' ? 'created' : eventType === 'TAG_DELETED' ? 'deleted' : 'changed'}`;
    case 'TIME_OFF_REQUESTED':
      return `${user} requested time off`;
    case 'USER_JOINED_WORKSPACE':
      return `${names.nameOf(d.entityId) ?? d.name ?? user} joined the workspace`;
    default:
      return d.userId || d.userName ? `${humanizeEvent(eventType)} · ${user}` : humanizeEvent(eventType);
  }
}

/** Display name of an event's source: Clockify, or the custom source's name (its id when unknown). */
export function sourceLabel(source: string, names: NameIndex): string {
  if (!source.startsWith('custom:')) return 'Clockify';
  const id = source.slice('custom:'.length);
  return names.nameOf(id) ?? `Custom source ${id}`;
}
