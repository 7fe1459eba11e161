import type { ClockifyAction, ConditionGroup, ConditionRule, FlowDefinition, FlowRecord, FlowTrigger } from '../api/types';
import { createStore } from './store';
import { CONDITION_OPERATOR_CHOICES } from './flow-constants';

/** Building and editing flow definitions as plain data; the editor only renders these. */

export function operatorNeedsValue(op: string): boolean {
  return CONDITION_OPERATOR_CHOICES.find((item) => item.value === op)?.needsValue ?? true;
}

export function isGroup(rule: ConditionRule | ConditionGroup): rule is ConditionGroup {
  return 'rules' in rule && Array.isArray((rule as ConditionGroup).rules);
}

export function emptyFlow(firstEvent: string | undefined): FlowDefinition {
  return {
    name: '',
    // A new flow starts off: it runs on events only once someone switches it on.
    enabled: false,
    trigger: { kind: 'clockify', events: firstEvent ? [firstEvent] : [] },
    conditions: { mode: 'all', rules: [] },
    actions: [],
  };
}

/** An action id from a name: letters, digits and underscores, starting with a letter, unique in the flow. */
export function uniqueActionId(base: string, taken: readonly string[]): string {
  let stem =
    base
      .replace(/[^A-Za-z0-9_]/g, '')
      .replace(/^[^A-Za-z]+/, '')
      .slice(0, 36) || 'step';
  if (!/^[A-Za-z]/.test(stem)) stem = `step${stem}`;
  if (!taken.includes(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** "Save as flow action" from the explorer: a disabled flow whose one action is the call just made. */
export function flowFromCall(
  call: { operationId: string; params: Record<string, unknown>; body?: unknown; summary?: string },
  firstEvent: string | undefined,
): FlowDefinition {
  // The executor fills workspaceId from the installation; a literal one would pin the flow to this workspace.
  const { workspaceId: _workspaceId, ...params } = call.params;
  const action: ClockifyAction = {
    id: uniqueActionId(call.operationId, []),
    name: call.summary,
    kind: 'clockify',
    operationId: call.operationId,
    params,
    ...(call.body === undefined ? {} : { body: call.body }),
  };
  return {
    ...emptyFlow(firstEvent),
    name: call.summary ? `${call.summary}` : `Call ${call.operationId}`,
    enabled: false,
    actions: [action],
  };
}

/** A stored flow's definition (the server always nests it: src/flows/schemas.ts). */
export function definitionOf(record: FlowRecord): FlowDefinition {
  return record.definition;
}

export function triggerSummary(trigger: FlowTrigger | undefined): string {
  if (!trigger) return 'No trigger';
  if (trigger.kind === 'schedule') {
    const s = trigger.schedule;
    return `Schedule: ${'cron' in s ? `cron ${s.cron}` : 'every' in s ? `every ${s.interval} ${s.every}` : `${s.at}${s.days && s.days.length < 7 ? ` on ${s.days.join(', ')}` : ' daily'}`} ${trigger.timeZone ?? 'UTC'}`;
  }
  if (trigger.kind === 'custom')
    return `Custom source ${trigger.sourceId}${trigger.eventTypes?.length ? ` (${trigger.eventTypes.join(', ')})` : ''}`;
  if (trigger.events.length === 0) return 'No event chosen';
  return trigger.events.length <= 2 ? trigger.events.join(', ') : `${trigger.events.slice(0, 2).join(', ')} +${trigger.events.length - 2}`;
}

/** The events whose sample payload the field picker shows. */
export function triggerEvents(trigger: FlowTrigger): string[] {
  if (trigger.kind === 'schedule') return [];
  return trigger.kind === 'clockify' ? trigger.events : (trigger.eventTypes ?? []);
}

/** Text typed as a condition value: JSON when it parses (numbers, true, lists), otherwise the text itself. */
export function parseConditionValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

export function conditionValueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    // A string that would parse as something else is shown quoted so it round-trips as a string.
    try {
      JSON.parse(value);
      return JSON.stringify(value);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value);
}

/** What the explorer hands to the flow editor ("save as flow action"); kept in memory only. */
export const pendingDraft = createStore<FlowDefinition | null>(null);

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}
