import type { Generated } from 'kysely';
import { tablePolicy } from '../storage/data-policy.js';

export interface WebhookEventsTable {
  id: string;
  workspace_id: string;
  source: string;
  event_type: string;
  delivery_key: string;
  payload_json: string;
  headers_json: string;
  user_id: string | null;
  project_id: string | null;
  time_entry_id: string | null;
  client_id: string | null;
  tag_ids: string | null;
  status: 'received' | 'processed' | 'failed' | 'skipped';
  duplicates: Generated<number>;
  triggered_json: string | null;
  error: string | null;
  received_at: number;
  processed_at: number | null;
}

export interface WebhookDedupTable {
  delivery_key: string;
  event_id: string;
  first_seen_at: number;
}

export interface RejectedRequestsTable {
  id: string;
  workspace_id: string;
  /** `clockify` or `custom:<sourceId>`. */
  source: string;
  event_type: string | null;
  status: number;
  reason: string;
  detail: string;
  headers_json: string;
  body_bytes: number;
  received_at: number;
}

export interface CustomSourcesTable {
  id: string;
  workspace_id: string;
  name: string;
  signature_mode: 'standard' | 'hmac-sha256' | 'none';
  signature_header: string | null;
  /** HMAC sources: the header carrying the signed timestamp (null: the body alone is signed). */
  timestamp_header: string | null;
  timestamp_tolerance_seconds: number | null;
  secret_ciphertext: string | null;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: number | null;
  enabled: number;
  created_at: number;
  updated_at: number;
  /** `header:<name>` or a JSON path (`$.meta.kind`); null: event_type, type, event, … (custom-event-type.ts). */
  event_type_from: string | null;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    webhook_events: WebhookEventsTable;
    webhook_dedup: WebhookDedupTable;
    rejected_requests: RejectedRequestsTable;
    custom_sources: CustomSourcesTable;
  }
}

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
