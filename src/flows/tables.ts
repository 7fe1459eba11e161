import { tablePolicy } from '../storage/data-policy.js';

export interface FlowsTable {
  id: string;
  workspace_id: string;
  name: string;
  enabled: number;
  version: number;
  definition_json: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  last_run_status: string | null;
  last_run_at: number | null;
}

export interface FlowVersionsTable {
  flow_id: string;
  version: number;
  workspace_id: string;
  definition_json: string;
  created_by: string | null;
  created_at: number;
}

export interface FlowRunsTable {
  id: string;
  workspace_id: string;
  flow_id: string;
  flow_version: number;
  event_id: string | null;
  /** waiting: parked by a wait step until its resume job (migration 008). */
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'dead' | 'waiting';
  matched: number;
  condition_trace_json: string | null;
  error: string | null;
  dry_run: number;
  replay_of: string | null;
  started_at: number;
  finished_at: number | null;
}

export interface FlowActionResultsTable {
  idempotency_key: string;
  run_id: string;
  workspace_id: string;
  action_id: string;
  position: number;
  /** pending: written before sending, so a crash mid-send is known and a non-idempotent action is not sent twice; unknown: that happened. */
  status: 'pending' | 'succeeded' | 'failed' | 'skipped' | 'unknown' | 'waiting';
  request_json: string | null;
  response_json: string | null;
  attempts: number;
  duration_ms: number;
  created_at: number;
  /** The step's path in the run (`loop1[3].tagIt`) and its kind (migration 008; null on older rows: a top-level action). */
  step_path: string | null;
  kind: string | null;
  /** What the step saw: the event, the loop item and the earlier steps it refers to, bounded and masked (migration 009; null on older rows). */
  input_json: string | null;
}

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

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    flows: FlowsTable;
    flow_versions: FlowVersionsTable;
    flow_runs: FlowRunsTable;
    flow_action_results: FlowActionResultsTable;
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
