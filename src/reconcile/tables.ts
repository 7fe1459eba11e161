import { tablePolicy } from '../storage/data-policy.js';

/** Per installation: the last read of Clockify's webhook delivery logs (src/reconcile). */
export interface WebhookReconciliationsTable {
  workspace_id: string;
  /** Deliveries that failed up to this instant (epoch ms) have been recovered. */
  last_reconciled_at: number | null;
  last_attempt_at: number | null;
  last_recovered: number;
  recovered_total: number;
  last_error: string | null;
  updated_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    webhook_reconciliations: WebhookReconciliationsTable;
  }
}

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
