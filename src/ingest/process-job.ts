import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import { parseJsonOr } from '../util/json.js';
import { sharedLoads } from '../util/shared-loads.js';
import type { ConsumeContext, ProcessableEvent } from '../events/consumers.js';
import type { EventStore, ProcessingOutcome, ProcessingRow } from './event-store.js';

const UNINSTALLED = 'the add-on was uninstalled before the event was processed';

/** The events a processing job covers: a batch committed together, or one event (jobs queued before batching). */
export function eventIdsOf(payload: unknown): string[] {
  const { eventIds, eventId } = (payload ?? {}) as { eventIds?: unknown; eventId?: unknown };
  if (Array.isArray(eventIds)) return eventIds.filter((id): id is string => typeof id === 'string');
  return typeof eventId === 'string' ? [eventId] : [];
}

/**
 * Runs every consumer on each event of a batch, in the order received, and records what each
 * triggered. The outcomes of a batch are written together. A consumer that throws fails its event:
 * the others are recorded, and the job is retried for the failed ones only (a recorded event is not
 * run again), which is safe because consumers are idempotent. After the last attempt the failures
 * are recorded as failed.
 */
export function processEventJob(runtime: Pick<Runtime, 'consumers' | 'now' | 'metrics' | 'bus'>, events: EventStore): JobHandler {
  return async (job, { signal }) => {
    const rows = await events.loadForProcessing(eventIdsOf(job.payload));
    const context: ConsumeContext = {
      signal,
      once: sharedLoads(),
    };
    const outcomes: ProcessingOutcome[] = [];
    const finished: { row: ProcessingRow; status: 'processed' | 'failed' }[] = [];
    const retry: string[] = [];
    for (const row of rows) {
      if (row.status === 'processed' || row.status === 'skipped') continue;
      if (!row.installation_status || row.installation_status === 'DELETED') {
        outcomes.push({ id: row.id, status: 'skipped', triggered: null, error: UNINSTALLED });
        continue;
      }
      const event = lazyEvent(row);
      const triggered: Record<string, unknown> = {};
      const failures: string[] = [];
      for (const consumer of runtime.consumers) {
        try {
          triggered[consumer.name] = await consumer.consume(event, context);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          triggered[consumer.name] = { error: message };
          failures.push(`${consumer.name}: ${message}`);
        }
      }
      if (failures.length > 0 && job.attempts < job.maxAttempts) {
        retry.push(`${row.id}: ${failures.join('; ')}`);
        continue;
      }
      const status = failures.length > 0 ? 'failed' : 'processed';
      outcomes.push({ id: row.id, status, triggered, error: failures.length > 0 ? failures.join('; ') : null });
      finished.push({ row, status });
    }
    // The outcomes and the job's completion commit together; with failures left to retry the job stays claimed, and fails below.
    const completed = await events.markProcessed(outcomes, retry.length === 0 ? job : undefined);
    const now = runtime.now();
    // A lost claim wrote nothing: the worker that took the job over records and announces these events.
    for (const { row, status } of completed ? finished : []) {
      runtime.metrics.webhookProcessing.observe({ event_type: row.event_type }, (now - Number(row.received_at)) / 1000);
      runtime.bus.publish({
        kind: 'webhook',
        workspaceId: row.workspace_id,
        data: { id: row.id, eventType: row.event_type, userId: row.user_id, status },
      });
    }
    if (retry.length > 0) throw new Error(retry.join(' | '));
    return { completed };
  };
}

/** The event as consumers see it; its payload is parsed only if one of them reads it (most events match no flow). */
function lazyEvent(row: ProcessingRow): ProcessableEvent {
  let payload: unknown;
  let parsed = false;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    source: row.source,
    eventType: row.event_type,
    receivedAt: Number(row.received_at),
    get payload() {
      if (!parsed) {
        payload = parseJsonOr(row.payload_json, null);
        parsed = true;
      }
      return payload;
    },
  };
}
