/**
 * The Python system's flow definitions, translated to ours (docs/migrating-from-python.md, "Flows").
 *
 *   {name, enabled, trigger_event_types: [...], trigger_source?,
 *    conditions: {type: "ALL"|"ANY", rules: [{field: "$.path", operator: "=="|"!="|"contains"|"exists", value}]},
 *    actions: [{operation_id, path_params, query_params, body}                        (API Studio)
 *              | {type: "CLOCKIFY_API"|"GENERIC_HTTP", operation_id, params: {path, query, body}}]}  (Universal Webhook)
 *
 * Action values: a string starting with `$.` is a JSONPath into `{webhook: <payload>,
 * action_<i>_result: <earlier answer>}`; it becomes our template `{{ event.… }}` / `{{ steps.action_<i>.body.… }}`.
 * Anything without an exact counterpart is refused with the field and the reason, never guessed.
 * Pure: the caller resolves a custom `trigger_source` name to its id.
 */

export interface ImportProblem {
  field: string;
  message: string;
}

export type ImportResult<T> = { ok: true; value: T } | { ok: false; problems: ImportProblem[] };

/** Fields of a Python flow definition; a body with any of these (and no `definition`) is one. */
export const PYTHON_FLOW_FIELDS = [
  'name',
  'description',
  'enabled',
  'trigger_event_types',
  'trigger_source',
  'conditions',
  'actions',
] as const;

const OPERATORS: Record<string, string> = { '==': 'equals', '!=': 'not_equals', contains: 'contains', exists: 'exists' };

export function looksLikePythonFlow(body: unknown): boolean {
  return (
    isObject(body) &&
    !('definition' in body) &&
    ('trigger_event_types' in body || 'actions' in body || 'conditions' in body || 'trigger_source' in body)
  );
}

export interface ImportOptions {
  /** The id of the workspace's custom source with this name (the `{source}` of /webhooks/custom/{source}), if any. */
  customSourceId?: (name: string) => string | undefined;
}

/**
 * A whole definition (POST) or, with `partial`, only the fields given (PUT: the Python system
 * updated fields partially). The result is in our shape, still to be validated like any other.
 */
export function translatePythonFlow(raw: unknown, options: ImportOptions = {}, partial = false): ImportResult<Record<string, unknown>> {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '', message: 'must be a JSON object' }] };
  const problems: ImportProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!(PYTHON_FLOW_FIELDS as readonly string[]).includes(key))
      problems.push({ field: key, message: `is not a field of a flow definition (expected ${PYTHON_FLOW_FIELDS.join(', ')})` });
  }
  const out: Record<string, unknown> = {};
  if ('name' in raw) out.name = raw.name;
  // Its exports carry `description: null` for none; ours simply leaves it out.
  if ('description' in raw && raw.description !== null) out.description = raw.description;
  if ('enabled' in raw) out.enabled = raw.enabled;
  else if (!partial) out.enabled = true;

  if ('trigger_event_types' in raw || 'trigger_source' in raw) {
    const trigger = translateTrigger(raw.trigger_event_types, raw.trigger_source, options, problems);
    if (trigger) out.trigger = trigger;
  } else if (!partial) problems.push({ field: 'trigger_event_types', message: 'is required: the events that start the flow' });

  if ('conditions' in raw) {
    const conditions = translateConditions(raw.conditions, problems);
    if (conditions) out.conditions = conditions;
  } else if (!partial) out.conditions = { mode: 'all', rules: [] };

  if ('actions' in raw) {
    const actions = translateActions(raw.actions, problems);
    if (actions) out.actions = actions;
  } else if (!partial) problems.push({ field: 'actions', message: 'is required' });

  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}

