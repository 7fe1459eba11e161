import { tablePolicy } from '../storage/data-policy.js';

export interface BootstrapRunsTable {
  id: string;
  workspace_id: string;
  /** completed_with_warnings: finished, but a page cap or a failed step cut some data (the run's warnings name what). */
  status: 'pending' | 'running' | 'completed' | 'completed_with_warnings' | 'failed' | 'cancelled';
  mode: 'full' | 'failed-only';
  operations_total: number;
  operations_done: number;
  entities_fetched: number;
  pages_fetched: number;
  errors_count: number;
  cancel_requested: number;
  settings_json: string;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface BootstrapStepsTable {
  run_id: string;
  step_key: string;
  workspace_id: string;
  operation_id: string;
  entity_type: string;
  params_json: string;
  position: number;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  next_page: number;
  pages_fetched: number;
  entities: number;
  last_error: string | null;
  updated_at: number;
}

export interface EntityCacheTable {
  workspace_id: string;
  entity_type: string;
  entity_id: string;
  data_json: string;
  fetched_at: number;
  expires_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    bootstrap_runs: BootstrapRunsTable;
    bootstrap_steps: BootstrapStepsTable;
    entity_cache: EntityCacheTable;
  }
}

/** The bootstrap room's data: import runs, their steps and the entity cache they fill. */
export const BOOTSTRAP_TABLES = [
  tablePolicy({
    table: 'bootstrap_runs',
    room: 'bootstrap',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'a few runs per workspace' },
    children: [{ table: 'bootstrap_steps', column: 'run_id' }],
  }),
  tablePolicy({
    table: 'bootstrap_steps',
    room: 'bootstrap',
    key: ['run_id', 'step_key'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'with-parent', parent: 'bootstrap_runs' },
  }),
  tablePolicy({
    table: 'entity_cache',
    room: 'bootstrap',
    key: ['workspace_id', 'entity_type', 'entity_id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'expiry', timeColumn: 'expires_at' },
  }),
];
