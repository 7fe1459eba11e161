import { tablePolicy } from '../storage/data-policy.js';

/** The flows room's data: flows, their versions, their runs and each run's action results. */
export const FLOWS_TABLES = [
  tablePolicy({
    table: 'flows',
    room: 'flows',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'defined by hand, removed by their owner' },
    children: [{ table: 'flow_versions', column: 'flow_id' }],
  }),
  tablePolicy({
    table: 'flow_versions',
    room: 'flows',
    key: ['flow_id', 'version'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'with-parent', parent: 'flows' },
  }),
  tablePolicy({
    table: 'flow_runs',
    room: 'flows',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'workspace-history', timeColumn: 'started_at' },
    // A run and its action results go together, so no result outlives its run.
    children: [{ table: 'flow_action_results', column: 'run_id' }],
  }),
  tablePolicy({
    table: 'flow_action_results',
    room: 'flows',
    key: ['idempotency_key'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'with-parent', parent: 'flow_runs' },
  }),
];