function translateTrigger(
  events: unknown,
  source: unknown,
  options: ImportOptions,
  problems: ImportProblem[],
): Record<string, unknown> | undefined {
  if (events !== undefined && (!Array.isArray(events) || !events.every((event) => typeof event === 'string'))) {
    problems.push({ field: 'trigger_event_types', message: 'must be a list of event type names' });
    return undefined;
  }
  const types = (events as string[] | undefined) ?? [];
  if (source === undefined || source === null || source === 'clockify' || source === 'CLOCKIFY') return { kind: 'clockify', events: types };
  if (typeof source !== 'string' || source.length === 0) {
    problems.push({ field: 'trigger_source', message: 'must be "clockify" or the name of a custom source' });
    return undefined;
  }
  const name = source.replace(/^custom[:/]/i, '');
  const sourceId = options.customSourceId?.(name);
  if (!sourceId) {
    problems.push({
      field: 'trigger_source',
      message: `no custom source named "${name}" in this workspace: create it (Webhooks, Custom sources) and import the flow again`,
    });
    return undefined;
  }
  return { kind: 'custom', sourceId, ...(types.length > 0 ? { eventTypes: types } : {}) };
}

function translateConditions(raw: unknown, problems: ImportProblem[]): Record<string, unknown> | undefined {
  if (raw === null || raw === undefined) return { mode: 'all', rules: [] };
  if (!isObject(raw)) {
    problems.push({ field: 'conditions', message: 'must be an object {type, rules}' });
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (key !== 'type' && key !== 'rules')
      problems.push({ field: `conditions.${key}`, message: 'is not a field of conditions (expected type, rules)' });
  const type = raw.type === undefined ? 'ALL' : String(raw.type).toUpperCase();
  if (type !== 'ALL' && type !== 'ANY') {
    problems.push({ field: 'conditions.type', message: 'must be ALL or ANY' });
    return undefined;
  }
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) {
    problems.push({ field: 'conditions.rules', message: 'must be a list' });
    return undefined;
  }
  const translated = rules.map((rule, index) => translateRule(rule, `conditions.rules[${index}]`, problems));
  // Its ANY without rules never matched; ours holds for an empty group, so say "never" explicitly:
  // `$` always selects the event itself, so `not_exists` on it never holds.
  if (type === 'ANY' && rules.length === 0) return { mode: 'any', rules: [{ path: '$', op: 'not_exists' }] };
  return { mode: type === 'ALL' ? 'all' : 'any', rules: translated };
}

