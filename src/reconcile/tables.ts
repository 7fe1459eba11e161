import { tablePolicy } from '../storage/data-policy.js';

/** The reconcile room's data: one row per workspace saying when Clockify's delivery log was last read. */
export const RECONCILE_TABLES = [
  tablePolicy({
    table: 'webhook_reconciliations',
    room: 'reconcile',
    key: ['workspace_id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'one row per workspace, overwritten by each reconciliation' },
  }),
];
