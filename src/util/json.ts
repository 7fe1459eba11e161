/** Canonical JSON: object keys sorted at every level, so equal documents give equal text (for hashing). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) items[index] = sortKeys(value[index]);
    return items;
  }
  // Every webhook is hashed through this: an insertion sort beats Array#sort on the few keys of an object.
  const keys = Object.keys(value);
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let before = index - 1;
    while (before >= 0 && keys[before]! > key) {
      keys[before + 1] = keys[before]!;
      before -= 1;
    }
    keys[before + 1] = key;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of keys) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

export function parseJsonOr<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
