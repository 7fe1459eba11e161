import type { HttpMethod } from './types.js';

/**
 * Operation ids the catalog can rely on being present and unique.
 *
 * The bundled spec has 168 unique ids, but a newer copy may not. Rules, applied in spec order:
 * - a missing id becomes `<method><PathInPascalCase>`, e.g. `getV1WorkspacesWorkspaceIdProjects`;
 * - the first operation with a given id keeps it; each later duplicate becomes
 *   `<id>_<method><PathInPascalCase>`, which depends only on its own method and path, so ids stay
 *   stable when unrelated operations are added or reordered.
 */
export function derivedOperationId(method: HttpMethod, path: string): string {
  return method.toLowerCase() + pascalPath(path);
}

function pascalPath(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

export function assignOperationIds(entries: readonly { method: HttpMethod; path: string; operationId?: unknown }[]): string[] {
  const used = new Set<string>();
  return entries.map(({ method, path, operationId }) => {
    let id = typeof operationId === 'string' && operationId.trim() !== '' ? operationId.trim() : derivedOperationId(method, path);
    if (used.has(id)) id = `${id}_${derivedOperationId(method, path)}`;
    // A derived id could itself collide with a later spec id; numbering is the last resort.
    for (let n = 2; used.has(id); n++) id = `${id.replace(/_\d+$/, '')}_${n}`;
    used.add(id);
    return id;
  });
}
