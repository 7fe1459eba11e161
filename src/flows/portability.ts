/**
 * A flow as a file: export it with the names of the Clockify entities its definition mentions, and
 * import it elsewhere, where those ids mean nothing, by mapping each to the entity of the same type
 * and name. Pure: definitions, names and directories in, documents and plans out.
 */

export const EXPORT_FORMAT = 'clockify-addon-platform/flow';
export const EXPORT_FORMAT_VERSION = 1;
/** An exported file is a definition and some names: a few hundred KB is far beyond any real one. */
export const EXPORT_MAX_BYTES = 512 * 1024;

/** Clockify ids are 24 hex digits (MongoDB object ids), wherever they sit: params, bodies, URLs, conditions. */
const CLOCKIFY_ID = /\b[0-9a-f]{24}\b/g;

export const ENTITY_TYPES = ['workspace', 'users', 'projects', 'clients', 'tags', 'tasks', 'customFields'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface NamedEntity {
  id: string;
  type: EntityType;
  name: string;
  /** A task's project, a project's client: a task named "Design" is looked for in the mapped project. */
  parentId?: string;
}

export interface FlowExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  exportedAt: string;
  source: { edition: string; addonKey: string; workspaceId: string; flowId: string; version: number };
  definition: Record<string, unknown>;
  entities: NamedEntity[];
}

/** Every distinct Clockify id in a definition's strings (keys are names, not ids: left alone). */
export function clockifyIdsIn(value: unknown): string[] {
  const found = new Set<string>();
  visitStrings(value, (text) => {
    for (const match of text.matchAll(CLOCKIFY_ID)) found.add(match[0]);
  });
  return [...found];
}

function visitStrings(value: unknown, visit: (text: string) => void, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) visitStrings(item, visit, depth + 1);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) visitStrings(item, visit, depth + 1);
}

/** A copy with each mapped id replaced in every string. */
export function replaceIds<T>(value: T, mapping: ReadonlyMap<string, string>, depth = 0): T {
  if (mapping.size === 0 || depth > 64) return value;
  if (typeof value === 'string') return value.replace(CLOCKIFY_ID, (id) => mapping.get(id) ?? id) as T;
  if (Array.isArray(value)) return value.map((item) => replaceIds(item, mapping, depth + 1)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIds(item, mapping, depth + 1)])) as T;
  return value;
}

/** The export document: the entities are those of `directory` the definition mentions. */
export function buildExport(input: {
  definition: Record<string, unknown>;
  directory: readonly NamedEntity[];
  source: FlowExport['source'];
  exportedAt: Date;
}): FlowExport {
  const ids = new Set(clockifyIdsIn(input.definition));
  const entities = input.directory.filter((entity) => ids.has(entity.id));
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: input.exportedAt.toISOString(),
    source: input.source,
    definition: input.definition,
    entities,
  };
}

export interface ImportProblem {
  field: string;
  message: string;
}

/** The document's shape, or the fields that are wrong (the definition itself is validated like any flow). */
export function readExport(document: unknown): { ok: true; value: FlowExport } | { ok: false; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const doc = document as Partial<FlowExport> | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return { ok: false, problems: [{ field: 'document', message: 'must be an exported flow (a JSON object)' }] };
  if (doc.format !== EXPORT_FORMAT)
    problems.push({ field: 'document.format', message: `must be "${EXPORT_FORMAT}": this file is not a flow exported by this add-on` });
  if (doc.formatVersion !== EXPORT_FORMAT_VERSION)
    problems.push({
      field: 'document.formatVersion',
      message: `must be ${EXPORT_FORMAT_VERSION} (this version of the add-on reads no other)`,
    });
  if (!doc.definition || typeof doc.definition !== 'object' || Array.isArray(doc.definition))
    problems.push({ field: 'document.definition', message: 'must be a flow definition (an object)' });
  if (!Array.isArray(doc.entities)) problems.push({ field: 'document.entities', message: 'must be a list of named entities' });
  else {
    doc.entities.forEach((entity, index) => {
      const e = entity as Partial<NamedEntity> | null;
      const ok =
        e &&
        typeof e === 'object' &&
        typeof e.id === 'string' &&
        /^[0-9a-f]{24}$/.test(e.id) &&
        (ENTITY_TYPES as readonly string[]).includes(e.type as string) &&
        typeof e.name === 'string' &&
        e.name.length <= 1000 &&
        (e.parentId === undefined || typeof e.parentId === 'string');
      if (!ok) problems.push({ field: `document.entities.${index}`, message: 'must be {id (24 hex digits), type, name, parentId?}' });
    });
  }
  const source = doc.source as Partial<FlowExport['source']> | undefined;
  if (!source || typeof source !== 'object' || typeof source.edition !== 'string' || typeof source.workspaceId !== 'string')
    problems.push({ field: 'document.source', message: 'must name the edition and workspace it came from' });
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, 50) } : { ok: true, value: doc as FlowExport };
}

