import { tablePolicy } from '../storage/data-policy.js';

/**
 * Row types of the tables. A room may instead declare its tables' row types in its own
 * `tables.ts` and merge them into `DatabaseSchema` there (see src/explorer/tables.ts). Times are epoch milliseconds, booleans 0/1 and JSON documents text, so
 * SQLite and PostgreSQL hold exactly the same values and one conformance suite covers both.
 */
export interface InstallationsTable {
  workspace_id: string;
  addon_id: string;
  addon_key: string;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETED';
  token_ciphertext: string | null;
  owner_user_id: string | null;
  backend_url: string;
  reports_url: string | null;
  api_url: string | null;
  /** Non-secret URL claims of the installation token (locationsUrl, screenshotsUrl, ...). */
  claims_json: string;
  settings_json: string;
  /** Issued-at of the newest lifecycle token applied, to ignore replays of older events. */
  last_lifecycle_at: number;
  installed_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface WebhookRegistrationsTable {
  id: string;
  workspace_id: string;
  event: string;
  route: 'manifest' | 'rest';
  clockify_webhook_id: string | null;
  url: string;
  token_ciphertext: string | null;
  /** SHA-256 of the token, so an incoming signature is found without decrypting every row. */
  token_hash: string | null;
  status: 'active' | 'pending' | 'failed' | 'removed';
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    installations: InstallationsTable;
    webhook_registrations: WebhookRegistrationsTable;
  }
}

/** The lifecycle room's data: installations and the webhooks registered for them. */
export const LIFECYCLE_TABLES = [
  tablePolicy({
    table: 'installations',
    room: 'lifecycle',
    key: ['workspace_id'],
    workspaceColumn: 'workspace_id',
    // Tokens are wiped at uninstall; the DELETED row stays so replayed or late lifecycle events are recognised.
    onUninstall: { keep: 'the DELETED row (no token) lets replayed lifecycle events be recognised and ignored' },
    retention: { class: 'kept', reason: 'one row per workspace ever installed' },
  }),
  tablePolicy({
    table: 'webhook_registrations',
    room: 'lifecycle',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'one row per workspace and event' },
  }),
];
