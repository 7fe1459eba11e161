import { readResourceJson } from '../../src/resources.js';
import type { CatalogLike, CatalogOperationLike } from '../../src/flows/model.js';

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean };
}
type OpenApi = { paths: Record<string, Record<string, OpenApiOperation | OpenApiParameter[]>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A CatalogLike built straight from the bundled Clockify spec (independent of src/clockify/catalog). */
export function catalogFromOpenApi(): CatalogLike & { size: number } {
  const spec = readResourceJson<OpenApi>('clockify', 'openapi.json');
  const operations = new Map<string, CatalogOperationLike>();
  for (const item of Object.values(spec.paths)) {
    const shared = (item.parameters ?? []) as OpenApiParameter[];
    for (const method of METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation?.operationId) continue;
      operations.set(operation.operationId, {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        parameters: [...shared, ...(operation.parameters ?? [])].map((p) => ({ name: p.name, in: p.in, required: p.required === true })),
        ...(operation.requestBody ? { requestBody: { required: operation.requestBody.required === true } } : {}),
      });
    }
  }
  return { get: (id) => operations.get(id), size: operations.size };
}
