import { eventFromSlug } from '../editions/events.js';
import { restRegisteredEvents } from '../editions/index.js';
import { webhookPath } from '../clockify/manifest.js';
import type { ClockifyClaims } from '../clockify/tokens.js';
import type { Runtime } from '../runtime.js';
import { lockKey } from '../storage/database.js';
import type { Tx } from '../storage/database.js';
import { DomainError } from '../errors/domain-error.js';
import { InstallationStore } from './installations.js';
import type { Installation } from './installations.js';
import { RegistrationStore } from './registrations-store.js';
import { effectiveSettings, parseSettingsUpdate } from './settings.js';
import type { DeletedBody, InstalledBody, SettingsUpdatedBody, StatusChangedBody } from './schemas.js';

export type LifecycleOutcome = 'applied' | 'ignored-stale' | 'ignored-not-installed' | 'ignored-already-deleted';

export const JOB_REGISTER_WEBHOOKS = 'webhooks.register';
export const JOB_UNREGISTER_WEBHOOKS = 'webhooks.unregister';
export const JOB_PURGE_WORKSPACE = 'workspace.purge';

/** URL claims worth keeping with an installation (no secrets among them). */
const URL_CLAIMS = ['backendUrl', 'reportsUrl', 'locationsUrl', 'screenshotsUrl', 'auditLogUrl', 'ptoUrl'] as const;

/**
 * Applies Clockify's lifecycle events. Each runs in one transaction holding the workspace's lock,
 * so events of one workspace apply one at a time and in order even across instances; an event
 * whose token is older than the last one applied (a replay, or a late retry) changes nothing.
 */
export class LifecycleService {
  readonly installations: InstallationStore;
  readonly registrations: RegistrationStore;

  constructor(private readonly runtime: Runtime) {
    this.installations = new InstallationStore(runtime.box);
    this.registrations = new RegistrationStore(runtime.box);
  }

  async installed(
    body: InstalledBody,
    lifecycle: ClockifyClaims,
    installation: ClockifyClaims,
    webhookTokens: { path: string; token: string }[],
  ): Promise<LifecycleOutcome> {
    const { runtime } = this;
    const lifecycleAt = orderingTime(lifecycle, runtime.now());
    const outcome = await this.inWorkspaceTransaction(body.workspaceId, async (trx) => {
      const existing = await this.installations.get(trx, body.workspaceId);
      if (existing && lifecycleAt > 0 && lifecycleAt < appliedUpTo(existing, runtime.now())) return 'ignored-stale' as const;
      const now = runtime.now();
      const urlClaims = Object.fromEntries(
        URL_CLAIMS.filter((name) => typeof installation[name] === 'string').map((name) => [name, installation[name] as string]),
      );
      await this.installations.saveInstalled(trx, {
        workspaceId: body.workspaceId,
        addonId: body.addonId,
        addonKey: runtime.editionConfig.key,
        token: body.authToken,
        ownerUserId: installation.user ?? body.asUser ?? null,
        backendUrl: installation.backendUrl ?? body.apiUrl ?? runtime.config.clockify.apiBaseUrl,
        reportsUrl: installation.reportsUrl ?? null,
        apiUrl: body.apiUrl ?? null,
        urlClaims,
        lifecycleAt,
        now,
      });
      // A reinstall replaces every token of the previous installation.
      await this.registrations.deleteAll(trx, body.workspaceId);
      for (const { path, token } of webhookTokens) {
        const event = eventOfWebhookPath(path);
        if (!event || !runtime.edition.manifestEvents.includes(event)) {
          runtime.logger.warn(
            { workspaceId: body.workspaceId, path: path.slice(0, 200) },
            'INSTALLED named a webhook path this edition does not declare; ignored',
          );
          continue;
        }
        await this.registrations.upsert(trx, {
          workspaceId: body.workspaceId,
          event,
          route: 'manifest',
          url: absoluteUrl(runtime.editionConfig.baseUrl, webhookPath(event)),
          token,
          status: 'active',
          now,
        });
      }
      const restEvents = restRegisteredEvents(runtime.edition);
      for (const event of restEvents) {
        await this.registrations.upsert(trx, {
          workspaceId: body.workspaceId,
          event,
          route: 'rest',
          url: absoluteUrl(runtime.editionConfig.baseUrl, webhookPath(event)),
          token: null,
          status: 'pending',
          now,
        });
      }
      if (restEvents.length > 0) {
        await runtime.queue.enqueue(
          {
            kind: JOB_REGISTER_WEBHOOKS,
            workspaceId: body.workspaceId,
            dedupeKey: `${JOB_REGISTER_WEBHOOKS}:${body.workspaceId}`,
            maxAttempts: 8,
          },
          trx,
        );
      }
      for (const hook of runtime.hooks.installed) await hook(trx, body.workspaceId);
      return 'applied' as const;
    });
    runtime.queue.notify();
    return outcome;
  }

  async statusChanged(body: StatusChangedBody, lifecycle: ClockifyClaims): Promise<LifecycleOutcome> {
    const lifecycleAt = orderingTime(lifecycle, this.runtime.now());
    const outcome = await this.inWorkspaceTransaction(body.workspaceId, async (trx) => {
      const existing = await this.installations.get(trx, body.workspaceId);
      const now = this.runtime.now();
      const skipped = skipReason(existing, lifecycleAt, now);
      if (skipped || !existing) return skipped ?? 'ignored-not-installed';
      await this.installations.setStatus(trx, body.workspaceId, body.status, Math.max(lifecycleAt, appliedUpTo(existing, now)), now);
      return 'applied' as const;
    });
    // Jobs that waited while the workspace was paused may run now.
    if (body.status === 'ACTIVE') this.runtime.queue.notify();
    return outcome;
  }

