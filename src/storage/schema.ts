import type { Generated } from 'kysely';

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

export interface WebhookDedupTable {
  delivery_key: string;
  event_id: string;
  first_seen_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  workspace_id: string;
  payload_json: string;
  status: 'pending' | 'running' | 'done' | 'dead' | 'cancelled';
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
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

export interface CredentialsTable {
  id: string;
  workspace_id: string;
  name: string;
  kind: 'header' | 'bearer' | 'basic' | 'query';
  field_name: string | null;
  secret_ciphertext: string;
  created_at: number;
  updated_at: number;
}

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
}

export interface LocksTable {
  name: string;
  holder: string;
  expires_at: number;
}

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

export interface DatabaseSchema {
  installations: InstallationsTable;
  webhook_registrations: WebhookRegistrationsTable;
  webhook_events: WebhookEventsTable;
  webhook_dedup: WebhookDedupTable;
  rejected_requests: RejectedRequestsTable;
  jobs: JobsTable;
  custom_sources: CustomSourcesTable;
  credentials: CredentialsTable;
  bootstrap_runs: BootstrapRunsTable;
  bootstrap_steps: BootstrapStepsTable;
  entity_cache: EntityCacheTable;
  flows: FlowsTable;
  flow_versions: FlowVersionsTable;
  flow_runs: FlowRunsTable;
  flow_action_results: FlowActionResultsTable;
  locks: LocksTable;
  webhook_reconciliations: WebhookReconciliationsTable;
}
