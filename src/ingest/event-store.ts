import type { Database } from '../storage/database.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Selectable } from 'kysely';
import type { WebhookEventsTable } from '../storage/schema.js';
import { newId } from '../util/ids.js';
import { parseJsonOr } from '../util/json.js';
import { deliveryKey } from './delivery-key.js';
import { extractMetadata } from './metadata.js';

export const JOB_PROCESS_EVENT = 'webhook.process';

export interface IncomingEvent {
  workspaceId: string;
  /** `clockify` or `custom:<sourceId>`. */
  source: string;
  eventType: string;
  payload: unknown;
  /** Request headers with secrets already removed. */
  headers: Record<string, string>;
  deliveryId?: string;
}

export type StoreResult = { status: 'stored'; eventId: string } | { status: 'duplicate'; eventId: string };

export interface StoredEvent {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  status: WebhookEventsTable['status'];
  receivedAt: number;
  processedAt: number | null;
  duplicates: number;
  userId: string | null;
  projectId: string | null;
  timeEntryId: string | null;
  clientId: string | null;
  tagIds: string[];
  error: string | null;
  triggered: unknown;
}

/**
 * Persists a webhook and enqueues its processing in one transaction: once this resolves the event
 * is durable and will be processed, so the sender may be answered 200. A delivery already seen
 * within the dedup window is only counted.
 */
export class EventStore {
  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
    private readonly options: { dedupWindowMs: number; now: () => number },
  ) {}

  async store(event: IncomingEvent): Promise<StoreResult> {
    const now = this.options.now();
    const key = deliveryKey(event);
    const eventId = newId(now);
    const metadata = extractMetadata(event.eventType, event.payload);
    const cutoff = now - this.options.dedupWindowMs;
    const result = await this.database.db.transaction().execute(async (trx) => {
      // Claim the key unless a live claim exists; an expired claim (older than the window) is taken over.
      const claimed = await trx
        .insertInto('webhook_dedup')
        .values({ delivery_key: key, event_id: eventId, first_seen_at: now })
        .onConflict((oc) => oc.column('delivery_key').doUpdateSet({ event_id: eventId, first_seen_at: now }).where('webhook_dedup.first_seen_at', '<', cutoff))
        .returning('event_id')
        .executeTakeFirst();
      if (!claimed || claimed.event_id !== eventId) {
        const existing = await trx.selectFrom('webhook_dedup').select('event_id').where('delivery_key', '=', key).executeTakeFirstOrThrow();
        await trx.updateTable('webhook_events').set((eb) => ({ duplicates: eb('duplicates', '+', 1) })).where('id', '=', existing.event_id).execute();
        return { status: 'duplicate' as const, eventId: existing.event_id };
      }
      await trx
        .insertInto('webhook_events')
        .values({
          id: eventId,
          workspace_id: event.workspaceId,
          source: event.source,
          event_type: event.eventType,
          delivery_key: key,
          payload_json: JSON.stringify(event.payload ?? null),
          headers_json: JSON.stringify(event.headers),
          user_id: metadata.userId,
          project_id: metadata.projectId,
          time_entry_id: metadata.timeEntryId,
          client_id: metadata.clientId,
          tag_ids: metadata.tagIds.length > 0 ? JSON.stringify(metadata.tagIds) : null,
          status: 'received',
          triggered_json: null,
          error: null,
          received_at: now,
          processed_at: null,
        })
        .execute();
      await this.queue.enqueue({ kind: JOB_PROCESS_EVENT, workspaceId: event.workspaceId, payload: { eventId }, priority: 1 }, trx);
      return { status: 'stored' as const, eventId };
    });
    if (result.status === 'stored') this.queue.notify();
    return result;
  }

  async get(workspaceId: string, id: string): Promise<(StoredEvent & { payload: unknown; headers: Record<string, string> }) | undefined> {
    const row = await this.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return row ? { ...toStoredEvent(row), payload: parseJsonOr(row.payload_json, null), headers: parseJsonOr(row.headers_json, {}) } : undefined;
  }

  /** Newest first; `before` is the cursor (an event id) returned as `nextCursor`. */
  async list(workspaceId: string, filter: { types?: string[]; status?: string; source?: string; from?: number; to?: number; before?: string; limit: number }): Promise<{ events: StoredEvent[]; nextCursor: string | null }> {
    let query = this.database.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.types && filter.types.length > 0) query = query.where('event_type', 'in', filter.types);
    if (filter.status) query = query.where('status', '=', filter.status as WebhookEventsTable['status']);
    if (filter.source) query = query.where('source', '=', filter.source);
    if (filter.from !== undefined) query = query.where('received_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('received_at', '<=', filter.to);
    if (filter.before) query = query.where('id', '<', filter.before);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
    const events = rows.slice(0, filter.limit).map(toStoredEvent);
    return { events, nextCursor: rows.length > filter.limit ? (events[events.length - 1]?.id ?? null) : null };
  }

  async markProcessed(id: string, status: 'processed' | 'failed' | 'skipped', triggered: unknown, error: string | null): Promise<void> {
    await this.database.db
      .updateTable('webhook_events')
      .set({ status, triggered_json: JSON.stringify(triggered ?? null), error, processed_at: this.options.now() })
      .where('id', '=', id)
      .execute();
  }

  async loadForProcessing(id: string) {
    return this.database.db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

export function toStoredEvent(row: Selectable<WebhookEventsTable>): StoredEvent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    source: row.source,
    eventType: row.event_type,
    status: row.status,
    receivedAt: Number(row.received_at),
    processedAt: row.processed_at === null ? null : Number(row.processed_at),
    duplicates: Number(row.duplicates),
    userId: row.user_id,
    projectId: row.project_id,
    timeEntryId: row.time_entry_id,
    clientId: row.client_id,
    tagIds: parseJsonOr(row.tag_ids, []),
    error: row.error,
    triggered: parseJsonOr(row.triggered_json, null),
  };
}
