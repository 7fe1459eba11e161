/**
 * The queue's insert, as SQL text with `?` placeholders: shared by the queue and by the SQLite ingest
 * commit (src/ingest/sqlite-ingest.ts), which runs without the query layer (parameters: kind,
 * workspace_id, payload_json, priority, max_attempts, run_at, dedupe_key, created_at, updated_at).
 */
export const INSERT_JOB_SQL = `INSERT INTO jobs (kind, workspace_id, payload_json, status, priority, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at)
   VALUES (?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`;
