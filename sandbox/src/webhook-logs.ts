import { objectId } from './data/workspace.js';

/** Clockify keeps a webhook's delivery log for 7 days. */
export const WEBHOOK_LOG_RETENTION_MS = 7 * 24 * 3600_000;

/** One delivery attempt of a webhook, as `getLogsForWebhook` returns it (WebhookLogDtoV1), plus when it happened. */
export interface WebhookLogEntry {
  id: string;
  webhookId: string;
  /** The event being delivered: every attempt (retry) of one event shares it. */
  webhookEventStatusId: string;
  /** The payload exactly as sent. */
  requestBody: string;
  /** The add-on's answer; 0 when none came (refused connection, timeout). */
  statusCode: number;
  responseBody: string;
  /** Epoch ms of the answer (or of giving up on it). */
  at: number;
}

export interface WebhookLogQuery {
  from?: number;
  to?: number;
  status: 'ALL' | 'SUCCEEDED' | 'FAILED';
  sortByNewest: boolean;
  page: number;
  size: number;
}

/** Every webhook delivery attempt, kept per webhook for WEBHOOK_LOG_RETENTION_MS. */
export class WebhookLogStore {
  private readonly byWebhook = new Map<string, WebhookLogEntry[]>();

  constructor(private readonly now: () => number = Date.now) {}

  record(input: Omit<WebhookLogEntry, 'id' | 'at'>): void {
    const entries = this.byWebhook.get(input.webhookId) ?? [];
    const at = this.now();
    // Older than the retention: gone, as at Clockify.
    while (entries.length > 0 && entries[0]!.at < at - WEBHOOK_LOG_RETENTION_MS) entries.shift();
    entries.push({ id: objectId(), at, ...input });
    this.byWebhook.set(input.webhookId, entries);
  }

  search(webhookId: string, query: WebhookLogQuery): WebhookLogEntry[] {
    const cutoff = this.now() - WEBHOOK_LOG_RETENTION_MS;
    const matching = (this.byWebhook.get(webhookId) ?? []).filter(
      (entry) =>
        entry.at >= cutoff &&
        (query.from === undefined || entry.at >= query.from) &&
        (query.to === undefined || entry.at <= query.to) &&
        (query.status === 'ALL' || (query.status === 'SUCCEEDED') === succeeded(entry)),
    );
    if (query.sortByNewest) matching.reverse();
    return matching.slice(query.page * query.size, (query.page + 1) * query.size);
  }

  forgetWebhook(webhookId: string): void {
    this.byWebhook.delete(webhookId);
  }
}

export function succeeded(entry: WebhookLogEntry): boolean {
  return entry.statusCode >= 200 && entry.statusCode < 300;
}
