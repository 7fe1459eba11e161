/**
 * Validation of a flow definition before it is stored. Every problem names the field it is about
 * (`actions[1].params.projectId`, `conditions.rules[0].path`) so a UI can put the message next to it.
 * The parts of the flow are checked one by one (trigger, each rule, each action by its kind) rather
 * than against the whole union schema, because union errors would otherwise say only "no variant
 * matched".
 */
import { Type } from '@sinclair/typebox';
import { compileJsonPath } from './condition-path.js';
import { compileSafeRegex } from './condition-regex.js';
import { compareValues, regexOperand } from './conditions.js';
import {
  ClockifyTriggerSchema,
  ConditionSchema,
  CustomTriggerSchema,
  CronScheduleSchema,
  DailyScheduleSchema,
  HoursScheduleSchema,
  MinutesScheduleSchema,
  ScheduleTriggerSchema,
  FLOW_LIMITS,
  type CatalogLike,
  type FlowDefinition,
} from './model.js';
import { HOUR_INTERVALS, MINUTE_INTERVALS, isTimeZone } from './schedule.js';
import { LOOP_ROOTS, OPERATORS_WITH_VALUE, STEP_KINDS, TEMPLATE_ROOTS } from './shared/flow-constants.js';
import { stepKind } from './steps/registry.js';
import { parseTemplate, templateStrings } from './templates.js';
import { ProblemList, isObject } from './validation-problems.js';
import { parseCron, shortestGapMinutes, tooFrequent } from './cron.js';

export type { FlowProblem } from './validation-problems.js';
import type { FlowProblem } from './validation-problems.js';

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

const ORDERING_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);

