import type { NameDirectory, NamedEntity } from '../api/types';

/** Kinds of ids the sidebar can name. */
export type IdKind = 'user' | 'project' | 'task' | 'client' | 'tag' | 'customField' | 'source' | 'workspace';

const LIST_OF: Record<Exclude<IdKind, 'workspace'>, keyof Omit<NameDirectory, 'workspace'>> = {
  user: 'users',
  project: 'projects',
  task: 'tasks',
  client: 'clients',
  tag: 'tags',
  customField: 'customFields',
  source: 'sources',
};

export interface NameIndex {
  directory: NameDirectory;
  /** The name of an id of any kind, or undefined when the snapshot does not know it. */
  nameOf(id: string | null | undefined): string | undefined;
  kindOf(id: string): IdKind | undefined;
  list(kind: Exclude<IdKind, 'workspace'>): NamedEntity[];
  entity(id: string): NamedEntity | undefined;
}

export const EMPTY_DIRECTORY: NameDirectory = {
  workspace: { id: '', name: null },
  users: [],
  projects: [],
  tasks: [],
  clients: [],
  tags: [],
  customFields: [],
  sources: [],
};

export function nameIndex(directory: NameDirectory): NameIndex {
  const byId = new Map<string, { kind: IdKind; entity: NamedEntity }>();
  for (const [kind, key] of Object.entries(LIST_OF) as [Exclude<IdKind, 'workspace'>, keyof Omit<NameDirectory, 'workspace'>][]) {
    for (const entity of directory[key]) if (!byId.has(entity.id)) byId.set(entity.id, { kind, entity });
  }
  if (directory.workspace.name)
    byId.set(directory.workspace.id, { kind: 'workspace', entity: { id: directory.workspace.id, name: directory.workspace.name } });
  return {
    directory,
    nameOf: (id) => (id ? byId.get(id)?.entity.name : undefined),
    kindOf: (id) => byId.get(id)?.kind,
    list: (kind) => directory[LIST_OF[kind]],
    entity: (id) => byId.get(id)?.entity,
  };
}

const KIND_BY_WORD: Record<string, IdKind> = {
  user: 'user',
  users: 'user',
  assignee: 'user',
  assignees: 'user',
  project: 'project',
  projects: 'project',
  task: 'task',
  tasks: 'task',
  client: 'client',
  clients: 'client',
  tag: 'tag',
  tags: 'tag',
  customfield: 'customField',
  'custom-fields': 'customField',
  customfields: 'customField',
  workspace: 'workspace',
  workspaces: 'workspace',
};

/**
 * Which kind of id a parameter or body field holds: `projectId`, `tagIds`, `users` (a query filter of
 * user ids), or a bare `id` read from the path segment before it (`/tags/{id}` holds a tag id).
 */
export function idKindOf(name: string, path?: string): IdKind | undefined {
  const match = /^(.*?)Ids?$/.exec(name);
  if (match && match[1]) return KIND_BY_WORD[match[1].toLowerCase()];
  if (name === 'id' && path) {
    const before = /\/([a-z-]+)\/\{id\}/.exec(path)?.[1];
    return before ? KIND_BY_WORD[before.toLowerCase()] : undefined;
  }
  return undefined;
}

/**
 * An example body with the spec's placeholder ids replaced by real ones of the workspace (the
 * first project, a task of it, the viewer as user), so a first write can succeed as it stands.
 */
export function fillExampleIds(value: unknown, names: NameIndex, context: { userId: string; workspaceId: string; now?: number }): unknown {
  const project = names.list('project')[0];
  const pick = (kind: IdKind): string | undefined => {
    if (kind === 'user') return context.userId;
    if (kind === 'workspace') return context.workspaceId;
    if (kind === 'task')
      return (project && names.list('task').find((task) => task.parentId === project.id)?.id) ?? names.list('task')[0]?.id;
    if (kind === 'project') return project?.id;
    return names.list(kind)[0]?.id;
  };
  // An id the workspace has nothing for (no custom fields, say) is left out rather than sent as the
  // spec's placeholder, with the array item that carried it: a placeholder id only earns a 400.
  const REMOVE = Symbol('remove');
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) {
      const kind = key ? idKindOf(key) : undefined;
      if (kind && node.every((item) => typeof item === 'string')) {
        const id = pick(kind);
        return id ? [id] : REMOVE;
      }
      const items = node.map((item) => walk(item)).filter((item) => item !== REMOVE);
      return items.length === 0 && node.length > 0 ? REMOVE : items;
    }
    if (node && typeof node === 'object') {
      const entries = Object.entries(node).map(([k, v]) => [k, walk(v, k)] as const);
      if (entries.some(([k, v]) => v === REMOVE && idKindOf(k))) return REMOVE;
      return withRecentInterval(Object.fromEntries(entries.filter(([, v]) => v !== REMOVE)), context.now ?? Date.now());
    }
    if (typeof node === 'string' && key) {
      const kind = idKindOf(key);
      if (!kind || names.kindOf(node)) return node;
      return pick(kind) ?? REMOVE;
    }
    return node;
  };
  const filled = walk(value);
  return filled === REMOVE ? {} : filled;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A time interval in an example (`start`/`end`) becomes the last 90 minutes: the spec's dates are
 * years apart or give an end without a start, which Clockify refuses ("End time must be after start").
 */
function withRecentInterval(object: Record<string, unknown>, now: number): Record<string, unknown> {
  const hasEnd = typeof object.end === 'string' && ISO_DATE_TIME.test(object.end);
  const hasStart = typeof object.start === 'string' && ISO_DATE_TIME.test(object.start);
  if (!hasEnd && !hasStart) return object;
  const end = Math.floor(now / 60_000) * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ...object, start: iso(end - 90 * 60_000), ...(hasEnd ? { end: iso(end) } : {}) };
}