function translateRule(rule: unknown, field: string, problems: ImportProblem[]): Record<string, unknown> {
  if (!isObject(rule)) {
    problems.push({ field, message: 'must be an object {field, operator, value}' });
    return {};
  }
  for (const key of Object.keys(rule))
    if (!['field', 'operator', 'value'].includes(key))
      problems.push({ field: `${field}.${key}`, message: 'is not a field of a rule (expected field, operator, value)' });
  const op = OPERATORS[String(rule.operator)];
  if (!op)
    problems.push({
      field: `${field}.operator`,
      message: `"${String(rule.operator)}" has no counterpart (expected ${Object.keys(OPERATORS).join(', ')})`,
    });
  if (typeof rule.field !== 'string' || !rule.field.startsWith('$')) {
    problems.push({ field: `${field}.field`, message: 'must be a JSONPath starting with $' });
    return {};
  }
  // Its rules looked at the payload; a path written against its context (`$.webhook.x`) means the same.
  const path = rule.field.replace(/^\$\.webhook(?=$|[.[])/, '$');
  return { path, op, ...(op === 'exists' || rule.value === undefined ? {} : { value: rule.value }) };
}

function translateActions(raw: unknown, problems: ImportProblem[]): Record<string, unknown>[] | undefined {
  if (!Array.isArray(raw)) {
    problems.push({ field: 'actions', message: 'must be a list' });
    return undefined;
  }
  return raw.map((action, index) => translateAction(action, index, problems));
}

const STUDIO_ACTION = ['operation_id', 'path_params', 'query_params', 'body', 'type'];
const UW_CLOCKIFY_ACTION = ['type', 'operation_id', 'params'];
const UW_HTTP_ACTION = ['type', 'method', 'url', 'headers', 'body'];

function translateAction(raw: unknown, index: number, problems: ImportProblem[]): Record<string, unknown> {
  const field = `actions[${index}]`;
  const id = `action_${index}`;
  if (!isObject(raw)) {
    problems.push({ field, message: 'must be an object' });
    return {};
  }
  const type = raw.type === undefined ? 'CLOCKIFY_API' : String(raw.type);
  const local: ImportProblem[] = [];
  const value = (input: unknown, at: string) => translateValue(input, `${field}.${at}`, local);
  let action: Record<string, unknown>;
  if (type === 'GENERIC_HTTP') {
    unknownKeys(raw, UW_HTTP_ACTION, field, local);
    action = { id, kind: 'http', method: String(raw.method ?? 'POST').toUpperCase(), url: value(raw.url, 'url') };
    if (raw.headers !== undefined) action.headers = value(raw.headers, 'headers');
    if (raw.body !== undefined) action.body = value(raw.body, 'body');
  } else if (type === 'CLOCKIFY_API') {
    let path: unknown;
    let query: unknown;
    let body: unknown;
    if ('params' in raw) {
      unknownKeys(raw, UW_CLOCKIFY_ACTION, field, local);
      const params = isObject(raw.params) ? raw.params : {};
      if (!isObject(raw.params)) local.push({ field: `${field}.params`, message: 'must be an object {path, query, body}' });
      unknownKeys(params, ['path', 'query', 'body'], `${field}.params`, local);
      ({ path, query, body } = params);
    } else {
      unknownKeys(raw, STUDIO_ACTION, field, local);
      ({ path_params: path, query_params: query, body } = raw);
    }
    if (typeof raw.operation_id !== 'string' || raw.operation_id.length === 0)
      local.push({ field: `${field}.operation_id`, message: 'is required' });
    const params: Record<string, unknown> = {};
    for (const [part, values] of [
      ['path', path],
      ['query', query],
    ] as const) {
      if (values === undefined || values === null) continue;
      if (!isObject(values)) {
        local.push({ field: `${field}.${part}_params`, message: 'must be an object' });
        continue;
      }
      for (const [name, given] of Object.entries(values)) {
        // Ours fills the installation's workspace in; a flow may not name another one.
        if (name === 'workspaceId') continue;
        params[name] = value(given, `${part}_params.${name}`);
      }
    }
    action = { id, kind: 'clockify', operationId: raw.operation_id };
    if (Object.keys(params).length > 0) action.params = params;
    if (body !== undefined && body !== null) action.body = value(body, 'body');
  } else {
    local.push({ field: `${field}.type`, message: `"${type}" has no counterpart (expected CLOCKIFY_API or GENERIC_HTTP)` });
    action = {};
  }
  problems.push(...local);
  return action;
}

/** Constants stay, `$.` strings become templates, `{{` in a constant is escaped so it stays literal. */
function translateValue(input: unknown, field: string, problems: ImportProblem[]): unknown {
  if (typeof input === 'string') {
    if (input.startsWith('$.') || input === '$') {
      const template = jsonPathToTemplate(input);
      if (template === undefined)
        problems.push({
          field,
          message: `the JSONPath ${input} has no template counterpart: only $.webhook… and $.action_<i>_result… with names and [index] steps translate`,
        });
      return template ?? input;
    }
    return input.replaceAll('{{', '\\{{');
  }
  if (Array.isArray(input)) return input.map((item, index) => translateValue(item, `${field}[${index}]`, problems));
  if (isObject(input))
    return Object.fromEntries(Object.entries(input).map(([key, item]) => [key, translateValue(item, `${field}.${key}`, problems)]));
  return input;
}

/** `$.webhook.a.b[0]` -> `{{ event.a.b[0] }}`; `$.action_1_result.id` -> `{{ steps.action_1.body.id }}`. */
export function jsonPathToTemplate(path: string): string | undefined {
  const match = /^\$\.(webhook|action_(\d+)_result)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["[^"\]]*"\]|\['[^'\]]*'\])*)$/.exec(path);
  if (!match) return undefined;
  const root = match[1] === 'webhook' ? 'event' : `steps.action_${match[2]}.body`;
  const rest = (match[3] ?? '').replace(/\['([^']*)'\]/g, '["$1"]');
  return `{{ ${root}${rest} }}`;
}

function unknownKeys(value: Record<string, unknown>, allowed: string[], field: string, problems: ImportProblem[]): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push({ field: `${field}.${key}`, message: `has no counterpart (expected ${allowed.join(', ')})` });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
