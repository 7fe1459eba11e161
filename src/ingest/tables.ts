import { tablePolicy } from '../storage/data-policy.js';

/** The ingest room's data: stored webhook events, their delivery keys and custom sources, and the requests it refused (for the inspector). */
export const INGEST_TABLES = [
  tablePolicy({
    table: 'webhook_events',
    room: 'ingest',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'workspace-history', timeColumn: 'received_at' },
  }),
  tablePolicy({
    table: 'webhook_dedup',
    room: 'ingest',
    key: ['delivery_key'],
    workspaceColumn: null,
    onUninstall: { keep: 'no workspace column: a delivery key is useless after the dedup window and leaves with it' },
    retention: { class: 'dedup-window', timeColumn: 'first_seen_at' },
  }),
  tablePolicy({
    table: 'custom_sources',
    room: 'ingest',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'a handful of sources per workspace, removed by their owner' },
  }),
  tablePolicy({
    table: 'rejected_requests',
    room: 'ingest',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'workspace-history', timeColumn: 'received_at' },
  }),
];
