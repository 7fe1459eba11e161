import { useId, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { EmptyState } from '../../ui/feedback';
import { Segmented, TabPanel } from '../../ui/segmented';
import { HistoryList } from './history-list';
import { OperationBrowser } from './operation-browser';
import { OperationPanel } from './operation-panel';

export function ExplorerView({ parts }: { parts: string[] }) {
  const { me } = useApp();
  const operationId = parts[0];
  const [pane, setPane] = useState<'operations' | 'history'>('operations');
  const idPrefix = useId();
  const writes = me.edition.capabilities.explorerWrites;
  return (
    <div>
      <div class="page-header">
        <div>
          <h1>API Explorer</h1>
          <p>
            {writes
              ? `Every Clockify API operation as a form, run with your own rights.${me.isAdmin ? '' : ' Changes need a workspace admin.'}`
              : 'Safe, read-only Clockify API calls, run with your own rights.'}
          </p>
        </div>
      </div>
      <div class={`split${operationId ? ' has-detail' : ''}`}>
        <div class="split-list stack-sm">
          <Segmented
            idPrefix={idPrefix}
            label="Explorer lists"
            value={pane}
            onChange={setPane}
            options={[
              { value: 'operations', label: 'Operations' },
              { value: 'history', label: 'History' },
            ]}
          />
          <TabPanel idPrefix={idPrefix} value={pane}>
            {pane === 'operations' ? <OperationBrowser selectedId={operationId} /> : <HistoryList />}
          </TabPanel>
        </div>
        <div class="split-detail">
          {operationId ? (
            <OperationPanel key={operationId} operationId={operationId} />
          ) : (
            <div class="card">
              <EmptyState icon="explorer" title="Choose an operation">
                Pick one from the list to see its form. Your workspace and user are filled in for you.
              </EmptyState>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
