import { getCatalog } from '../clockify/catalog/index.js';
import { ClockifyApiError } from '../clockify/client/index.js';
import { callOperation } from './workspace-api.js';
import { webhookPath } from '../clockify/manifest.js';
import type { Runtime } from '../runtime.js';
import { eventRoute } from '../editions/index.js';
import type { ClockifyEvent } from '../editions/events.js';
import { RegistrationStore } from './registrations-store.js';
import { InstallationStore } from './installations.js';
import { lockKey } from '../storage/database.js';

export interface DriftEntry {
  event: string;
  route: 'manifest' | 'rest';
  expectedUrl: string;
  /** ok: registered and enabled; missing: should exist and does not; failed: our last attempt failed; disabled: Clockify stopped delivering; unexpected: points at us but is not ours. */
  state: 'ok' | 'missing' | 'pending' | 'failed' | 'disabled' | 'unexpected';
  clockifyWebhookId: string | null;
  detail?: string;
}

interface ClockifyWebhook {
  id: string;
  url: string;
  webhookEvent: string;
  enabled?: boolean;
  deliveryEnabled?: boolean;
  authToken?: string;
}

/** Registers, audits and repairs the webhooks an edition needs beyond the ten its manifest can declare. */
export class WebhookRegistrar {
  private readonly registrations: RegistrationStore;
  private readonly installations: InstallationStore;

  constructor(private readonly runtime: Runtime) {
    this.registrations = new RegistrationStore(runtime.box);
    this.installations = new InstallationStore(runtime.box);
  }

  expectedUrl(event: string): string {
    return this.runtime.editionConfig.baseUrl.replace(/\/+$/, '') + webhookPath(event);
  }

  /** Creates every REST webhook not yet active. Adopts one that already exists at Clockify (a crash after creating it), so nothing is registered twice. */
  async registerMissing(
    workspaceId: string,
  ): Promise<{ registered: string[]; failed: { event: string; error: string; permanent: boolean }[] }> {
    const { runtime } = this;
    const db = runtime.database.db;
    const installation = await this.installations.get(db, workspaceId);
    if (!installation || installation.status === 'DELETED') return { registered: [], failed: [] };
    const wanted = (await this.registrations.list(db, workspaceId)).filter(
      (r) => r.route === 'rest' && (r.status !== 'active' || !r.hasToken),
    );
    if (wanted.length === 0) return { registered: [], failed: [] };
    const existing = await this.listAtClockify(workspaceId);
    const registered: string[] = [];
    const failed: { event: string; error: string; permanent: boolean }[] = [];
    for (const registration of wanted) {
      const url = this.expectedUrl(registration.event);
      try {
        let webhook = existing.find((w) => w.url === url && w.webhookEvent === registration.event);
        if (webhook && !webhook.authToken)
          webhook = await this.call(workspaceId, 'generateNewToken', { workspaceId, webhookId: webhook.id }).then((body) => ({
            ...webhook!,
            ...(body as object),
          }));
        webhook ??= (await this.call(
          workspaceId,
          'createWebhook',
          { workspaceId },
          {
            name: registration.event.slice(0, 30),
            url,
            webhookEvent: registration.event,
            triggerSourceType: 'WORKSPACE_ID',
            triggerSource: [workspaceId],
          },
        )) as ClockifyWebhook;
        if (!webhook?.authToken) throw new Error('Clockify returned no authToken for the webhook');
        const token = webhook.authToken;
        const stored = await db.transaction().execute(async (trx) => {
          // Under the lifecycle lock: an uninstall that happened meanwhile wins, and no token is written back.
          await lockKey(trx, runtime.database.dialect, `lifecycle:${workspaceId}`);
          const current = await this.installations.get(trx, workspaceId);
          if (!current || current.status === 'DELETED' || current.addonId !== installation.addonId) return false;
          await this.registrations.upsert(trx, {
            workspaceId,
            event: registration.event,
            route: 'rest',
            url,
            token,
            clockifyWebhookId: webhook!.id,
            status: 'active',
            now: runtime.now(),
          });
          return true;
        });
        if (!stored) return { registered, failed };
        registered.push(registration.event);
      } catch (error) {
        const permanent = error instanceof ClockifyApiError && [400, 403, 404].includes(error.status);
        const message = error instanceof Error ? error.message : String(error);
        await this.registrations.markFailed(db, workspaceId, registration.event, message, runtime.now());
        failed.push({ event: registration.event, error: message, permanent });
      }
    }
    return { registered, failed };
  }

