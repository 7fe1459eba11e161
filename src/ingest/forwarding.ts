import { request as undiciRequest } from 'undici';
import type { Dispatcher } from 'undici';
import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import type { EventConsumer } from '../events/consumers.js';
import { forwardingSecret } from '../lifecycle/forwarding-secret.js';
import { signStandard } from './signatures.js';

export const JOB_FORWARD_EVENT = 'webhook.forward';

/** The forwarding target, when the setting holds an http(s) URL (Clockify needs a non-empty default, so "disabled" means off). */
export function forwardingUrlOf(settings: Record<string, unknown>): string | undefined {
  const raw = typeof settings.forwarding_url === 'string' ? settings.forwarding_url.trim() : '';
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Clockify Add-on edition: every event is relayed, from the queue, to the workspace's forwarding URL. */
export function forwardingConsumer(runtime: Pick<Runtime, 'settingsOf' | 'queue'>): EventConsumer {
  return {
    name: 'forwarding',
    async actsOn({ workspaceId }, { once }) {
      return forwardingUrlOf(await once(`settings:${workspaceId}`, () => runtime.settingsOf(workspaceId))) !== undefined;
    },
    async consume(event, { once }) {
      const url = forwardingUrlOf(await once(`settings:${event.workspaceId}`, () => runtime.settingsOf(event.workspaceId)));
      if (!url) return { forwarded: false, reason: 'forwarding_url is not set' };
      await runtime.queue.enqueue({
        kind: JOB_FORWARD_EVENT,
        workspaceId: event.workspaceId,
        payload: { eventId: event.id },
        maxAttempts: 8,
        dedupeKey: `${JOB_FORWARD_EVENT}:${event.id}`,
      });
      return { forwarded: 'queued' };
    },
  };
}

export function forwardEventJob(
  runtime: Pick<Runtime, 'database' | 'settingsOf' | 'now' | 'editionConfig' | 'box'>,
  dispatcher: () => Dispatcher,
): JobHandler {
  return async (job, { logger, signal }) => {
    const { eventId } = job.payload as { eventId: string };
    const row = await runtime.database.db
      .selectFrom('webhook_events')
      .select(['payload_json', 'event_type', 'received_at'])
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (!row) return;
    const url = forwardingUrlOf(await runtime.settingsOf(job.workspaceId));
    if (!url) return;
    const timestamp = Math.floor(runtime.now() / 1000);
    const body = row.payload_json;
    const started = performance.now();
    try {
      const response = await undiciRequest(url, {
        method: 'POST',
        dispatcher: dispatcher(),
        signal,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
        headers: {
          'content-type': 'application/json',
          'user-agent': `${runtime.editionConfig.key}-forwarder`,
          'webhook-id': eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signStandard(forwardingSecret(runtime, job.workspaceId), eventId, timestamp, body),
          'clockify-webhook-event-type': row.event_type,
        },
        body,
      });
      await response.body.dump();
      const durationMs = Math.round(performance.now() - started);
      if (response.statusCode >= 300) {
        logger.warn({ eventId, status: response.statusCode, durationMs, attempt: job.attempts }, 'forwarding refused by the receiver');
        throw new Error(`receiver answered ${response.statusCode}`);
      }
      logger.info({ eventId, status: response.statusCode, durationMs, attempt: job.attempts }, 'event forwarded');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ eventId, error: message, attempt: job.attempts }, 'forwarding failed');
      throw error;
    }
  };
}
