import { tablePolicy } from '../storage/data-policy.js';

/** The explorer room's data: the log of calls made to Clockify (by every source; the explorer shows its own). */
export const EXPLORER_TABLES = [
  tablePolicy({
    table: 'api_calls',
    room: 'explorer',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'workspace-history', timeColumn: 'created_at' },
  }),
];
