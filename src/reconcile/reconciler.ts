import { getCatalog } from '../clockify/catalog/index.js';
import { callOperation } from '../lifecycle/workspace-api.js';
import type { Runtime } from '../runtime.js';
import type { EventStore } from '../ingest/event-store.js';
import { InstallationStore } from '../lifecycle/installations.js';
import { RegistrationStore } from '../lifecycle/registrations-store.js';
import type { ReconciliationStore } from './store.js';

/** Clockify keeps a webhook's delivery log for 7 days: nothing older can be read. */
export const DELIVERY_LOG_RETENTION_MS = 7 * 24 * 3600_000;
/** Each run reads again a little before the last one ended: clocks differ, and deduplication makes the overlap free. */
export const OVERLAP_MS = 5 * 60_000;
/** Log entries per page (Clockify's default and our page size). */
export const LOG_PAGE_SIZE = 50;
/** Pages one run reads per webhook at most; the rest waits for the next run (the run's end moves only as far as it read). */
export const MAX_PAGES_PER_WEBHOOK = 40;

export interface WebhookLog {
  id?: string;
  webhookId?: string;
  webhookEventStatusId?: string;
  requestBody?: string;
  statusCode?: number;
  respondedAt?: string;
}

export interface ReconcileDeps {
  runtime: Runtime;
  events: EventStore;
  store: ReconciliationStore;
  /** Told of each delivery recovered (metrics, live view). */
  onRecovered?: (workspaceId: string, eventType: string, eventId: string) => void;
}

export interface ReconcileResult {
  webhooks: number;
  /** Failed deliveries read from the logs. */
  read: number;
  /** Of those, stored now (the others had arrived after all, or were read before). */
  recovered: number;
  /** Failed deliveries up to this instant are covered. */
  until: number;
}

/** The window of the next run: from a little before the last run's end (or the install), at most 7 days back, to now. */
export function readWindow(input: { now: number; lastReconciledAt: number | null; installedAt: number }): { from: number; to: number } {
  const start = (input.lastReconciledAt ?? input.installedAt) - OVERLAP_MS;
  return { from: Math.max(start, input.now - DELIVERY_LOG_RETENTION_MS + 60_000), to: input.now };
}

/**
 * The payload of a logged delivery, when it is one this installation may take: a JSON object or
 * array whose `workspaceId` (when it has one) is the installation's own.
 */
export function payloadOf(log: WebhookLog, workspaceId: string): { payload: unknown; text: string } | undefined {
  if (typeof log.requestBody !== 'string' || log.requestBody === '') return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(log.requestBody);
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object') return undefined;
  const claimed = (payload as { workspaceId?: unknown }).workspaceId;
  if (typeof claimed === 'string' && claimed !== workspaceId) return undefined;
  return { payload, text: log.requestBody };
}

interface WebhookToRead {
  id: string;
  event: string;
}

/**
 * Reads the FAILED deliveries of every webhook of this edition in the workspace since the last run,
 * and ingests them through the normal path (deduplication drops those that arrived after all). Calls
 * go through the workspace's background budget. Undefined when the installation is not active.
 */
