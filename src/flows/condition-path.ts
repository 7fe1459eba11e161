/**
 * RFC 9535 JSONPath for flow conditions: syntax check once, cached by source text, and evaluation
 * that never throws except to say a budget ran out. Plain member/index paths (`$.project.id`,
 * `$.tags[0]`) — nearly every path a flow uses — are compiled to direct own-property lookups;
 * everything else is run by `jsonpath-rfc9535` over a view of the event that counts each property
 * read against the evaluation's budget, so `$..*..*..*` over a deep event stops after a bounded
 * number of steps instead of running for minutes and exhausting the heap.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { query, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { BudgetExceededError, EvaluationBudget } from './evaluation-budget.js';

export const MAX_PATH_LENGTH = 500;
const CACHE_LIMIT = 1_000;

export type CompiledPath =
  | {
      ok: true;
      source: string;
      /** The selected values; throws BudgetExceededError (only) when `budget` runs out. */
      evaluate(document: unknown, budget?: EvaluationBudget): unknown[];
    }
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
  if (steps) {
    return {
      ok: true,
      source,
      evaluate: (document, budget) => {
        budget?.visitNodes(steps.length);
        return evaluateSteps(steps, document);
      },
    };
  }
  return {
    ok: true,
    source,
    evaluate: (document, budget = new EvaluationBudget()) => {
      const selected = countingPushes ? queryCountingPushes(document, source, budget) : queryThroughView(document, source, budget);
      budget.selected(selected.length);
      return selected.filter((value) => value !== undefined);
    },
  };
}

/**
 * The library keeps its work list in one `Stack` class (every node a segment reaches, every
 * descendant, every node a filter's sub-query reaches is pushed on one): charging the budget in
 * `push` measures exactly the nodes visited, at no cost to the document. The class is internal, so
 * it is looked up defensively; without it the proxy view below does the counting, about 8 times
 * slower.
 */
/** Whether the library's work list is charged (else the proxy view is): exported for the tests. */
export const countingPushes = await instrumentLibraryStack();
let activeBudget: EvaluationBudget | undefined;

async function instrumentLibraryStack(): Promise<boolean> {
  try {
    const packageJson = createRequire(import.meta.url).resolve('jsonpath-rfc9535/package.json');
    const stackModule = (await import(pathToFileURL(join(dirname(packageJson), 'dist/esm/utils/stack.js')).href)) as {
      Stack?: { prototype: { push?: (item: unknown) => void } };
    };
    const prototype = stackModule.Stack?.prototype;
    const push = prototype?.push;
    if (!prototype || typeof push !== 'function') return false;
    prototype.push = function countedPush(this: unknown, item: unknown) {
      activeBudget?.visitNodes(1);
      push.call(this, item);
    };
    return true;
  } catch {
    return false;
  }
}

function queryCountingPushes(document: unknown, source: string, budget: EvaluationBudget): unknown[] {
  const outer = activeBudget;
  activeBudget = budget;
  try {
    return query(document as JsonValue, source);
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    return [];
  } finally {
    activeBudget = outer;
  }
}

/** The slower, library-independent counting: used when the work list cannot be instrumented; exported for its test. */
export function queryThroughView(document: unknown, source: string, budget: EvaluationBudget): unknown[] {
  const view = countingView(document, budget);
  try {
    return query(view.root as JsonValue, source).map(view.unwrap);
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    return [];
  }
}

/**
 * The event seen through proxies that charge the budget for every property read and every key
 * listing. Built lazily (a node gets its proxy when first reached); the selected values are
 * handed back as the event's own objects.
 */
function countingView(document: unknown, budget: EvaluationBudget): { root: unknown; unwrap: (value: unknown) => unknown } {
  const proxies = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      // A proxy may not hand out a substitute for a frozen property: such a node is read as it is.
      if (!Object.isExtensible(value)) return value;
      proxy = new Proxy(value, handler);
      proxies.set(value, proxy);
      targets.set(proxy, value);
    }
    return proxy;
  };
  const handler: ProxyHandler<object> = {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof key === 'symbol' || key === 'length') return value;
      budget.visitNodes(1);
      return wrap(value);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      budget.visitNodes(keys.length);
      return keys;
    },
  };
  return {
    root: wrap(document),
    unwrap: (value) => (value !== null && typeof value === 'object' ? (targets.get(value) ?? value) : value),
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
