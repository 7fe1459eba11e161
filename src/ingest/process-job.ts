import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import { parseJsonOr } from '../util/json.js';
import type { EventStore } from './event-store.js';

/**
 * Runs every consumer on a stored event and records what each triggered. A consumer that throws
 * fails the attempt; the retry runs them all again, which is safe because consumers are idempotent.
 */
export function processEventJob(runtime: Runtime, events: EventStore): JobHandler {
  return async (job, { signal }) => {
    const { eventId } = job.payload as { eventId: string };
    const row = await events.loadForProcessing(eventId);
    if (!row || row.status === 'processed') return;
    if (!row.installation_status || row.installation_status === 'DELETED') {
      await events.markProcessed(eventId, 'skipped', null, 'the add-on was uninstalled before the event was processed');
      return;
    }
    const event = { id: row.id, workspaceId: row.workspace_id, source: row.source, eventType: row.event_type, payload: parseJsonOr(row.payload_json, null), receivedAt: Number(row.received_at) };
    const triggered: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const consumer of runtime.consumers) {
      try {
        triggered[consumer.name] = await consumer.consume(event, { signal });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        triggered[consumer.name] = { error: message };
        failures.push(`${consumer.name}: ${message}`);
      }
    }
    if (failures.length > 0 && job.attempts < job.maxAttempts) throw new Error(failures.join('; '));
    await events.markProcessed(eventId, failures.length > 0 ? 'failed' : 'processed', triggered, failures.length > 0 ? failures.join('; ') : null);
    runtime.metrics.webhookProcessing.observe({ event_type: row.event_type }, (runtime.now() - Number(row.received_at)) / 1000);
    runtime.bus.publish({ kind: 'webhook', workspaceId: row.workspace_id, data: { id: eventId, eventType: row.event_type, status: failures.length > 0 ? 'failed' : 'processed' } });
  };
}