  async settingsUpdated(body: SettingsUpdatedBody, lifecycle: ClockifyClaims): Promise<LifecycleOutcome> {
    const parsed = parseSettingsUpdate(this.runtime.edition, body.settings);
    if (parsed.problems.length > 0)
      throw new DomainError('invalid-settings', 'Some settings have values of the wrong type.', parsed.problems);
    const lifecycleAt = orderingTime(lifecycle, this.runtime.now());
    const outcome = await this.inWorkspaceTransaction(body.workspaceId, async (trx) => {
      const existing = await this.installations.get(trx, body.workspaceId);
      const now = this.runtime.now();
      const skipped = skipReason(existing, lifecycleAt, now);
      if (skipped || !existing) return skipped ?? 'ignored-not-installed';
      await this.installations.setSettings(
        trx,
        body.workspaceId,
        { ...existing.settings, ...parsed.values },
        Math.max(lifecycleAt, appliedUpTo(existing, now)),
        now,
      );
      return 'applied' as const;
    });
    // After the commit: a read (a job's rate-limit budget, say) between an earlier invalidation and the commit would have cached the old values for seconds.
    this.runtime.invalidateSettings(body.workspaceId);
    return outcome;
  }

  async deleted(body: DeletedBody, lifecycle: ClockifyClaims): Promise<LifecycleOutcome> {
    const { runtime } = this;
    const lifecycleAt = orderingTime(lifecycle, this.runtime.now());
    const outcome = await this.inWorkspaceTransaction(body.workspaceId, async (trx) => {
      const existing = await this.installations.get(trx, body.workspaceId);
      const skipped = skipReason(existing, lifecycleAt, this.runtime.now());
      if (skipped || !existing) return skipped ?? 'ignored-not-installed';
      const now = runtime.now();
      const settings = effectiveSettings(runtime.edition, runtime.editionConfig.settingDefaults, existing.settings);
      const sealedToken = (
        await trx.selectFrom('installations').select('token_ciphertext').where('workspace_id', '=', body.workspaceId).executeTakeFirst()
      )?.token_ciphertext;
      const registered = (await this.registrations.list(trx, body.workspaceId)).filter((r) => r.route === 'rest' && r.clockifyWebhookId);

      await runtime.queue.cancelPending(body.workspaceId, undefined, trx);
      for (const hook of runtime.hooks.deleted) await hook(trx, body.workspaceId);
      await this.installations.markDeleted(trx, body.workspaceId, Math.max(lifecycleAt, appliedUpTo(existing, now)), now);
      await this.registrations.dropTokens(trx, body.workspaceId, now);
      if (registered.length > 0 && sealedToken) {
        // Clockify may already have invalidated the token; the job tries once per webhook and gives up quietly.
        await runtime.queue.enqueue(
          {
            kind: JOB_UNREGISTER_WEBHOOKS,
            workspaceId: body.workspaceId,
            payload: { sealedToken, backendUrl: existing.backendUrl, webhookIds: registered.map((r) => r.clockifyWebhookId) },
            maxAttempts: 2,
          },
          trx,
        );
      }
      if (settings.delete_data_on_uninstall !== false) {
        await runtime.queue.enqueue(
          { kind: JOB_PURGE_WORKSPACE, workspaceId: body.workspaceId, dedupeKey: `${JOB_PURGE_WORKSPACE}:${body.workspaceId}` },
          trx,
        );
      }
      return 'applied' as const;
    });
    runtime.queue.notify();
    return outcome;
  }

  private inWorkspaceTransaction<T>(workspaceId: string, work: (trx: Tx) => Promise<T>): Promise<T> {
    return this.runtime.database.db.transaction().execute(async (trx) => {
      await lockKey(trx, this.runtime.database.dialect, `lifecycle:${workspaceId}`);
      return work(trx);
    });
  }
}

/** Why an event for an existing installation changes nothing: none yet, already uninstalled, or older than what was applied. */
function skipReason(existing: Installation | undefined, lifecycleAt: number, now: number): LifecycleOutcome | undefined {
  if (!existing) return 'ignored-not-installed';
  if (existing.status === 'DELETED') return 'ignored-already-deleted';
  if (lifecycleAt > 0 && lifecycleAt < appliedUpTo(existing, now)) return 'ignored-stale';
  return undefined;
}

/**
 * Where a lifecycle event sits in the workspace's order: its token's `iat` (seconds; 0 when absent,
 * no ordering possible), but never later than our own clock. The verifier refuses tokens dated
 * beyond the clock skew; within it, a token from a clock running ahead must not push the mark past
 * the events Clockify sends next, or they would all be ignored as stale.
 */
function orderingTime(claims: ClockifyClaims, now: number): number {
  return typeof claims.iat === 'number' ? Math.min(claims.iat * 1000, now) : 0;
}

/** The last applied event's place in the order; a mark in the future (stored before marks were capped) counts as now. */
function appliedUpTo(existing: Installation, now: number): number {
  return Math.min(existing.lastLifecycleAt, now);
}

/** Clockify sends either the manifest path or the full URL; both end in /webhooks/clockify/<event-slug>. */
export function eventOfWebhookPath(path: string) {
  const match = /\/webhooks\/clockify\/([a-z0-9-]+)\/?(?:\?.*)?$/.exec(path);
  return match?.[1] ? eventFromSlug(match[1]) : undefined;
}

function absoluteUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}
