/** Where each findable entity lives: its bootstrap cache type and the Clockify operations to list and create it. */
import type { FindEntity } from '../../shared/flow-constants.js';

export interface EntitySource {
  /** entity_cache.entity_type the bootstrap stores it under. */
  cacheType: string;
  list: string;
  /** Query parameters narrowing the list to a field's value (Clockify matches names loosely; the step checks exactly). */
  filters: Partial<Record<string, string>>;
  /** Fixed parameters the list needs. */
  listParams?: Record<string, unknown>;
  create?: string;
}

export const ENTITY_SOURCES: Record<FindEntity, EntitySource> = {
  project: { cacheType: 'projects', list: 'getProjects', filters: { name: 'name' }, create: 'createNewProject' },
  client: { cacheType: 'clients', list: 'getClients', filters: { name: 'name' }, create: 'createClient' },
  user: {
    cacheType: 'users',
    list: 'getUsersOfWorkspace',
    filters: { name: 'name', email: 'email' },
    listParams: { 'include-roles': false },
  },
  tag: { cacheType: 'tags', list: 'getTags', filters: { name: 'name' }, create: 'createNewTag' },
  task: { cacheType: 'tasks', list: 'getTasks', filters: { name: 'name' }, create: 'createTask' },
  customField: { cacheType: 'custom-fields', list: 'ofWorkspace', filters: { name: 'name' } },
};

/** Whether an entity's field holds the value: names and emails ignoring case and surrounding spaces, ids exactly. */
export function fieldMatches(entity: unknown, field: string, value: string): boolean {
  if (!entity || typeof entity !== 'object') return false;
  const actual = (entity as Record<string, unknown>)[field];
  if (typeof actual !== 'string' && typeof actual !== 'number') return false;
  if (field === 'id') return String(actual) === value;
  return String(actual).trim().toLowerCase() === value.trim().toLowerCase();
}

/** A task belongs to the project the step names. */
export function inProject(entity: unknown, projectId: string | undefined): boolean {
  if (projectId === undefined) return true;
  return !!entity && typeof entity === 'object' && (entity as Record<string, unknown>).projectId === projectId;
}
