/**
 * Validation of a flow definition before it is stored. Every problem names the field it is about
 * (`actions[1].params.projectId`, `conditions.rules[0].path`) so a UI can put the message next to it.
 * The parts of the flow are checked one by one (trigger, each rule, each action by its kind) rather
 * than against the whole union schema, because union errors would otherwise say only "no variant
 * matched".
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Errors, ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { checkUrlSyntax } from '../net/ssrf.js';
import { compileJsonPath } from './condition-path.js';
import { compileSafeRegex } from './condition-regex.js';
import { compareValues, regexOperand } from './conditions.js';
import {
  ACTION_ID_PATTERN,
  ClockifyActionSchema,
  ClockifyTriggerSchema,
  ConditionSchema,
  CustomTriggerSchema,
  CronScheduleSchema,
  DailyScheduleSchema,
  HoursScheduleSchema,
  MinutesScheduleSchema,
  ScheduleTriggerSchema,
  FLOW_LIMITS,
  HttpActionSchema,
  IMPLICIT_PARAMS,
  TEMPLATE_ROOTS,
  type CatalogLike,
  type FlowDefinition,
} from './model.js';
import { joinField, parseTemplate, templateStrings } from './templates.js';
import { HOUR_INTERVALS, MINUTE_INTERVALS, isTimeZone } from './schedule.js';
import { parseCron, shortestGapMinutes, tooFrequent } from './cron.js';

export interface FlowProblem {
  field: string;
  message: string;
}

export interface FlowValidationContext {
  /** Clockify events this edition/installation can receive. */
  allowedEvents: readonly string[];
  httpActionsEnabled: boolean;
  /** Custom (Universal Webhook) sources; when absent, custom triggers are not available. */
  customSourceIds?: readonly string[];
  catalog: CatalogLike;
  /** Credentials of the workspace; when given, HTTP actions may only name these. */
  credentialNames?: ReadonlySet<string>;
}

export type FlowValidationResult = { ok: true; flow: FlowDefinition } | { ok: false; problems: FlowProblem[] };

const MAX_PROBLEMS = 100;

const FlowShellSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.nameLength }),
    description: Type.Optional(Type.String({ maxLength: FLOW_LIMITS.descriptionLength })),
    enabled: Type.Boolean(),
    trigger: Type.Unknown(),
    conditions: Type.Unknown(),
    actions: Type.Array(Type.Unknown(), { minItems: 1, maxItems: FLOW_LIMITS.actions }),
  },
  { additionalProperties: false },
);

const GroupShellSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    rules: Type.Array(Type.Unknown(), { maxItems: FLOW_LIMITS.rulesPerGroup }),
  },
  { additionalProperties: false },
);

const OPERATORS_WITH_VALUE = new Set(['equals', 'not_equals', 'contains', 'in', 'gt', 'gte', 'lt', 'lte', 'matches']);
const ORDERING_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);

/** Turns a TypeBox JSON pointer (`/actions/1/id`) into a field path under `base`. */
function fieldFromPointer(base: string, pointer: string): string {
  let field = base;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field = joinField(field, /^\d+$/.test(key) ? Number(key) : key);
  }
  return field;
}

/** Plain-language message for a schema error, from the failing keyword. */
function describeError(error: ValueError): string {
  const schema = error.schema as Record<string, unknown>;
  const options = schema.anyOf as { const?: unknown }[] | undefined;
  if (options && options.every((option) => option.const !== undefined)) {
    return `must be one of: ${options.map((option) => String(option.const)).join(', ')}`;
  }
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a known property';
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(schema.const)}`;
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? 'must not be empty' : `must be at least ${String(schema.minLength)} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters`;
    case ValueErrorType.StringPattern:
      return schema.pattern === ACTION_ID_PATTERN
        ? 'must start with a letter and use only letters, digits and _ (at most 40 characters)'
        : `must match ${String(schema.pattern)}`;
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${String(schema.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${String(schema.maximum)}`;
    case ValueErrorType.Array:
      return 'must be a list';
    case ValueErrorType.ArrayMinItems:
      return `needs at least ${String(schema.minItems)} item${schema.minItems === 1 ? '' : 's'}`;
    case ValueErrorType.ArrayMaxItems:
      return `may have at most ${String(schema.maxItems)} items`;
    case ValueErrorType.Object:
      return 'must be an object';
    case ValueErrorType.ObjectMaxProperties:
      return `may have at most ${String(schema.maxProperties)} entries`;
    default:
      return error.message.replace(/^Expected /, 'must be ');
  }
}

