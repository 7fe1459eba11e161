import { useStableKeys } from '../../../../hooks/use-stable-keys';
import { Button } from '../../../../ui/button';
import { Icon } from '../../../../ui/icons';
import { TemplateInput } from '../template-input';
import type { StepEditorProps } from '../types';

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

/** "Set values": name/value rows; each value may be a template. Later steps read steps.<id>.<name>. */
export function SetEditor({ step, onChange, readOnly, title }: StepEditorProps<'set'>) {
  const rows = Object.entries(step.values);
  const keys = useStableKeys(rows.length);
  const setRows = (next: [string, unknown][]) => onChange({ ...step, values: Object.fromEntries(next) });
  return (
    <div class="stack-sm">
      <span class="field-label">Values</span>
      {rows.map(([name, value], index) => (
        <div class="value-row" key={keys.at(index)}>
          <label class="value-name">
            <span class="visually-hidden">{`${title}: value ${index + 1} name`}</span>
            <input
              class="input mono"
              value={name}
              placeholder="name"
              spellcheck={false}
              onInput={(event) => setRows(rows.map((row, i) => (i === index ? [event.currentTarget.value, row[1]] : row)))}
            />
          </label>
          <span class="grow">
            <TemplateInput
              label={`${title}: value ${name || index + 1}`}
              ariaLabel={`${title}: value ${index + 1}`}
              value={valueText(value)}
              placeholder="{{ event.description }}"
              onChange={(text) => setRows(rows.map((row, i) => (i === index ? [row[0], text] : row)))}
            />
          </span>
          {readOnly ? null : (
            <button
              type="button"
              class="icon-button"
              aria-label={`Remove value ${name || index + 1}`}
              onClick={() => {
                keys.remove(index);
                setRows(rows.filter((_, i) => i !== index));
              }}
            >
              <Icon name="close" />
            </button>
          )}
        </div>
      ))}
      {readOnly ? null : (
        <div>
          <Button size="sm" variant="ghost" icon="plus" onClick={() => setRows([...rows, [`value${rows.length + 1}`, '']])}>
            Add value
          </Button>
        </div>
      )}
      <p class="muted small">Later steps read them as steps.{step.id || 'id'}.&lt;name&gt;.</p>
    </div>
  );
}
