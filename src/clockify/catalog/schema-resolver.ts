import type { JsonSchema } from './types.js';

/**
 * Inlines `$ref`s of an OpenAPI 3.0 document's `components.schemas`.
 *
 * Cycles (the spec has `GroupOneDto.children[] -> GroupOneDto` and `FeaturePlan.oneOf -> FeaturePlan`) are cut:
 * a reference to a schema that is already being expanded becomes a permissive stub
 * `{ description, 'x-recursive-ref': name }`, so the result is finite and contains no `$ref` at all.
 *
 * The spec also carries a springdoc artefact: enums rendered as `{ type: 'object', oneOf: [{ type: 'string',
 * enum }] , properties: { A: …, B: … } }`. No value can satisfy both `type: object` and a string branch, so
 * such wrappers are collapsed to their single branch (keeping description and example).
 *
 * Results are deep-frozen and shared between operations; callers must copy before changing them.
 */
export interface SchemaResolver {
  resolve(schema: unknown): JsonSchema;
}

const REF_PREFIX = '#/components/schemas/';

export function createSchemaResolver(components: Record<string, unknown>): SchemaResolver {
  const memo = new Map<string, JsonSchema>();
  const inProgress: string[] = [];

  function refName(ref: string): string {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`Unsupported $ref ${ref}: only ${REF_PREFIX}* is resolved`);
    return decodeURIComponent(ref.slice(REF_PREFIX.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  }

  /** `cuts` collects names of schemas that were cut below this point; memoising such a result would bake a cut into an unrelated context. */
  function resolveRef(name: string, cuts: Set<string>): JsonSchema {
    const cached = memo.get(name);
    if (cached) return cached;
    if (inProgress.includes(name)) {
      cuts.add(name);
      return Object.freeze({
        description: `Recursive reference to ${name}, cut to keep the schema finite.`,
        'x-recursive-ref': name,
      });
    }
    const target = components[name];
    if (target === undefined) throw new Error(`Unknown schema ${name} referenced in the OpenAPI spec`);
    inProgress.push(name);
    const innerCuts = new Set<string>();
    const resolved = resolveNode(target, innerCuts) as JsonSchema;
    inProgress.pop();
    innerCuts.delete(name);
    if (innerCuts.size === 0) memo.set(name, resolved);
    for (const cut of innerCuts) cuts.add(cut);
    return resolved;
  }

  function resolveNode(node: unknown, cuts: Set<string>): unknown {
    if (Array.isArray(node)) return Object.freeze(node.map((item) => resolveNode(item, cuts)));
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const resolved = resolveRef(refName(record.$ref), cuts);
      const siblings = Object.keys(record).filter((key) => key !== '$ref');
      // OpenAPI 3.0 ignores siblings of $ref, but descriptions next to a $ref are still worth keeping.
      if (siblings.length === 0) return resolved;
      const merged: Record<string, unknown> = { ...resolved };
      for (const key of siblings) if (key === 'description' || key === 'example') merged[key] = record[key];
      return Object.freeze(merged);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      // Literal values: never interpret them as schemas.
      if (key === 'example' || key === 'default' || key === 'enum') out[key] = deepFreeze(structuredClone(value));
      else if (key === 'properties' && value && typeof value === 'object') {
        const props: Record<string, unknown> = {};
        for (const [prop, propSchema] of Object.entries(value as Record<string, unknown>)) props[prop] = resolveNode(propSchema, cuts);
        out[key] = Object.freeze(props);
      } else out[key] = resolveNode(value, cuts);
    }
    return Object.freeze(collapseEnumWrapper(out));
  }

  return {
    resolve(schema: unknown): JsonSchema {
      const resolved = resolveNode(schema, new Set());
      if (resolved === null || typeof resolved !== 'object' || Array.isArray(resolved)) {
        throw new Error('A schema must be an object');
      }
      return resolved as JsonSchema;
    },
  };
}

/** See the module comment: `{type:'object', oneOf:[single branch]}` where the branch is not an object. */
function collapseEnumWrapper(schema: Record<string, unknown>): Record<string, unknown> {
  const oneOf = schema.oneOf;
  if (schema.type !== 'object' || !Array.isArray(oneOf) || oneOf.length !== 1) return schema;
  const branch = oneOf[0] as Record<string, unknown>;
  if (typeof branch['x-recursive-ref'] === 'string') {
    // A schema that is "one of itself": the branch adds nothing.
    const { oneOf: _dropped, ...rest } = schema;
    return rest;
  }
  if (branch.type === 'object' || branch.type === undefined) return schema;
  const collapsed: Record<string, unknown> = { ...branch };
  if (schema.description !== undefined && collapsed.description === undefined) collapsed.description = schema.description;
  if (schema.example !== undefined && collapsed.example === undefined) collapsed.example = schema.example;
  return collapsed;
}

/** Only ever applied to copies: the parsed spec itself is shared through the resource cache. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
