/**
 * Completion inside `{{ … }}` templates: what is being typed at the caret (a field path, or a
 * function after `|`) and the suggestions that fit. Pure, so it is tested without a browser.
 */

export interface CompletionSpot {
  /** Where the typed word starts and ends; a pick replaces this range. */
  start: number;
  end: number;
  typed: string;
  kind: 'path' | 'function';
}

/** The word being typed at the caret when the caret is inside an open `{{`, else undefined. */
export function completionSpot(text: string, caret: number): CompletionSpot | undefined {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.lastIndexOf('}}') > open) return undefined;
  const inside = before.slice(open + 2);
  const word = /[A-Za-z0-9_.[\]$]*$/.exec(inside)?.[0] ?? '';
  const start = caret - word.length;
  const rest = /^[A-Za-z0-9_.[\]]*/.exec(text.slice(caret))?.[0] ?? '';
  const head = inside.slice(0, inside.length - word.length).trimEnd();
  // After `|` (or a function's `:` argument list) comes a function name; otherwise a path.
  if (head.endsWith('|')) return { start, end: caret + rest.length, typed: word, kind: 'function' };
  if (head !== '' && !head.endsWith('(')) return undefined;
  return { start, end: caret + rest.length, typed: word, kind: 'path' };
}

/** In a field holding one JSONPath (`$.event.tags`): the path after `$.` is the word. */
export function jsonPathSpot(text: string): CompletionSpot | undefined {
  if (!text.startsWith('$.')) return undefined;
  return { start: 2, end: text.length, typed: text.slice(2), kind: 'path' };
}

/** Field paths of a sample value, as `root.a.b` and `root.list[0].c`, a few levels deep. */
export function samplePaths(value: unknown, root: string, depth = 3): string[] {
  const out: string[] = [];
  const walk = (current: unknown, path: string, level: number) => {
    if (level > depth || current === null || typeof current !== 'object') return;
    if (Array.isArray(current)) {
      if (current.length > 0) {
        out.push(`${path}[0]`);
        walk(current[0], `${path}[0]`, level + 1);
      }
      return;
    }
    for (const key of Object.keys(current).slice(0, 80)) {
      const next = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      out.push(next);
      walk((current as Record<string, unknown>)[key], next, level + 1);
    }
  };
  walk(value, root, 1);
  return out;
}

export interface CompletionSource {
  /** Paths such as `event.projectId`, `steps.find1.id`, `item.name`, `loop.index`. */
  paths: readonly string[];
  functions: readonly { name: string; signature?: string; description?: string }[];
}

export interface Suggestion {
  insert: string;
  detail?: string;
}

/** Up to `limit` suggestions for the spot: paths starting with what was typed, or functions. */
export function suggestionsFor(spot: CompletionSpot, source: CompletionSource, limit = 8): Suggestion[] {
  const typed = spot.typed.toLowerCase();
  if (spot.kind === 'function') {
    return source.functions
      .filter((fn) => fn.name.toLowerCase().startsWith(typed))
      .slice(0, limit)
      .map((fn) => ({ insert: fn.name, detail: fn.signature ?? fn.description }));
  }
  const matches = source.paths.filter((path) => path.toLowerCase().startsWith(typed) && path.toLowerCase() !== typed);
  // Prefer the next level (event.a before event.a.b.c): fewer dots after what was typed first.
  const depth = (path: string) => (path.slice(typed.length).match(/[.[]/g) ?? []).length;
  return [...matches]
    .sort((a, b) => depth(a) - depth(b))
    .slice(0, limit)
    .map((insert) => ({ insert }));
}

/** The text with the spot replaced by the pick, and the caret after it. */
export function applySuggestion(text: string, spot: CompletionSpot, insert: string): { value: string; caret: number } {
  const value = text.slice(0, spot.start) + insert + text.slice(spot.end);
  return { value, caret: spot.start + insert.length };
}
