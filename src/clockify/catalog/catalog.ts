import { readResourceJson } from '../../resources.js';
import { buildCatalog } from './build-catalog.js';
import type { Catalog } from './types.js';

let catalog: Catalog | undefined;

/** The catalog of the bundled Clockify OpenAPI spec, built on first use and shared by the whole process. */
export function getCatalog(): Catalog {
  return (catalog ??= buildCatalog(readResourceJson<unknown>('clockify', 'openapi.json')));
}
