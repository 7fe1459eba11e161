import { tablePolicy } from '../storage/data-policy.js';

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
