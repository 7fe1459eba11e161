import { useId, useState } from 'preact/hooks';
import { prettyJson } from '../lib/format';
import { CopyButton } from './copy-button';
import { JsonTree } from './json-tree';
import { Segmented, TabPanel } from './segmented';

/** JSON shown two ways: a collapsible tree and the raw text, with a copy button. */
export function JsonView({ value, label, openDepth = 2 }: { value: unknown; label: string; openDepth?: number }) {
  const [mode, setMode] = useState<'tree' | 'raw'>('tree');
  const idPrefix = useId();
  const text = prettyJson(value);
  const scalar = value === null || typeof value !== 'object';
  return (
    <div class="json-view">
      <div class="json-view-bar">
        {scalar ? (
          <span class="muted small">{label}</span>
        ) : (
          <Segmented
            idPrefix={idPrefix}
            label={`${label} view`}
            value={mode}
            onChange={setMode}
            options={[
              { value: 'tree', label: 'Tree' },
              { value: 'raw', label: 'Raw' },
            ]}
          />
        )}
        <CopyButton text={text} what={label} />
      </div>
      {scalar ? (
        <pre class="code-block">{value === undefined ? '(empty)' : text}</pre>
      ) : (
        <TabPanel idPrefix={idPrefix} value={mode}>
          {mode === 'tree' ? <JsonTree value={value} openDepth={openDepth} label={label} /> : <pre class="code-block">{text}</pre>}
        </TabPanel>
      )}
    </div>
  );
}