export async function reconcileWorkspace(
  deps: ReconcileDeps,
  workspaceId: string,
  signal?: AbortSignal,
): Promise<ReconcileResult | undefined> {
  const { runtime, events, store } = deps;
  const installation = await new InstallationStore(runtime.box).get(runtime.database.db, workspaceId);
  if (!installation || installation.status !== 'ACTIVE') return undefined;
  const state = await store.get(workspaceId);
  const window = readWindow({
    now: runtime.now(),
    lastReconciledAt: state?.lastReconciledAt ?? null,
    installedAt: installation.installedAt,
  });
  const webhooks = await webhooksToRead(runtime, workspaceId, installation.addonId, signal);
  let until = window.to;
  let read = 0;
  let recovered = 0;
  for (const webhook of webhooks) {
    for (let page = 0; ; page += 1) {
      signal?.throwIfAborted();
      const logs = (await call(
        runtime,
        workspaceId,
        'getLogsForWebhook',
        { workspaceId, webhookId: webhook.id, page, size: LOG_PAGE_SIZE },
        signal,
        {
          from: iso(window.from),
          to: iso(window.to),
          status: 'FAILED',
          sortByNewest: false,
        },
      )) as WebhookLog[] | undefined;
      const entries = Array.isArray(logs) ? logs : [];
      read += entries.length;
      // One page at a time through the store: its group commit takes the page in one transaction.
      const results = await Promise.all(
        entries.map(async (log) => {
          const delivery = payloadOf(log, workspaceId);
          if (!delivery) return undefined;
          const result = await events.store({
            workspaceId,
            source: 'clockify',
            eventType: webhook.event,
            payload: delivery.payload,
            payloadText: delivery.text,
            headers: { 'x-recovered-from': 'clockify-webhook-log' },
          });
          return result.status === 'stored' ? result.eventId : undefined;
        }),
      );
      for (const eventId of results) {
        if (!eventId) continue;
        recovered += 1;
        deps.onRecovered?.(workspaceId, webhook.event, eventId);
      }
      if (entries.length < LOG_PAGE_SIZE) break;
      if (page + 1 >= MAX_PAGES_PER_WEBHOOK) {
        // More than a run reads: the next run starts where this one stopped for this webhook.
        const last = Date.parse(entries[entries.length - 1]?.respondedAt ?? '');
        until = Math.min(until, Number.isNaN(last) ? window.from + OVERLAP_MS : last);
        break;
      }
    }
  }
  await store.succeeded(workspaceId, { until, recovered, now: runtime.now() });
  return { webhooks: webhooks.length, read, recovered, until };
}

/**
 * The webhooks of this edition in the workspace: those Clockify lists for the add-on (its manifest
 * webhooks and the ones it registered) whose URL points at this edition, and the registrations we
 * keep ourselves, should the listing miss one.
 */
async function webhooksToRead(runtime: Runtime, workspaceId: string, addonId: string, signal?: AbortSignal): Promise<WebhookToRead[]> {
  const subscribed = new Set<string>(runtime.edition.events);
  const base = runtime.editionConfig.baseUrl.replace(/\/+$/, '') + '/webhooks/';
  const listed = (await call(runtime, workspaceId, 'getAddonWebhooks', { workspaceId, addonId }, signal)) as
    { webhooks?: { id?: string; url?: string; webhookEvent?: string }[] } | undefined;
  const found = new Map<string, WebhookToRead>();
  for (const webhook of listed?.webhooks ?? []) {
    if (!webhook.id || !webhook.webhookEvent || !subscribed.has(webhook.webhookEvent)) continue;
    if (typeof webhook.url === 'string' && !webhook.url.startsWith(base)) continue;
    found.set(webhook.id, { id: webhook.id, event: webhook.webhookEvent });
  }
  for (const registration of await new RegistrationStore(runtime.box).list(runtime.database.db, workspaceId)) {
    if (registration.clockifyWebhookId && registration.status === 'active' && !found.has(registration.clockifyWebhookId)) {
      found.set(registration.clockifyWebhookId, { id: registration.clockifyWebhookId, event: registration.event });
    }
  }
  return [...found.values()];
}

async function call(
  runtime: Runtime,
  workspaceId: string,
  operationId: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
  body?: unknown,
): Promise<unknown> {
  const operation = getCatalog().get(operationId);
  if (!operation) throw new Error(`operation ${operationId} missing from the catalog`);
  const { response } = await callOperation(runtime, {
    workspaceId,
    operation,
    input: { params, ...(body === undefined ? {} : { body }) },
    lane: 'background',
    source: 'system',
    signal,
  });
  return response.body;
}

/** Clockify's date-time form: yyyy-MM-ddThh:mm:ssZ. */
function iso(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
