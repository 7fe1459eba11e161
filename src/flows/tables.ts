import { tablePolicy } from '../storage/data-policy.js';

/** A scheduled flow's state (migration 007): the occurrence it waits for and the last one it ran. */
export interface FlowSchedulesTable {
  flow_id: string;
  workspace_id: string;
  /** The flow version the schedule was computed from; an edit (or enabling) starts it afresh. */
  flow_version: number;
  next_due_at: number;
  last_occurrence: number | null;
  updated_at: number;
}

declare module '../storage/schema.js' {
  interface DatabaseSchema {
    flow_schedules: FlowSchedulesTable;
  }
}

/** The flows room's data: flows, their versions, their runs and each run's action results. */
export const FLOWS_TABLES = [
  tablePolicy({
    table: 'flows',
    room: 'flows',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'defined by hand, removed by their owner' },
    children: [
      { table: 'flow_versions', column: 'flow_id' },
      { table: 'flow_schedules', column: 'flow_id' },
    ],
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
  tablePolicy({
    table: 'flow_schedules',
    room: 'flows',
    key: ['flow_id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'with-parent', parent: 'flows' },
  }),
];
