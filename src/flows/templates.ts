/**
 * `{{ expr }}` templates in action params, bodies, URLs and headers. An expression is a path over the
 * run context (`event.tags[0].id`, `steps.getUser.body.email`, `headers["content-type"]`) followed by
 * fixed filters; nothing is ever evaluated as code and only own properties are read, so the
 * prototype chain is out of reach. `\{{` writes a literal `{{`.
 */

import { callTemplateFunction, functionCallProblem } from './template-functions/index.js';

export const TEMPLATE_LIMITS = {
  expressionLength: 500,
  templateLength: 100_000,
  /** Characters of rendered output (strings, plus JSON size of whole values) per renderValue call. */
  outputSize: 1_000_000,
  depth: 64,
} as const;

export const TEMPLATE_FILTERS = ['default', 'lower', 'upper', 'json', 'trim', 'urlencode'] as const;
export type TemplateFilterName = (typeof TEMPLATE_FILTERS)[number];
export type TemplateLiteral = string | number | boolean | null;
export type TemplateFilter =
  | { name: 'default'; argument: TemplateLiteral }
  | { name: Exclude<TemplateFilterName, 'default'> }
  /** A function from template-functions/, e.g. `| formatDate:"yyyy-MM-dd","Europe/Berlin"`. */
  | { name: 'call'; function: string; arguments: TemplateLiteral[] };

export interface TemplateExpression {
  /** The expression text between the braces, trimmed. */
  source: string;
  /** Offset of the opening `{{` in the template. */
  position: number;
  root: string;
  path: (string | number)[];
  filters: TemplateFilter[];
}

export type TemplatePart = string | TemplateExpression;

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** Set when the template is exactly one expression: it renders to the value's own type. */
  whole: TemplateExpression | undefined;
}

export type ParseTemplateResult = { ok: true; template: ParsedTemplate } | { ok: false; message: string; position: number };

export interface StepResult {
  status?: number | string;
  body?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}

export interface TemplateContext {
  event?: unknown;
  workspace?: { id: string; [key: string]: unknown };
  steps?: Record<string, StepResult>;
  trigger?: unknown;
  /** HTTP actions only: the values of the credentials they name. */
  credentials?: Record<string, string>;
}

export type RenderResult = { ok: true; value: unknown; missing: string[] } | { ok: false; message: string; missing: string[] };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FILTER_NAMES: ReadonlySet<string> = new Set(TEMPLATE_FILTERS);

class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Reads one `{{ … }}` expression starting right after the braces. */
class ExpressionReader {
  pos: number;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  private fail(message: string, at = this.pos): never {
    throw new TemplateSyntaxError(`${message} at position ${at}`, at);
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private identifier(what: string): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + TEMPLATE_LIMITS.expressionLength));
    if (!match) this.fail(`expected ${what}`);
    this.pos += match[0].length;
    return match[0];
  }

  private key(name: string, at: number): string {
    if (FORBIDDEN_KEYS.has(name)) this.fail(`"${name}" cannot be accessed`, at);
    return name;
  }

  private stringLiteral(): string {
    const quote = this.text[this.pos]!;
    const start = this.pos;
    this.pos++;
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === quote) {
        this.pos++;
        return value;
      }
      if (ch === '\\' && this.pos + 1 < this.text.length) {
        value += this.text[this.pos + 1];
        this.pos += 2;
      } else {
        value += ch;
        this.pos++;
      }
    }
    return this.fail('unterminated string', start);
  }

  private literal(): TemplateLiteral {
    const ch = this.text[this.pos];
    if (ch === '"' || ch === "'") return this.stringLiteral();
    const rest = this.text.slice(this.pos, this.pos + 40);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const word = /^(true|false|null)\b/.exec(rest);
    if (word) {
      this.pos += word[0].length;
      return word[1] === 'null' ? null : word[1] === 'true';
    }
    return this.fail('expected a quoted string, number, true, false or null');
  }

  /** `name` or `name:literal,literal…`, checked against the function's signature. */
  private functionCall(name: string, at: number): TemplateFilter {
    const args: TemplateLiteral[] = [];
    if (this.text[this.pos] === ':') {
      do {
        this.pos++;
        this.skipSpaces();
        args.push(this.literal());
        this.skipSpaces();
      } while (this.text[this.pos] === ',');
    }
    const problem = functionCallProblem(name, args);
    if (problem) this.fail(problem, at);
    return { name: 'call', function: name, arguments: args };
  }

  read(): Omit<TemplateExpression, 'source' | 'position'> {
    this.skipSpaces();
    const rootAt = this.pos;
    const root = this.key(this.identifier('a name such as event, steps, workspace or trigger'), rootAt);
    const path: (string | number)[] = [];
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === '.') {
        this.pos++;
        const at = this.pos;
        path.push(this.key(this.identifier('a property name after "."'), at));
      } else if (ch === '[') {
        this.pos++;
        this.skipSpaces();
        const at = this.pos;
        const quote = this.text[this.pos];
        if (quote === '"' || quote === "'") {
          path.push(this.key(this.stringLiteral(), at));
        } else {
          const digits = /^\d{1,9}/.exec(this.text.slice(this.pos, this.pos + 10));
          if (!digits) this.fail('expected an index or a quoted key inside [ ]');
          this.pos += digits[0].length;
          path.push(Number(digits[0]));
        }
        this.skipSpaces();
        if (this.text[this.pos] !== ']') this.fail('expected "]"');
        this.pos++;
      } else {
        break;
      }
    }
    const filters: TemplateFilter[] = [];
    this.skipSpaces();
    while (this.text[this.pos] === '|') {
      this.pos++;
      this.skipSpaces();
      const at = this.pos;
      const name = this.identifier('a filter name');
      this.skipSpaces();
      if (!FILTER_NAMES.has(name)) {
        filters.push(this.functionCall(name, at));
      } else if (name === 'default') {
        if (this.text[this.pos] !== ':') this.fail('the default filter needs a value, e.g. default:"none"');
        this.pos++;
        this.skipSpaces();
        filters.push({ name: 'default', argument: this.literal() });
      } else {
        if (this.text[this.pos] === ':') this.fail(`the ${name} filter takes no value`);
        filters.push({ name: name as Exclude<TemplateFilterName, 'default'> });
      }
      this.skipSpaces();
    }
    return { root, path, filters };
  }
}

