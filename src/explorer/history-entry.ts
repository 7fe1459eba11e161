import type { Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/schema.js';
import { parseJsonOr } from '../util/json.js';

/** One explorer call as the history and the call view show it: who ran what, with which input, and how it went. */
export function historyEntry(row: Selectable<DatabaseSchema['api_calls']>) {
  return {
    id: row.id,
    operationId: row.operation_id,
    method: row.method,
    url: row.url,
    status: row.status,
    durationMs: row.duration_ms,
    attempts: row.attempts,
    error: row.error,
    input: parseJsonOr(row.request_json, null),
    userId: row.user_id,
    createdAt: Number(row.created_at),
  };
}
