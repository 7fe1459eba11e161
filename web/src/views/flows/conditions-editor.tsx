import { useState } from 'preact/hooks';
import type { ConditionGroup, ConditionRule } from '../../api/types';
import { useStableKeys } from '../../hooks/use-stable-keys';
import { conditionValueText, isGroup, operatorNeedsValue, parseConditionValue } from '../../lib/flow-draft';
import { CONDITION_OPERATOR_CHOICES, FLOW_LIMITS } from '../../lib/flow-constants';
import { TemplateInput } from './steps/template-input';
import { Button } from '../../ui/button';
import { Icon } from '../../ui/icons';
import { useNames } from '../../hooks/use-names';
import { IdPicker, NamedValue, idKindOfField } from './id-picker';
import { PickButton, usePickable } from './insertion';

const MAX_DEPTH = FLOW_LIMITS.conditionDepth;

/** "Only if": rules on the event's fields, in groups matched all-or-any, nested up to four levels. */
export function ConditionsEditor({
  group,
  onChange,
  readOnly,
}: {
  group: ConditionGroup;
  onChange: (next: ConditionGroup) => void;
  readOnly: boolean;
}) {
  return (
    <fieldset class="fieldset" disabled={readOnly}>
      <legend>Only if</legend>
      {group.rules.length === 0 && readOnly ? <p class="muted">No conditions: the flow runs for every event of its trigger.</p> : null}
      <GroupEditor group={group} onChange={onChange} depth={1} label="Conditions" readOnly={readOnly} />
    </fieldset>
  );
}

/**
 * The same condition group inside a step ("Only if", a branch's "If"): paths read the run's context
 * (`$.event.projectId`, `$.steps.find1.id`, `$.item.name`) and complete as you type.
 */
export function StepConditions({
  group,
  onChange,
  readOnly,
  label,
}: {
  group: ConditionGroup;
  onChange: (next: ConditionGroup) => void;
  readOnly: boolean;
  label: string;
}) {
  return <GroupEditor group={group} onChange={onChange} depth={1} label={label} readOnly={readOnly} scoped />;
}