const parseCache = new Map<string, ParseTemplateResult>();
const PARSE_CACHE_LIMIT = 500;

/** Splits a template into text and expressions, or reports the first syntax error. Never throws. */
export function parseTemplate(text: string): ParseTemplateResult {
  if (typeof text !== 'string') return { ok: false, message: 'template must be a string', position: 0 };
  const cached = parseCache.get(text);
  if (cached) return cached;
  const result = parseUncached(text);
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(text, result);
  return result;
}

function parseUncached(text: string): ParseTemplateResult {
  if (text.length > TEMPLATE_LIMITS.templateLength) {
    return { ok: false, message: `template is longer than ${TEMPLATE_LIMITS.templateLength} characters`, position: 0 };
  }
  const parts: TemplatePart[] = [];
  let literal = '';
  let pos = 0;
  try {
    while (pos < text.length) {
      if (text.startsWith('\\{{', pos)) {
        literal += '{{';
        pos += 3;
        continue;
      }
      if (!text.startsWith('{{', pos)) {
        literal += text[pos];
        pos++;
        continue;
      }
      const open = pos;
      const reader = new ExpressionReader(text, pos + 2);
      let expression: Omit<TemplateExpression, 'source' | 'position'>;
      try {
        expression = reader.read();
      } catch (error) {
        if (error instanceof TemplateSyntaxError && text.indexOf('}}', open) === -1) {
          throw new TemplateSyntaxError(`unclosed "{{" at position ${open}`, open);
        }
        throw error;
      }
      if (!text.startsWith('}}', reader.pos)) {
        if (text.indexOf('}}', open) === -1) throw new TemplateSyntaxError(`unclosed "{{" at position ${open}`, open);
        throw new TemplateSyntaxError(`unexpected "${text[reader.pos]}" at position ${reader.pos}`, reader.pos);
      }
      const source = text.slice(open + 2, reader.pos).trim();
      if (source.length > TEMPLATE_LIMITS.expressionLength) {
        throw new TemplateSyntaxError(`expression longer than ${TEMPLATE_LIMITS.expressionLength} characters at position ${open}`, open);
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push({ ...expression, source, position: open });
      pos = reader.pos + 2;
    }
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { ok: false, message: error.message, position: error.position };
    return { ok: false, message: 'invalid template', position: 0 };
  }
  if (literal !== '') parts.push(literal);
  const only = parts.length === 1 ? parts[0] : undefined;
  return { ok: true, template: { parts, whole: typeof only === 'object' ? only : undefined } };
}

/** Cheap test used before parsing: strings without `{{` are constants. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

function expressionName(expression: TemplateExpression): string {
  let name = expression.root;
  for (const key of expression.path) {
    name += typeof key === 'number' ? `[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return name;
}

function lookup(context: TemplateContext, expression: TemplateExpression): unknown {
  if (!Object.hasOwn(context, expression.root)) return undefined;
  let current: unknown = (context as Record<string, unknown>)[expression.root];
  for (const key of expression.path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(current) || key >= current.length) return undefined;
      current = current[key];
    } else {
      if (FORBIDDEN_KEYS.has(key) || !Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

function applyFilters(value: unknown, filters: readonly TemplateFilter[]): unknown {
  let current = value;
  for (const filter of filters) {
    switch (filter.name) {
      case 'default':
        if (current === undefined || current === null || current === '') current = filter.argument;
        break;
      case 'lower':
        current = toText(current).toLowerCase();
        break;
      case 'upper':
        current = toText(current).toUpperCase();
        break;
      case 'trim':
        current = toText(current).trim();
        break;
      case 'json':
        current = JSON.stringify(current) ?? 'null';
        break;
      case 'urlencode':
        current = encodeURIComponent(toText(current));
        break;
      case 'call': {
        const result = callTemplateFunction(filter.function, current, filter.arguments);
        if (!result.ok) throw new RenderError(result.message);
        current = result.value;
        break;
      }
    }
  }
  return current;
}

class OutputTooLarge extends Error {}

/** Approximate JSON size of `value`, stopping as soon as `budget` is exceeded. */
function sizeWithin(value: unknown, budget: number): number {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string') size += current.length + 2;
    else if (current !== null && typeof current === 'object') {
      const entries = Array.isArray(current) ? current : Object.entries(current);
      size += 2 + entries.length;
      pending.push(...entries);
    } else size += 8;
    if (size > budget) throw new OutputTooLarge();
  }
  return size;
}