class ProblemList {
  readonly items: FlowProblem[] = [];

  add(field: string, message: string): void {
    if (this.items.length < MAX_PROBLEMS) this.items.push({ field, message });
  }

  /** Adds the schema errors of `value` (first per field); true when there were none. */
  schema(schema: TSchema, value: unknown, base: string): boolean {
    const seen = new Set<string>();
    for (const error of Errors(schema, value)) {
      const field = fieldFromPointer(base, error.path);
      if (seen.has(field)) continue;
      seen.add(field);
      this.add(field, describeError(error));
    }
    return seen.size === 0;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks `input` against the flow schema and every rule the schema cannot express. Never throws. */
export function validateFlowDefinition(input: unknown, ctx: FlowValidationContext): FlowValidationResult {
  const problems = new ProblemList();
  if (!isObject(input)) return { ok: false, problems: [{ field: '', message: 'a flow definition must be a JSON object' }] };
  problems.schema(FlowShellSchema, input, '');
  if ('trigger' in input) checkTrigger(input.trigger, ctx, problems);
  if ('conditions' in input) {
    const total = countConditions(input.conditions, 1);
    // Checked first: each condition compiles a path and maybe a pattern, so thousands of them cost a lot before any answer.
    if (total > FLOW_LIMITS.conditions) problems.add('conditions', `has ${total} conditions; a flow may have at most ${FLOW_LIMITS.conditions} (limit conditions)`);
    else checkGroup(input.conditions, 'conditions', 1, problems);
  }
  if (Array.isArray(input.actions)) checkActions(input.actions, ctx, problems);
  if (problems.items.length > 0) return { ok: false, problems: problems.items };
  return { ok: true, flow: structuredClone(input) as FlowDefinition };
}

function checkTrigger(trigger: unknown, ctx: FlowValidationContext, problems: ProblemList): void {
  if (!isObject(trigger) || (trigger.kind !== 'clockify' && trigger.kind !== 'custom' && trigger.kind !== 'schedule')) {
    problems.add(isObject(trigger) ? 'trigger.kind' : 'trigger', 'must be a trigger of kind "clockify", "custom" or "schedule"');
    return;
  }
  if (trigger.kind === 'schedule') {
    checkScheduleTrigger(trigger, problems);
    return;
  }
  if (trigger.kind === 'clockify') {
    if (!problems.schema(ClockifyTriggerSchema, trigger, 'trigger')) return;
    const events = trigger.events as string[];
    const allowed = new Set(ctx.allowedEvents);
    events.forEach((event, index) => {
      if (!allowed.has(event)) problems.add(`trigger.events[${index}]`, `"${event}" is not an event this add-on receives`);
      else if (events.indexOf(event) !== index) problems.add(`trigger.events[${index}]`, `"${event}" is listed twice`);
    });
    return;
  }
  if (!problems.schema(CustomTriggerSchema, trigger, 'trigger')) return;
  if (!ctx.customSourceIds) problems.add('trigger.kind', 'custom triggers are not available in this add-on');
  else if (!ctx.customSourceIds.includes(trigger.sourceId as string)) {
    problems.add('trigger.sourceId', `unknown source "${String(trigger.sourceId)}"`);
  }
}

/** A schedule trigger, checked variant by variant so each problem names its own field. */
function checkScheduleTrigger(trigger: Record<string, unknown>, problems: ProblemList): void {
  const { schedule, ...rest } = trigger;
  problems.schema(ScheduleTriggerSchema, { ...rest, schedule: { at: '00:00' } }, 'trigger');
  if (typeof trigger.timeZone === 'string' && !isTimeZone(trigger.timeZone)) problems.add('trigger.timeZone', `"${trigger.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  if (!isObject(schedule)) {
    problems.add('trigger.schedule', 'is required: {"every": "minutes", "interval": 15}, {"at": "17:00", "days": ["mon"]} or {"cron": "0 17 * * 1-5"}');
    return;
  }
  if ('cron' in schedule) {
    if (!problems.schema(CronScheduleSchema, schedule, 'trigger.schedule')) return;
    const parsed = parseCron(schedule.cron);
    if (!parsed.ok) problems.add('trigger.schedule.cron', parsed.message);
    else if (tooFrequent(parsed.cron, FLOW_LIMITS.scheduleMinIntervalMinutes)) {
      problems.add('trigger.schedule.cron', `runs too often: at least ${FLOW_LIMITS.scheduleMinIntervalMinutes} minutes between runs (limit schedule frequency; the shortest gap here is ${shortestGapMinutes(parsed.cron)})`);
    }
    return;
  }
  if (schedule.every === 'minutes' && typeof schedule.interval === 'number' && !(MINUTE_INTERVALS as readonly number[]).includes(schedule.interval)) {
    const tooOften = schedule.interval < FLOW_LIMITS.scheduleMinIntervalMinutes;
    problems.add('trigger.schedule.interval', tooOften ? `runs too often: at least ${FLOW_LIMITS.scheduleMinIntervalMinutes} minutes between runs (limit schedule frequency)` : `must divide the hour: one of ${MINUTE_INTERVALS.join(', ')}`);
  } else if (schedule.every === 'hours' && typeof schedule.interval === 'number' && !(HOUR_INTERVALS as readonly number[]).includes(schedule.interval)) {
    problems.add('trigger.schedule.interval', `must divide the day: one of ${HOUR_INTERVALS.join(', ')}`);
  } else if (schedule.every === 'minutes') problems.schema(MinutesScheduleSchema, schedule, 'trigger.schedule');
  else if (schedule.every === 'hours') problems.schema(HoursScheduleSchema, schedule, 'trigger.schedule');
  else if ('every' in schedule) problems.add('trigger.schedule.every', 'must be one of: minutes, hours');
  else if (problems.schema(DailyScheduleSchema, schedule, 'trigger.schedule') && Array.isArray(schedule.days) && new Set(schedule.days).size !== schedule.days.length) {
    problems.add('trigger.schedule.days', 'lists a day twice');
  }
}

/** Conditions (not groups) in the tree, counting no deeper than groups may nest. */
function countConditions(group: unknown, depth: number): number {
  if (!isObject(group) || !Array.isArray(group.rules) || depth > FLOW_LIMITS.conditionDepth) return 0;
  let total = 0;
  for (const rule of group.rules) total += isObject(rule) && ('rules' in rule || 'mode' in rule) ? countConditions(rule, depth + 1) : 1;
  return total;
}

function checkGroup(group: unknown, field: string, depth: number, problems: ProblemList): void {
  if (depth > FLOW_LIMITS.conditionDepth) {
    problems.add(field, `condition groups may be nested at most ${FLOW_LIMITS.conditionDepth} levels deep`);
    return;
  }
  problems.schema(GroupShellSchema, group, field);
  const rules = isObject(group) && Array.isArray(group.rules) ? group.rules.slice(0, FLOW_LIMITS.rulesPerGroup) : [];
  rules.forEach((rule, index) => {
    const ruleField = `${field}.rules[${index}]`;
    if (isObject(rule) && ('rules' in rule || 'mode' in rule)) checkGroup(rule, ruleField, depth + 1, problems);
    else checkCondition(rule, ruleField, problems);
  });
}

function checkCondition(rule: unknown, field: string, problems: ProblemList): void {
  if (!problems.schema(ConditionSchema, rule, field)) return;
  const { path, op, value } = rule as { path: string; op: string; value?: unknown };
  const compiled = compileJsonPath(path);
  if (!compiled.ok) problems.add(`${field}.path`, compiled.message);
  if (OPERATORS_WITH_VALUE.has(op) && value === undefined) {
    problems.add(`${field}.value`, `is required for the "${op}" operator`);
    return;
  }
  if (op === 'in' && !Array.isArray(value)) problems.add(`${field}.value`, 'must be an array for the "in" operator');
  if (ORDERING_OPERATORS.has(op) && compareValues(value, value) === undefined) {
    problems.add(`${field}.value`, `must be a number, an ISO 8601 date or an ISO 8601 duration for "${op}"`);
  }
  if (op === 'matches') {
    const { pattern, ignoreCase } = regexOperand(value);
    const patternField = isObject(value) ? `${field}.value.pattern` : `${field}.value`;
    const regex = compileSafeRegex(pattern, { ignoreCase });
    if (!regex.ok) problems.add(patternField, regex.message);
  }
}

function checkActions(actions: unknown[], ctx: FlowValidationContext, problems: ProblemList): void {
  const ids = actions.map((action) => (isObject(action) && typeof action.id === 'string' ? action.id : undefined));
  actions.forEach((action, index) => {
    const field = `actions[${index}]`;
    if (!isObject(action) || (action.kind !== 'clockify' && action.kind !== 'http')) {
      problems.add(isObject(action) ? `${field}.kind` : field, 'must be an action of kind "clockify" or "http"');
      return;
    }
    const id = ids[index];
    if (id !== undefined && ids.indexOf(id) !== index) problems.add(`${field}.id`, `"${id}" is already used by actions[${ids.indexOf(id)}]`);
    if (action.kind === 'http') {
      if (!ctx.httpActionsEnabled) problems.add(`${field}.kind`, 'HTTP actions are not enabled in this add-on');
      if (problems.schema(HttpActionSchema, action, field)) checkHttpAction(action, field, problems);
      if (typeof action.credential === 'string' && ctx.credentialNames && !ctx.credentialNames.has(action.credential)) problems.add(`${field}.credential`, `unknown credential "${action.credential}"`);
    } else if (problems.schema(ClockifyActionSchema, action, field)) {
      checkClockifyAction(action, field, ctx, problems);
    }
    checkTemplates(action, field, ids.slice(0, index), ids, problems, ctx.credentialNames);
  });
}

function checkHttpAction(action: Record<string, unknown>, field: string, problems: ProblemList): void {
  const url = action.url as string;
  if (!url.includes('{{')) {
    const check = checkUrlSyntax(url);
    if (!check.ok) problems.add(`${field}.url`, check.reason);
  } else if (!/^https?:\/\/[^{]/i.test(url)) {
    problems.add(`${field}.url`, 'must start with http:// or https:// and a host before any template');
  }
  for (const [name, value] of Object.entries((action.headers ?? {}) as Record<string, string>)) {
    const headerField = joinField(`${field}.headers`, name);
    if (!HEADER_NAME.test(name)) problems.add(headerField, 'is not a valid header name');
    else if (FORBIDDEN_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')) {
      problems.add(headerField, 'is set by the platform and cannot be chosen');
    } else if (/[\r\n\0]/.test(value)) problems.add(headerField, 'must not contain line breaks');
  }
  if (action.method === 'GET' && action.body !== undefined) problems.add(`${field}.body`, 'a GET request cannot have a body');
}

function checkClockifyAction(action: Record<string, unknown>, field: string, ctx: FlowValidationContext, problems: ProblemList): void {
  const operation = ctx.catalog.get(action.operationId as string);
  if (!operation) {
    problems.add(`${field}.operationId`, `unknown Clockify operation "${String(action.operationId)}"`);
    return;
  }
  if (operation.addonTokenAccepted === false) {
    problems.add(`${field}.operationId`, `${operation.operationId} needs a personal API key: Clockify does not accept an add-on token for it`);
    return;
  }
  const params = (action.params ?? {}) as Record<string, unknown>;
  const accepted = new Map(operation.parameters.filter((p) => p.in === 'path' || p.in === 'query').map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(params)) {
    const paramField = joinField(`${field}.params`, name);
    if (IMPLICIT_PARAMS.includes(name)) problems.add(paramField, `${name} is filled in automatically and cannot be set`);
    else if (!accepted.has(name)) problems.add(paramField, `${operation.operationId} has no parameter "${name}"`);
    else if (!isParamValue(value)) problems.add(paramField, 'must be a string, number, boolean or a list of them');
  }
  for (const parameter of accepted.values()) {
    if (parameter.required && !IMPLICIT_PARAMS.includes(parameter.name) && params[parameter.name] === undefined) {
      problems.add(joinField(`${field}.params`, parameter.name), `is required by ${operation.operationId}`);
    }
  }
  if (operation.requestBody?.required && action.body === undefined) {
    problems.add(`${field}.body`, `${operation.operationId} needs a request body`);
  } else if (!operation.requestBody && action.body !== undefined) {
    problems.add(`${field}.body`, `${operation.operationId} takes no request body`);
  }
}

function isParamValue(value: unknown): boolean {
  const scalar = (item: unknown) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

/** Template syntax and references: known roots, and `steps.<id>` only for earlier actions. */
function checkTemplates(
  action: Record<string, unknown>,
  field: string,
  earlierIds: (string | undefined)[],
  allIds: (string | undefined)[],
  problems: ProblemList,
  credentialNames?: ReadonlySet<string>,
): void {
  const ownId = allIds[earlierIds.length];
  const places: [string, unknown][] = [
    ['params', action.params],
    ['body', action.body],
    ['url', action.url],
    ['headers', action.headers],
  ];
  for (const [key, value] of places) {
    for (const { field: textField, text } of templateStrings(value, `${field}.${key}`)) {
      const parsed = parseTemplate(text);
      if (!parsed.ok) {
        problems.add(textField, parsed.message);
        continue;
      }
      for (const part of parsed.template.parts) {
        if (typeof part === 'string') continue;
        if (!(TEMPLATE_ROOTS as readonly string[]).includes(part.root)) {
          problems.add(textField, `unknown reference "${part.root}" (use ${TEMPLATE_ROOTS.join(', ')})`);
          continue;
        }
        if (part.root === 'credentials') {
          // A credential goes only where the request leaves for its API: never into a body, a Clockify call, or a later step.
          const name = part.path[0];
          if (action.kind !== 'http' || (key !== 'url' && key !== 'headers')) problems.add(textField, 'credentials can only be used in the URL and headers of an HTTP action');
          else if (typeof name !== 'string' || part.path.length !== 1) problems.add(textField, 'credentials must be followed by a credential name, e.g. credentials.crm');
          else if (credentialNames && !credentialNames.has(name)) problems.add(textField, `unknown credential "${name}"`);
          continue;
        }
        if (part.root !== 'steps') continue;
        const step = part.path[0];
        if (typeof step !== 'string') problems.add(textField, 'steps must be followed by an action id, e.g. steps.getUser.body');
        else if (step === ownId) problems.add(textField, `an action cannot use its own result (steps.${step})`);
        else if (earlierIds.includes(step)) continue;
        else if (allIds.includes(step)) problems.add(textField, `steps.${step} runs later; only earlier actions can be referenced`);
        else problems.add(textField, `unknown step "${step}"`);
      }
    }
  }
}