  /** Compares what should exist with what Clockify lists. */
  async drift(workspaceId: string): Promise<{ entries: DriftEntry[]; checkedAtClockify: boolean; error?: string }> {
    const db = this.runtime.database.db;
    const ours = await this.registrations.list(db, workspaceId);
    let remote: ClockifyWebhook[] = [];
    let checkedAtClockify = true;
    let error: string | undefined;
    try {
      remote = await this.listAtClockify(workspaceId);
    } catch (cause) {
      checkedAtClockify = false;
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const entries: DriftEntry[] = this.runtime.edition.events.map((event) => {
      const route = eventRoute(this.runtime.edition, event as ClockifyEvent) ?? 'rest';
      const expectedUrl = this.expectedUrl(event);
      const mine = ours.find((r) => r.event === event);
      if (route === 'manifest') {
        return {
          event,
          route,
          expectedUrl,
          state: mine?.hasToken ? 'ok' : 'missing',
          clockifyWebhookId: null,
          ...(mine?.hasToken ? {} : { detail: 'Clockify sent no token for this manifest webhook at install.' }),
        };
      }
      const atClockify =
        remote.find((w) => w.id === mine?.clockifyWebhookId) ?? remote.find((w) => w.url === expectedUrl && w.webhookEvent === event);
      if (!mine || mine.status === 'pending')
        return {
          event,
          route,
          expectedUrl,
          state: checkedAtClockify && atClockify ? 'pending' : mine ? 'pending' : 'missing',
          clockifyWebhookId: atClockify?.id ?? null,
        };
      if (mine.status === 'failed')
        return {
          event,
          route,
          expectedUrl,
          state: 'failed',
          clockifyWebhookId: mine.clockifyWebhookId,
          detail: mine.lastError ?? undefined,
        };
      if (checkedAtClockify && !atClockify)
        return {
          event,
          route,
          expectedUrl,
          state: 'missing',
          clockifyWebhookId: mine.clockifyWebhookId,
          detail: 'Clockify no longer lists this webhook.',
        };
      if (atClockify && (atClockify.enabled === false || atClockify.deliveryEnabled === false))
        return {
          event,
          route,
          expectedUrl,
          state: 'disabled',
          clockifyWebhookId: atClockify.id,
          detail: 'Clockify disabled delivery (too many failures or plan limits).',
        };
      return { event, route, expectedUrl, state: 'ok', clockifyWebhookId: mine.clockifyWebhookId };
    });
    const known = new Set(ours.map((r) => r.clockifyWebhookId).filter(Boolean));
    // Manifest webhooks are Clockify's own doing: listed, but never ours to register or remove.
    const manifestUrls = new Set(this.runtime.edition.manifestEvents.map((event) => `${event} ${this.expectedUrl(event)}`));
    const base = this.runtime.editionConfig.baseUrl.replace(/\/+$/, '');
    for (const webhook of remote) {
      if (manifestUrls.has(`${webhook.webhookEvent} ${webhook.url}`)) continue;
      if (webhook.url.startsWith(base + '/webhooks/') && !known.has(webhook.id)) {
        entries.push({
          event: webhook.webhookEvent,
          route: 'rest',
          expectedUrl: webhook.url,
          state: 'unexpected',
          clockifyWebhookId: webhook.id,
          detail: 'Points at this add-on but is not one of its registrations (a duplicate?).',
        });
      }
    }
    return { entries, checkedAtClockify, ...(error ? { error } : {}) };
  }

  /** Marks every REST webhook that is not ok as pending, removes unexpected duplicates and registers again. */
  async repair(workspaceId: string) {
    const before = await this.drift(workspaceId);
    const db = this.runtime.database.db;
    for (const entry of before.entries) {
      if (entry.route !== 'rest') continue;
      if (entry.state === 'unexpected' && entry.clockifyWebhookId) {
        await this.call(workspaceId, 'deleteWebhook', { workspaceId, webhookId: entry.clockifyWebhookId }).catch(() => undefined);
      } else if (entry.state !== 'ok') {
        if (entry.state === 'disabled' && entry.clockifyWebhookId)
          await this.call(workspaceId, 'deleteWebhook', { workspaceId, webhookId: entry.clockifyWebhookId }).catch(() => undefined);
        await this.registrations.upsert(db, {
          workspaceId,
          event: entry.event,
          route: 'rest',
          url: entry.expectedUrl,
          token: null,
          status: 'pending',
          now: this.runtime.now(),
        });
      }
    }
    const result = await this.registerMissing(workspaceId);
    return { ...result, report: await this.drift(workspaceId) };
  }

  private async listAtClockify(workspaceId: string): Promise<ClockifyWebhook[]> {
    const installation = await this.installations.get(this.runtime.database.db, workspaceId);
    if (!installation) return [];
    const body = (await this.call(workspaceId, 'getAddonWebhooks', { workspaceId, addonId: installation.addonId })) as
      { webhooks?: ClockifyWebhook[] } | ClockifyWebhook[];
    return Array.isArray(body) ? body : (body?.webhooks ?? []);
  }

  private async call(workspaceId: string, operationId: string, params: Record<string, unknown>, body?: unknown): Promise<unknown> {
    const operation = getCatalog().get(operationId);
    if (!operation) throw new Error(`operation ${operationId} missing from the catalog`);
    // The interactive lane: a one-off burst at install that should not wait behind (or slow down) the bootstrap's background budget.
    const { response } = await callOperation(this.runtime, {
      workspaceId,
      operation,
      input: { params, ...(body === undefined ? {} : { body }) },
      lane: 'interactive',
      source: 'system',
    });
    return response.body;
  }
}
