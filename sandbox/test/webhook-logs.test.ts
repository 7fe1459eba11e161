/** The sandbox's webhook delivery log: what getLogsForWebhook answers from (filters, paging, 7-day retention). */
import { describe, expect, it } from 'vitest';
import { WEBHOOK_LOG_RETENTION_MS, WebhookLogStore } from '../src/webhook-logs.js';

describe('WebhookLogStore', () => {
  let now = 1_000_000_000_000;
  const store = new WebhookLogStore(() => now);
  const attempt = (status: number, body: string) => {
    store.record({ webhookId: 'w1', webhookEventStatusId: body, requestBody: body, statusCode: status, responseBody: '' });
    now += 1000;
  };
  attempt(0, 'a');
  attempt(503, 'b');
  attempt(200, 'c');
  attempt(500, 'd');
  const all = { status: 'ALL' as const, sortByNewest: false, page: 0, size: 50 };

  it('filters by outcome (no answer counts as failed) and time, oldest first unless asked otherwise', () => {
    expect(store.search('w1', { ...all, status: 'FAILED' }).map((entry) => entry.requestBody)).toEqual(['a', 'b', 'd']);
    expect(store.search('w1', { ...all, status: 'SUCCEEDED' }).map((entry) => entry.requestBody)).toEqual(['c']);
    expect(store.search('w1', { ...all, from: now - 2500 }).map((entry) => entry.requestBody)).toEqual(['c', 'd']);
    expect(store.search('w1', { ...all, sortByNewest: true }).map((entry) => entry.requestBody)).toEqual(['d', 'c', 'b', 'a']);
    expect(store.search('other', all)).toEqual([]);
  });

  it('pages from 0', () => {
    expect(store.search('w1', { ...all, size: 3, page: 1 }).map((entry) => entry.requestBody)).toEqual(['d']);
  });

  it('forgets deliveries older than 7 days', () => {
    // Recorded 4, 3, 2 and 1 s before `now`: after 7 days less 2.5 s, the two oldest are gone.
    now += WEBHOOK_LOG_RETENTION_MS - 2500;
    expect(store.search('w1', all).map((entry) => entry.requestBody)).toEqual(['c', 'd']);
  });
});
