/** The few manifest facts the sandbox acts on, checked the way Clockify would refuse a broken manifest. */
export interface ManifestFacts {
  key: string;
  name: string;
  baseUrl: string;
  lifecycle: Array<{ type: string; path: string }>;
  webhooks: Array<{ event: string; path: string }>;
  raw: Record<string, unknown>;
}

export const MAX_MANIFEST_WEBHOOKS = 10;
const LIFECYCLE_TYPES = new Set(['INSTALLED', 'DELETED', 'SETTINGS_UPDATED', 'STATUS_CHANGED']);

export class ManifestError extends Error {}

export function readManifest(value: unknown): ManifestFacts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError('Manifest must be a JSON object');
  const raw = value as Record<string, unknown>;
  const key = raw['key'];
  if (typeof key !== 'string' || key.length < 2 || key.length > 50)
    throw new ManifestError('Manifest key must be a string of 2-50 characters');
  const baseUrl = raw['baseUrl'];
  if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl))
    throw new ManifestError('Manifest baseUrl must start with http:// or https://');
  const name = typeof raw['name'] === 'string' ? raw['name'] : key;

  const lifecycle = listOf(raw['lifecycle'], 'lifecycle').map((entry, i) => {
    const type = entry['type'];
    const path = entry['path'];
    if (typeof type !== 'string' || !LIFECYCLE_TYPES.has(type))
      throw new ManifestError(`lifecycle[${i}].type must be one of ${[...LIFECYCLE_TYPES].join(', ')}`);
    if (typeof path !== 'string' || path.length === 0) throw new ManifestError(`lifecycle[${i}].path is required`);
    return { type, path };
  });
  const webhooks = listOf(raw['webhooks'], 'webhooks').map((entry, i) => {
    const event = entry['event'];
    const path = entry['path'];
    if (typeof event !== 'string' || event.length === 0) throw new ManifestError(`webhooks[${i}].event is required`);
    if (typeof path !== 'string' || path.length === 0) throw new ManifestError(`webhooks[${i}].path is required`);
    return { event, path };
  });
  if (webhooks.length > MAX_MANIFEST_WEBHOOKS) throw new ManifestError(`A manifest may declare at most ${MAX_MANIFEST_WEBHOOKS} webhooks`);
  return { key, name, baseUrl, lifecycle, webhooks, raw };
}

/** `baseUrl` + `path`, with exactly one slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

function listOf(value: unknown, field: string): Array<Record<string, unknown>> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ManifestError(`Manifest ${field} must be an array`);
  return value.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) throw new ManifestError(`${field}[${i}] must be an object`);
    return entry as Record<string, unknown>;
  });
}