class Renderer {
  readonly missing = new Set<string>();
  private used = 0;

  constructor(private readonly context: TemplateContext) {}

  private spend(amount: number): void {
    this.used += amount;
    if (this.used > TEMPLATE_LIMITS.outputSize) throw new OutputTooLarge();
  }

  private evaluate(expression: TemplateExpression): unknown {
    const raw = lookup(this.context, expression);
    const value = applyFilters(raw, expression.filters);
    if (raw === undefined && !expression.filters.some((filter) => filter.name === 'default')) {
      this.missing.add(expressionName(expression));
    }
    return value;
  }

  renderString(text: string): unknown {
    if (!hasTemplate(text)) {
      this.spend(text.length);
      return text;
    }
    const parsed = parseTemplate(text);
    if (!parsed.ok) throw new RenderError(parsed.message);
    const { parts, whole } = parsed.template;
    if (whole) {
      const value = this.evaluate(whole);
      this.spend(typeof value === 'string' ? value.length : sizeWithin(value, TEMPLATE_LIMITS.outputSize - this.used));
      return value;
    }
    let out = '';
    for (const part of parts) {
      const piece = typeof part === 'string' ? part : toText(this.evaluate(part));
      this.spend(piece.length);
      out += piece;
    }
    return out;
  }

  render(value: unknown, depth: number): unknown {
    if (depth > TEMPLATE_LIMITS.depth) throw new RenderError(`value is nested deeper than ${TEMPLATE_LIMITS.depth} levels`);
    if (typeof value === 'string') return this.renderString(value);
    if (Array.isArray(value)) return value.map((item) => this.render(item, depth + 1));
    if (value !== null && typeof value === 'object' && isPlainObject(value)) {
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.render(item, depth + 1)]));
    }
    return value;
  }
}

class RenderError extends Error {}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Renders every template string inside `value` (objects and arrays are walked). A string that is
 * exactly one expression keeps the referenced value's type; other strings interpolate as text, with
 * objects written as JSON and missing values as ''. Never throws.
 */
export function renderValue(value: unknown, context: TemplateContext): RenderResult {
  const renderer = new Renderer(context ?? {});
  try {
    const rendered = renderer.render(value, 0);
    return { ok: true, value: rendered, missing: [...renderer.missing] };
  } catch (error) {
    const message =
      error instanceof OutputTooLarge
        ? `rendered value is larger than ${TEMPLATE_LIMITS.outputSize} characters`
        : error instanceof RenderError
          ? error.message
          : 'template could not be rendered';
    return { ok: false, message, missing: [...renderer.missing] };
  }
}

export interface TemplateReference {
  /** e.g. `steps.getUser.body.email` */
  expression: string;
  root: string;
  /** The action id for `steps.<id>…` references. */
  step?: string;
}

/** Appends a key to a field path the way problems name fields: `a.b`, `a[0]`, `a["x-y"]`. */
export function joinField(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Every string in `value` that contains `{{`, with its field path under `base`. */
export function templateStrings(value: unknown, base: string): { field: string; text: string }[] {
  const found: { field: string; text: string }[] = [];
  const visit = (current: unknown, field: string, depth: number): void => {
    if (depth > TEMPLATE_LIMITS.depth) return;
    if (typeof current === 'string') {
      if (hasTemplate(current)) found.push({ field, text: current });
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => visit(item, joinField(field, index), depth + 1));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) visit(item, joinField(field, key), depth + 1);
    }
  };
  visit(value, base, 0);
  return found;
}

/** The context references made by all (syntactically valid) templates inside `value`. */
export function templateReferences(value: unknown): TemplateReference[] {
  const references: TemplateReference[] = [];
  for (const { text } of templateStrings(value, '')) {
    const parsed = parseTemplate(text);
    if (!parsed.ok) continue;
    for (const part of parsed.template.parts) {
      if (typeof part === 'string') continue;
      const step = part.root === 'steps' && typeof part.path[0] === 'string' ? part.path[0] : undefined;
      references.push({ expression: expressionName(part), root: part.root, ...(step === undefined ? {} : { step }) });
    }
  }
  return references;
}