export interface MappedId {
  from: string;
  to: string;
  type: EntityType;
  name: string;
}
export interface UnmappedId {
  id: string;
  type: EntityType | null;
  name: string | null;
  reason: string;
}
export interface ImportPlan {
  definition: Record<string, unknown>;
  mapped: MappedId[];
  unmapped: UnmappedId[];
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/**
 * Maps every Clockify id of the exported definition into the target workspace: the source workspace
 * to the target's, an id the target already has to itself, a named entity to the target's entity of
 * the same type and name (a task within its mapped project). Whatever is left is flagged.
 */
export function planImport(document: FlowExport, target: { workspaceId: string; directory: readonly NamedEntity[] }): ImportPlan {
  const known = new Set(target.directory.map((entity) => entity.id));
  const named = new Map(document.entities.map((entity) => [entity.id, entity]));
  const mapping = new Map<string, string>();
  const mapped: MappedId[] = [];
  const unmapped: UnmappedId[] = [];
  if (document.source.workspaceId !== target.workspaceId) mapping.set(document.source.workspaceId, target.workspaceId);
  // Parents before children, so a task's project is mapped when the task is looked for.
  const order = (id: string) => (named.get(id)?.type === 'tasks' ? 1 : 0);
  for (const id of clockifyIdsIn(document.definition).sort((a, b) => order(a) - order(b))) {
    if (id === document.source.workspaceId) {
      mapped.push({ from: id, to: target.workspaceId, type: 'workspace', name: 'workspace' });
      continue;
    }
    const entity = named.get(id);
    if (known.has(id)) {
      if (entity) mapped.push({ from: id, to: id, type: entity.type, name: entity.name });
      continue;
    }
    if (!entity) {
      unmapped.push({ id, type: null, name: null, reason: 'not in this workspace, and the file does not name it' });
      continue;
    }
    let candidates = target.directory.filter((candidate) => candidate.type === entity.type && sameName(candidate.name, entity.name));
    if (candidates.length > 1 && entity.parentId) {
      const parent = mapping.get(entity.parentId) ?? entity.parentId;
      candidates = candidates.filter((candidate) => candidate.parentId === parent);
    }
    if (candidates.length === 1) {
      mapping.set(id, candidates[0]!.id);
      mapped.push({ from: id, to: candidates[0]!.id, type: entity.type, name: entity.name });
    } else {
      unmapped.push({
        id,
        type: entity.type,
        name: entity.name,
        reason:
          candidates.length === 0
            ? `no ${singular(entity.type)} named "${entity.name}" here`
            : `${candidates.length} ${entity.type} are named "${entity.name}" here`,
      });
    }
  }
  return { definition: replaceIds(document.definition, mapping), mapped, unmapped };
}

function singular(type: EntityType): string {
  return (
    {
      workspace: 'workspace',
      users: 'user',
      projects: 'project',
      clients: 'client',
      tags: 'tag',
      tasks: 'task',
      customFields: 'custom field',
    } as const
  )[type];
}