function GroupEditor({
  group,
  onChange,
  depth,
  label,
  onRemove,
  readOnly,
  scoped = false,
}: {
  group: ConditionGroup;
  onChange: (next: ConditionGroup) => void;
  depth: number;
  label: string;
  onRemove?: () => void;
  readOnly: boolean;
  scoped?: boolean;
}) {
  const keys = useStableKeys(group.rules.length);
  const setRule = (index: number, rule: ConditionRule | ConditionGroup) =>
    onChange({ ...group, rules: group.rules.map((r, i) => (i === index ? rule : r)) });
  const removeRule = (index: number) => {
    keys.remove(index);
    onChange({ ...group, rules: group.rules.filter((_, i) => i !== index) });
  };
  return (
    <div class={`condition-group depth-${depth}`} role="group" aria-label={label}>
      <div class="row-between">
        <label class="inline-label">
          <span>Match</span>
          <select
            class="select select-sm"
            value={group.mode}
            onChange={(event) => onChange({ ...group, mode: event.currentTarget.value as 'all' | 'any' })}
          >
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
        </label>
        {onRemove && !readOnly ? (
          <Button size="sm" variant="ghost" icon="trash" onClick={onRemove} aria-label={`Remove ${label}`}>
            Remove group
          </Button>
        ) : null}
      </div>
      {group.rules.length === 0 ? (
        <p class="muted small">No rules yet{depth === 1 && !scoped ? ': the flow runs for every event of its trigger.' : '.'}</p>
      ) : null}
      <ol class="rules">
        {group.rules.map((rule, index) => (
          <li key={keys.at(index)}>
            {isGroup(rule) ? (
              <GroupEditor
                group={rule}
                depth={depth + 1}
                label={`${label}, group ${index + 1}`}
                onChange={(next) => setRule(index, next)}
                onRemove={() => removeRule(index)}
                readOnly={readOnly}
                scoped={scoped}
              />
            ) : (
              <RuleEditor
                rule={rule}
                label={`${label}, rule ${index + 1}`}
                onChange={(next) => setRule(index, next)}
                onRemove={() => removeRule(index)}
                readOnly={readOnly}
                scoped={scoped}
              />
            )}
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <div class="row">
          <Button
            size="sm"
            icon="plus"
            onClick={() => onChange({ ...group, rules: [...group.rules, { path: scoped ? '$.event.' : '$.', op: 'equals', value: '' }] })}
          >
            Add rule
          </Button>
          {depth < MAX_DEPTH ? (
            <Button
              size="sm"
              variant="ghost"
              icon="plus"
              onClick={() => onChange({ ...group, rules: [...group.rules, { mode: group.mode === 'all' ? 'any' : 'all', rules: [] }] })}
            >
              Add group
            </Button>
          ) : null}
        </div>
      )}
    </div>
  );
}

function RuleEditor({
  rule,
  label,
  onChange,
  onRemove,
  readOnly,
  scoped,
}: {
  rule: ConditionRule;
  label: string;
  onChange: (next: ConditionRule) => void;
  onRemove: () => void;
  readOnly: boolean;
  scoped: boolean;
}) {
  const [valueText, setValueText] = useState(() => conditionValueText(rule.value));
  const needsValue = operatorNeedsValue(rule.op);
  const pickable = usePickable('path', `${label} (field)`, (path) => onChange({ ...rule, path }));
  const names = useNames();
  // A rule on an id field ($.projectId, $.tagIds) offers the entities by name; the rule keeps the id.
  const idKind = idKindOfField(rule.path);
  const setValue = (value: unknown) => {
    setValueText(conditionValueText(value));
    onChange({ ...rule, value });
  };
  const pickId = (id: string) => {
    if (rule.op !== 'in') return setValue(id);
    const current = Array.isArray(rule.value) ? rule.value : [];
    setValue(current.includes(id) ? current : [...current, id]);
  };
  return (
    <div class="rule">
      {scoped ? (
        <span class="rule-path">
          <TemplateInput
            jsonPath
            label={`${label}: field (JSONPath)`}
            ariaLabel={`${label}: field (JSONPath)`}
            value={rule.path}
            placeholder="$.event.projectId"
            onChange={(path) => onChange({ ...rule, path })}
          />
        </span>
      ) : (
        <span class="rule-path input-with-pick">
          <label class="grow">
            <span class="visually-hidden">{label}: field (JSONPath)</span>
            <input
              class="input mono"
              value={rule.path}
              placeholder="$.projectId"
              spellcheck={false}
              {...pickable.props}
              onInput={(event) => onChange({ ...rule, path: event.currentTarget.value })}
            />
          </label>
          <PickButton pickable={pickable} disabled={readOnly} />
        </span>
      )}
      <label class="rule-op">
        <span class="visually-hidden">{label}: comparison</span>
        <select
          class="select"
          value={rule.op}
          onChange={(event) => {
            const op = event.currentTarget.value as ConditionRule['op'];
            const { value: _value, ...withoutValue } = rule;
            onChange(operatorNeedsValue(op) ? { ...rule, op, value: parseConditionValue(valueText) } : { ...withoutValue, op });
          }}
        >
          {CONDITION_OPERATOR_CHOICES.map((operator) => (
            <option key={operator.value} value={operator.value}>
              {operator.label}
            </option>
          ))}
        </select>
      </label>
      {needsValue ? (
        <div class="rule-value stack-sm" style={{ minWidth: 0 }}>
          <label>
            <span class="visually-hidden">{label}: value</span>
            <input
              class="input"
              value={valueText}
              placeholder={rule.op === 'in' ? '["a", "b"]' : 'value'}
              onInput={(event) => {
                setValueText(event.currentTarget.value);
                onChange({ ...rule, value: parseConditionValue(event.currentTarget.value) });
              }}
            />
          </label>
          <NamedValue value={rule.value} names={names} />
          {idKind && !readOnly ? (
            <IdPicker
              kind={idKind}
              names={names}
              selected={typeof rule.value === 'string' ? rule.value : undefined}
              label={`${label}: pick the value by name`}
              onPick={pickId}
            />
          ) : null}
        </div>
      ) : null}
      {readOnly ? null : (
        <button type="button" class="icon-button" aria-label={`Remove ${label}`} onClick={onRemove}>
          <Icon name="close" />
        </button>
      )}
    </div>
  );
}
