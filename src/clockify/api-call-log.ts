import type { Database } from '../storage/database.js';
import { newId } from '../util/ids.js';
import type { ApiCallRecord } from './client/index.js';
import type { Logger } from '../observability/logger.js';

/** Writes every outgoing call (already redacted by the client) to the API-call log; a failed write never fails the call. */
export function createApiCallLogger(database: Database, logger: Logger) {
  return async (record: ApiCallRecord): Promise<void> => {
    const context = record.context;
    try {
      await database.db
        .insertInto('api_calls')
        .values({
          id: newId(),
          workspace_id: record.workspaceId,
          source: context?.source ?? (record.lane === 'background' ? 'bootstrap' : 'system'),
          operation_id: record.operationId,
          method: record.method,
          url: record.url,
          status: record.status,
          duration_ms: Math.round(record.durationMs),
          attempts: record.attempts,
          error: record.error ?? null,
          request_json: context?.request === undefined ? null : JSON.stringify(context.request),
          response_excerpt: record.responseExcerpt,
          user_id: context?.userId ?? null,
          created_at: Date.now(),
        })
        .execute();
    } catch (error) {
      logger.warn({ err: error }, 'could not record an API call');
    }
    logger.debug(
      {
        workspaceId: record.workspaceId,
        operationId: record.operationId,
        status: record.status,
        durationMs: record.durationMs,
        attempts: record.attempts,
      },
      'clockify call',
    );
  };
}
