/**
 * RFC 9535 JSONPath for flow conditions: syntax check once, cached by source text, and evaluation
 * that never throws. Plain member/index paths (`$.project.id`, `$.tags[0]`) — nearly every path a
 * flow uses — are compiled to direct own-property lookups; everything else is run by
 * `jsonpath-rfc9535`.
 */
import { query, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';

export const MAX_PATH_LENGTH = 500;
const CACHE_LIMIT = 1_000;

export type CompiledPath =
  | { ok: true; source: string; evaluate(document: unknown): unknown[] }
  | { ok: false; source: string; message: string; position?: number };

type Step = { kind: 'name'; name: string } | { kind: 'index'; index: number };

const ALLOWED_FUNCTIONS = new Set(['length', 'count', 'value']);

const cache = new Map<string, CompiledPath>();

/** Parses and checks a JSONPath; results (valid or not) are cached. Never throws. */
export function compileJsonPath(path: unknown): CompiledPath {
  if (typeof path !== 'string') return { ok: false, source: String(path), message: 'path must be a string' };
  const cached = cache.get(path);
  if (cached) return cached;
  const compiled = compileUncached(path);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(path, compiled);
  return compiled;
}

function compileUncached(source: string): CompiledPath {
  if (source.length > MAX_PATH_LENGTH) {
    return { ok: false, source, message: `path is longer than ${MAX_PATH_LENGTH} characters` };
  }
  let ast: unknown;
  try {
    ast = parseJsonPath(source);
  } catch (error) {
    const offset = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    const detail = (error as Error).message ?? 'syntax error';
    return offset === undefined
      ? { ok: false, source, message: `invalid JSONPath: ${detail}` }
      : { ok: false, source, message: `invalid JSONPath at position ${offset}: ${detail}`, position: offset };
  }
  const refused = findRefusedFunction(ast);
  if (refused) return { ok: false, source, message: refused };
  const steps = simpleSteps(ast);
  if (steps) return { ok: true, source, evaluate: (document) => evaluateSteps(steps, document) };
  return {
    ok: true,
    source,
    evaluate: (document) => {
      try {
        return query(document as JsonValue, source).filter((value) => value !== undefined);
      } catch {
        return [];
      }
    },
  };
}

/** Regex functions would run V8's backtracking engine on event data; the `matches` operator is linear. */
function findRefusedFunction(node: unknown): string | undefined {
  const pending: unknown[] = [node];
  while (pending.length > 0) {
    const current = pending.pop();
    if (Array.isArray(current)) {
      pending.push(...current);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const record = current as Record<string, unknown>;
    if (record.type === 'FunctionExpr' && typeof record.name === 'string') {
      if (record.name === 'match' || record.name === 'search') {
        return `the JSONPath function ${record.name}() is not allowed; use the "matches" operator instead`;
      }
      if (!ALLOWED_FUNCTIONS.has(record.name)) return `unknown JSONPath function ${record.name}()`;
    }
    pending.push(...Object.values(record));
  }
  return undefined;
}

/** The path as a list of single-name/single-index child steps, or undefined if it is anything richer. */
function simpleSteps(ast: unknown): Step[] | undefined {
  const segments = (ast as { segments?: unknown }).segments;
  if (!Array.isArray(segments)) return undefined;
  const steps: Step[] = [];
  for (const segment of segments as { type: string; node: { type: string; value?: unknown; selectors?: unknown[] } }[]) {
    if (segment.type !== 'ChildSegment') return undefined;
    let selector: { type: string; value?: unknown } = segment.node;
    if (selector.type === 'BracketedSelection') {
      if (segment.node.selectors?.length !== 1) return undefined;
      selector = segment.node.selectors[0] as { type: string; value?: unknown };
    }
    if ((selector.type === 'MemberNameShorthand' || selector.type === 'NameSelector') && typeof selector.value === 'string') {
      steps.push({ kind: 'name', name: selector.value });
    } else if (selector.type === 'IndexSelector' && typeof selector.value === 'number') {
      steps.push({ kind: 'index', index: selector.value });
    } else {
      return undefined;
    }
  }
  return steps;
}

function evaluateSteps(steps: readonly Step[], document: unknown): unknown[] {
  let current: unknown = document;
  for (const step of steps) {
    if (step.kind === 'name') {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return [];
      if (!Object.hasOwn(current, step.name)) return [];
      current = (current as Record<string, unknown>)[step.name];
    } else {
      if (!Array.isArray(current)) return [];
      const index = step.index < 0 ? current.length + step.index : step.index;
      if (index < 0 || index >= current.length) return [];
      current = current[index];
    }
  }
  return current === undefined ? [] : [current];
}
