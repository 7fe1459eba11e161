/**
 * The workspace's names, from the bootstrap cache: what the sidebar shows instead of 24-character
 * ids. Pure: rows in, a directory out. Only the types members may read anyway are included, and
 * only ids, names and the links between them (a task's project), never emails or rates.
 */

export interface NamedEntity {
  id: string;
  name: string;
  /** A task's project, a project's client. */
  parentId?: string;
  color?: string;
}

export interface NameDirectory {
  workspace: { id: string; name: string | null };
  users: NamedEntity[];
  projects: NamedEntity[];
  tasks: NamedEntity[];
  clients: NamedEntity[];
  tags: NamedEntity[];
  customFields: NamedEntity[];
  sources: NamedEntity[];
}

/** Cache entity types read for the directory, and the key each lands under. */
export const NAMED_TYPES = {
  users: 'users',
  projects: 'projects',
  tasks: 'tasks',
  clients: 'clients',
  tags: 'tags',
  'custom-fields': 'customFields',
} as const satisfies Record<string, keyof NameDirectory>;

export const WORKSPACE_TYPE = 'raw:getWorkspaceOfUser';

type Row = { entity_type: string; entity_id: string; data_json: string };

function parse(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

export function nameDirectory(workspaceId: string, rows: readonly Row[], sources: readonly { id: string; name: string }[]): NameDirectory {
  const directory: NameDirectory = {
    workspace: { id: workspaceId, name: null },
    users: [],
    projects: [],
    tasks: [],
    clients: [],
    tags: [],
    customFields: [],
    sources: sources.map((source) => ({ id: source.id, name: source.name })),
  };
  for (const row of rows) {
    const data = parse(row.data_json);
    if (row.entity_type === WORKSPACE_TYPE) {
      if ((text(data.id) ?? row.entity_id) === workspaceId || directory.workspace.name === null)
        directory.workspace.name = text(data.name) ?? directory.workspace.name;
      continue;
    }
    const key = NAMED_TYPES[row.entity_type as keyof typeof NAMED_TYPES];
    if (!key) continue;
    const name = text(data.name) ?? text(data.email) ?? row.entity_id;
    const parentId = text(data.projectId) ?? text(data.clientId);
    const color = text(data.color);
    directory[key].push({ id: row.entity_id, name, ...(parentId ? { parentId } : {}), ...(color ? { color } : {}) });
  }
  for (const key of Object.values(NAMED_TYPES)) directory[key].sort((a, b) => a.name.localeCompare(b.name));
  return directory;
}
