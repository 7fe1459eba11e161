import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this module. The same code runs from `src/` (tsx)
 * and from `dist/src/` (compiled), so a fixed relative path would be wrong in one of them.
 */
export const projectRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'resources', 'clockify'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the resources/ folder above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
})();

/** Absolute path of a bundled resource, e.g. `resourcePath('clockify', 'openapi.json')`. */
export function resourcePath(...parts: string[]): string {
  return join(projectRoot, 'resources', ...parts);
}

const jsonCache = new Map<string, unknown>();

/** Parse a bundled JSON resource once per process. */
export function readResourceJson<T>(...parts: string[]): T {
  const path = resourcePath(...parts);
  let value = jsonCache.get(path);
  if (value === undefined) {
    value = JSON.parse(readFileSync(path, 'utf8'));
    jsonCache.set(path, value);
  }
  return value as T;
}