/** Checks `input` against the flow schema and every rule the schema cannot express. Never throws. */
export function validateFlowDefinition(input: unknown, ctx: FlowValidationContext): FlowValidationResult {
  const problems = new ProblemList();
  if (!isObject(input)) return { ok: false, problems: [{ field: '', message: 'a flow definition must be a JSON object' }] };
  problems.schema(FlowShellSchema, input, '');
  if ('trigger' in input) checkTrigger(input.trigger, ctx, problems);
  if ('conditions' in input) {
    const total = countConditions(input.conditions, 1);
    // Checked first: each condition compiles a path and maybe a pattern, so thousands of them cost a lot before any answer.
    if (total > FLOW_LIMITS.conditions)
      problems.add('conditions', `has ${total} conditions; a flow may have at most ${FLOW_LIMITS.conditions} (limit conditions)`);
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
  if (typeof trigger.timeZone === 'string' && !isTimeZone(trigger.timeZone))
    problems.add('trigger.timeZone', `"${trigger.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  if (!isObject(schedule)) {
    problems.add(
      'trigger.schedule',
      'is required: {"every": "minutes", "interval": 15}, {"at": "17:00", "days": ["mon"]} or {"cron": "0 17 * * 1-5"}',
    );
    return;
  }
  if ('cron' in schedule) {
    if (!problems.schema(CronScheduleSchema, schedule, 'trigger.schedule')) return;
    const parsed = parseCron(schedule.cron);
    if (!parsed.ok) problems.add('trigger.schedule.cron', parsed.message);
    else if (tooFrequent(parsed.cron, FLOW_LIMITS.scheduleMinIntervalMinutes)) {
      problems.add(
        'trigger.schedule.cron',
        `runs too often: at least ${FLOW_LIMITS.scheduleMinIntervalMinutes} minutes between runs (limit schedule frequency; the shortest gap here is ${shortestGapMinutes(parsed.cron)})`,
      );
    }
    return;
  }
  if (
    schedule.every === 'minutes' &&
    typeof schedule.interval === 'number' &&
    !(MINUTE_INTERVALS as readonly number[]).includes(schedule.interval)
  ) {
    const tooOften = schedule.interval < FLOW_LIMITS.scheduleMinIntervalMinutes;
    problems.add(
      'trigger.schedule.interval',
      tooOften
        ? `runs too often: at least ${FLOW_LIMITS.scheduleMinIntervalMinutes} minutes between runs (limit schedule frequency)`
        : `must divide the hour: one of ${MINUTE_INTERVALS.join(', ')}`,
    );
  } else if (
    schedule.every === 'hours' &&
    typeof schedule.interval === 'number' &&
    !(HOUR_INTERVALS as readonly number[]).includes(schedule.interval)
  ) {
    problems.add('trigger.schedule.interval', `must divide the day: one of ${HOUR_INTERVALS.join(', ')}`);
  } else if (schedule.every === 'minutes') problems.schema(MinutesScheduleSchema, schedule, 'trigger.schedule');
  else if (schedule.every === 'hours') problems.schema(HoursScheduleSchema, schedule, 'trigger.schedule');
  else if ('every' in schedule) problems.add('trigger.schedule.every', 'must be one of: minutes, hours');
  else if (
    problems.schema(DailyScheduleSchema, schedule, 'trigger.schedule') &&
    Array.isArray(schedule.days) &&
    new Set(schedule.days).size !== schedule.days.length
  ) {
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

export function checkGroup(group: unknown, field: string, depth: number, problems: ProblemList): void {
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
  if ((OPERATORS_WITH_VALUE as readonly string[]).includes(op) && value === undefined) {
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

/** Where the walk over the step tree is: ids seen so far (document order), and the whole tree's ids. */
interface StepWalk {
  ctx: FlowValidationContext;
  problems: ProblemList;
  /** id → field of its first use, over the whole tree (for "runs later" and "already used"). */
  all: Map<string, string>;
  /** Ids of steps before the current one in document order that are not its ancestors. */
  earlier: Set<string>;
  credentialPlaces(step: Record<string, unknown>): readonly string[];
}

/** Steps in the tree (all levels), without descending deeper than steps may nest. */
function countSteps(list: unknown, depth: number): number {
  if (!Array.isArray(list) || depth > FLOW_LIMITS.stepDepth) return 0;
  let total = 0;
  for (const step of list) {
    total += 1;
    if (!isObject(step) || typeof step.kind !== 'string') continue;
    const kind = stepKind(step.kind);
    for (const nested of kind?.nested?.(step) ?? []) total += countSteps(nested.steps, depth + 1);
  }
  return total;
}

function collectIds(list: unknown, base: string, depth: number, all: Map<string, string>): void {
  if (!Array.isArray(list) || depth > FLOW_LIMITS.stepDepth) return;
  list.forEach((step, index) => {
    if (!isObject(step)) return;
    const field = `${base}[${index}]`;
    if (typeof step.id === 'string' && !all.has(step.id)) all.set(step.id, field);
    const kind = typeof step.kind === 'string' ? stepKind(step.kind) : undefined;
    for (const nested of kind?.nested?.(step) ?? []) collectIds(nested.steps, `${field}.${nested.key}`, depth + 1, all);
  });
}

function checkActions(actions: unknown[], ctx: FlowValidationContext, problems: ProblemList): void {
  const total = countSteps(actions, 1);
  // Checked first, like the condition count: a huge tree should cost nothing more before the answer.
  if (total > FLOW_LIMITS.stepsTotal) {
    problems.add(
      'actions',
      `has ${total} steps (nested ones included); a flow may have at most ${FLOW_LIMITS.stepsTotal} (limit stepsTotal)`,
    );
    return;
  }
  const walk: StepWalk = {
    ctx,
    problems,
    all: new Map(),
    earlier: new Set(),
    credentialPlaces: (step) => stepKind(String(step.kind))?.credentialPlaces ?? [],
  };
  collectIds(actions, 'actions', 1, walk.all);
  checkStepList(actions, 'actions', 1, false, walk);
}

function checkStepList(list: unknown[], base: string, depth: number, inLoop: boolean, walk: StepWalk): void {
  list.forEach((step, index) => checkStep(step, `${base}[${index}]`, depth, inLoop, walk));
}

function checkStep(step: unknown, field: string, depth: number, inLoop: boolean, walk: StepWalk): void {
  const { problems, ctx } = walk;
  const kind = isObject(step) && typeof step.kind === 'string' ? stepKind(step.kind) : undefined;
  if (!isObject(step) || !kind) {
    problems.add(isObject(step) ? `${field}.kind` : field, `must be a step of kind ${STEP_KINDS.map((k) => `"${k}"`).join(', ')}`);
    return;
  }
  const id = typeof step.id === 'string' ? step.id : undefined;
  if (id !== undefined && walk.all.get(id) !== field) problems.add(`${field}.id`, `"${id}" is already used by ${walk.all.get(id)}`);
  const nestedLists = kind.nested?.(step) ?? [];
  // Nested lists are checked step by step below, so the kind's own schema sees them as plain lists.
  if (problems.schema(kind.schema(Type.Unknown()), step, field)) kind.validate?.(step as never, field, ctx, problems);
  if (step.onlyIf !== undefined) checkGroup(step.onlyIf, `${field}.onlyIf`, 1, problems);
  for (const [key, group] of kind.conditions?.(step) ?? []) if (group !== undefined) checkGroup(group, `${field}.${key}`, 1, problems);
  checkTemplates(step, kind.templates(step), field, id, inLoop, walk);
  if (nestedLists.length > 0 && depth >= FLOW_LIMITS.stepDepth) {
    problems.add(`${field}.kind`, `steps may be nested at most ${FLOW_LIMITS.stepDepth} levels deep (limit stepDepth)`);
    return;
  }
  for (const nested of nestedLists) {
    if (Array.isArray(nested.steps)) checkStepList(nested.steps, `${field}.${nested.key}`, depth + 1, inLoop || nested.loop === true, walk);
  }
  // Its own result is there for the steps after it (not inside it).
  if (id !== undefined) walk.earlier.add(id);
}

/** Template syntax and references: known roots, `steps.<id>` only for earlier steps, loop roots only in a loop. */
function checkTemplates(
  step: Record<string, unknown>,
  places: [string, unknown][],
  field: string,
  ownId: string | undefined,
  inLoop: boolean,
  walk: StepWalk,
): void {
  const { problems } = walk;
  const credentialNames = walk.ctx.credentialNames;
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
        if ((LOOP_ROOTS as readonly string[]).includes(part.root)) {
          if (!inLoop) problems.add(textField, `${part.root} exists only inside a for-each step`);
          continue;
        }
        if (part.root === 'credentials') {
          // A credential goes only where the request leaves for its API: never into a body, a Clockify call, or a later step.
          const name = part.path[0];
          if (!walk.credentialPlaces(step).includes(key))
            problems.add(textField, 'credentials can only be used in the URL and headers of an HTTP action');
          else if (typeof name !== 'string' || part.path.length !== 1)
            problems.add(textField, 'credentials must be followed by a credential name, e.g. credentials.crm');
          else if (credentialNames && !credentialNames.has(name)) problems.add(textField, `unknown credential "${name}"`);
          continue;
        }
        if (part.root !== 'steps') continue;
        const ref = part.path[0];
        if (typeof ref !== 'string') problems.add(textField, 'steps must be followed by an action id, e.g. steps.getUser.body');
        else if (ref === ownId) problems.add(textField, `an action cannot use its own result (steps.${ref})`);
        else if (walk.earlier.has(ref)) continue;
        else if (walk.all.has(ref)) problems.add(textField, `steps.${ref} runs later; only earlier actions can be referenced`);
        else problems.add(textField, `unknown step "${ref}"`);
      }
    }
  }
}
