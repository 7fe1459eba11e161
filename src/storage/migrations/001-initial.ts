import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columnTypes } from './types.js';

export const initial: Migration = {
  name: '001-initial',
  async up(db, dialect) {
    const { bigint } = columnTypes(dialect);

    await db.schema
      .createTable('installations')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('addon_id', 'text', (c) => c.notNull())
      .addColumn('addon_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('token_ciphertext', 'text')
      .addColumn('owner_user_id', 'text')
      .addColumn('backend_url', 'text', (c) => c.notNull())
      .addColumn('reports_url', 'text')
      .addColumn('api_url', 'text')
      .addColumn('claims_json', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('settings_json', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('last_lifecycle_at', bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('installed_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addColumn('deleted_at', bigint)
      .execute();

    await db.schema
      .createTable('webhook_registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('clockify_webhook_id', 'text')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('token_ciphertext', 'text')
      .addColumn('token_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addUniqueConstraint('webhook_registrations_ws_event', ['workspace_id', 'event'])
      .execute();
    await db.schema.createIndex('webhook_registrations_token').on('webhook_registrations').columns(['token_hash']).execute();

    await db.schema
      .createTable('webhook_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('delivery_key', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('headers_json', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('project_id', 'text')
      .addColumn('time_entry_id', 'text')
      .addColumn('client_id', 'text')
      .addColumn('tag_ids', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('triggered_json', 'text')
      .addColumn('error', 'text')
      .addColumn('received_at', bigint, (c) => c.notNull())
      .addColumn('processed_at', bigint)
      .execute();
    await db.schema.createIndex('webhook_events_ws_id').on('webhook_events').columns(['workspace_id', 'id']).execute();
    await db.schema.createIndex('webhook_events_received').on('webhook_events').columns(['received_at']).execute();

    await db.schema
      .createTable('webhook_dedup')
      .addColumn('delivery_key', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_dedup_seen').on('webhook_dedup').columns(['first_seen_at']).execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_at', bigint, (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', bigint)
      .addColumn('last_error', 'text')
      .addColumn('dedupe_key', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addColumn('finished_at', bigint)
      .execute();
    await db.schema.createIndex('jobs_ready').on('jobs').columns(['status', 'run_at']).execute();
    await db.schema.createIndex('jobs_ws_status').on('jobs').columns(['workspace_id', 'status']).execute();
    // A singleton job (one bootstrap per workspace, say) may be queued or running once at a time.
    await sql`CREATE UNIQUE INDEX jobs_active_dedupe ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running')`.execute(
      db,
    );

    await db.schema
      .createTable('custom_sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('signature_mode', 'text', (c) => c.notNull())
      .addColumn('signature_header', 'text')
      .addColumn('secret_ciphertext', 'text')
      .addColumn('previous_secret_ciphertext', 'text')
      .addColumn('previous_secret_expires_at', bigint)
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('custom_sources_ws').on('custom_sources').columns(['workspace_id']).execute();

    await db.schema
      .createTable('bootstrap_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('operations_total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('operations_done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entities_fetched', bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('pages_fetched', bigint, (c) => c.notNull().defaultTo(0))
      .addColumn('errors_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('settings_json', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('error', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('started_at', bigint)
      .addColumn('finished_at', bigint)
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('bootstrap_runs_ws').on('bootstrap_runs').columns(['workspace_id', 'created_at']).execute();

    await db.schema
      .createTable('bootstrap_steps')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_key', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('operation_id', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('next_page', 'integer', (c) => c.notNull())
      .addColumn('pages_fetched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('entities', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('bootstrap_steps_pk', ['run_id', 'step_key'])
      .execute();

    await db.schema
      .createTable('entity_cache')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addColumn('fetched_at', bigint, (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('entity_cache_pk', ['workspace_id', 'entity_type', 'entity_id'])
      .execute();
    await db.schema.createIndex('entity_cache_expires').on('entity_cache').columns(['expires_at']).execute();

    await db.schema
      .createTable('api_calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('operation_id', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('request_json', 'text')
      .addColumn('response_excerpt', 'text')
      .addColumn('user_id', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('api_calls_ws').on('api_calls').columns(['workspace_id', 'created_at']).execute();
    await db.schema.createIndex('api_calls_created').on('api_calls').columns(['created_at']).execute();

    await db.schema
      .createTable('flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition_json', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addColumn('updated_at', bigint, (c) => c.notNull())
      .addColumn('last_run_status', 'text')
      .addColumn('last_run_at', bigint)
      .execute();
    await db.schema.createIndex('flows_ws').on('flows').columns(['workspace_id']).execute();

    await db.schema
      .createTable('flow_versions')
      .addColumn('flow_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('definition_json', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_versions_pk', ['flow_id', 'version'])
      .execute();

    await db.schema
      .createTable('flow_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('flow_id', 'text', (c) => c.notNull())
      .addColumn('flow_version', 'integer', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('matched', 'integer', (c) => c.notNull())
      .addColumn('condition_trace_json', 'text')
      .addColumn('error', 'text')
      .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('replay_of', 'text')
      .addColumn('started_at', bigint, (c) => c.notNull())
      .addColumn('finished_at', bigint)
      .execute();
    await db.schema.createIndex('flow_runs_ws').on('flow_runs').columns(['workspace_id', 'started_at']).execute();
    await db.schema.createIndex('flow_runs_flow').on('flow_runs').columns(['flow_id', 'started_at']).execute();
    await db.schema.createIndex('flow_runs_event').on('flow_runs').columns(['event_id']).execute();

    await db.schema
      .createTable('flow_action_results')
      .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('action_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('request_json', 'text')
      .addColumn('response_json', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('created_at', bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flow_action_results_run').on('flow_action_results').columns(['run_id']).execute();

    await db.schema
      .createTable('locks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', bigint, (c) => c.notNull())
      .execute();
  },
};
