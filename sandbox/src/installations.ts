import type { WorkspaceRole } from './data/records.js';
import { objectId, type WorkspaceData } from './data/workspace.js';
import type { DeliveryLog } from './deliveries.js';
import { ClockifyError } from './errors.js';
import { ManifestError, joinUrl, readManifest, type ManifestFacts } from './manifest.js';
import { applySettingValues, settingsFromManifest, settingsPayload, type SettingsTree } from './settings.js';
import type { TokenService } from './tokens.js';
import type { AddonStatus, InstallationInfo, InstallResult, LifecycleResult, UserTokenRequest } from './types.js';
import type { WebhookRegistry } from './webhook-registry.js';

/** One add-on installed in one workspace. `removed` installations stay listed so old tokens get a clean 401. */
export interface Installation {
  addonId: string;
  addonKey: string;
  workspaceId: string;
  manifest: ManifestFacts;
  authToken: string;
  addonUserId: string;
  status: AddonStatus;
  removed: boolean;
  installedAt: Date;
  settings: SettingsTree | undefined;
}

export interface InstallationDeps {
  workspace(id?: string): WorkspaceData;
  tokens: TokenService;
  deliveries: DeliveryLog;
  registry: WebhookRegistry;
  backendUrl: string;
  fetchTimeoutMs: number;
}

/** Clockify's side of the add-on lifecycle: installs, status, settings, uninstalls, and user tokens. */
export class InstallationService {
  private readonly byId = new Map<string, Installation>();

  constructor(private readonly deps: InstallationDeps) {}

  get(addonId: string): Installation | undefined {
    return this.byId.get(addonId);
  }

  /** Live installations. */
  list(): Installation[] {
    return [...this.byId.values()].filter((i) => !i.removed);
  }

  info(installation: Installation): InstallationInfo {
    return {
      addonId: installation.addonId,
      addonKey: installation.addonKey,
      workspaceId: installation.workspaceId,
      baseUrl: installation.manifest.baseUrl,
      status: installation.status,
      installedAt: installation.installedAt.toISOString(),
      webhooks: this.deps.registry.ofAddon(installation.addonId).map((w) => ({ id: w.id, event: w.event, url: w.url })),
    };
  }

  /** The live installation of an add-on key in a workspace (default: the first workspace). */
  find(addonKey: string, workspaceId?: string): Installation {
    const ws = this.deps.workspace(workspaceId);
    const found = this.list().find((i) => i.addonKey === addonKey && i.workspaceId === ws.id);
    if (!found) throw new ClockifyError(404, `Add-on ${addonKey} is not installed in workspace ${ws.id}`);
    return found;
  }

  async install(opts: { manifestUrl?: string; manifest?: object; workspaceId?: string }): Promise<InstallResult> {
    const manifest = this.checkedManifest(opts.manifest ?? (await this.fetchManifest(opts.manifestUrl)));
    const ws = this.deps.workspace(opts.workspaceId);
    // Installing again replaces the old installation: its tokens stop working, new ones are issued.
    for (const old of this.list()) if (old.addonKey === manifest.key && old.workspaceId === ws.id) this.revoke(old);

    const addonId = objectId();
    const subject = { addonKey: manifest.key, addonId, workspaceId: ws.id, userId: ws.ownerId };
    const installation: Installation = {
      addonId,
      addonKey: manifest.key,
      workspaceId: ws.id,
      manifest,
      authToken: await this.deps.tokens.signAddonToken(subject),
      addonUserId: objectId(),
      status: 'ACTIVE',
      removed: false,
      installedAt: new Date(),
      settings: settingsFromManifest(manifest.raw, ws.ownerId),
    };
    const webhooks = [];
    for (const hook of manifest.webhooks) {
      const url = joinUrl(manifest.baseUrl, hook.path);
      const authToken = await this.deps.tokens.signAddonToken(subject);
      this.deps.registry.add({
        id: objectId(),
        workspaceId: ws.id,
        event: hook.event,
        url,
        authToken,
        origin: 'ADDON',
        addonId,
        name: `${manifest.name} ${hook.event}`.slice(0, 30),
        userId: installation.addonUserId,
        triggerSourceType: 'WORKSPACE_ID',
        triggerSource: [ws.id],
        enabled: true,
      });
      webhooks.push({ path: url, webhookType: 'ADDON', authToken });
    }
    // Live before INSTALLED is sent: add-ons often call the API from their INSTALLED handler.
    this.byId.set(addonId, installation);

    const result = await this.callLifecycle(installation, 'INSTALLED', {
      addonId,
      authToken: installation.authToken,
      workspaceId: ws.id,
      asUser: ws.ownerId,
      apiUrl: this.deps.backendUrl,
      addonUserId: installation.addonUserId,
      webhooks,
    });
    const accepted = result.status === undefined ? result.error === undefined : result.status >= 200 && result.status < 300;
    if (!accepted) this.revoke(installation);
    return { ...result, installed: accepted };
  }

  async uninstall(opts: { addonKey: string; workspaceId?: string }): Promise<LifecycleResult> {
    const installation = this.find(opts.addonKey, opts.workspaceId);
    const ws = this.deps.workspace(installation.workspaceId);
    // Tokens are invalid before DELETED arrives: an add-on must not need the API to clean up.
    this.revoke(installation);
    return this.callLifecycle(installation, 'DELETED', {
      addonId: installation.addonId,
      workspaceId: installation.workspaceId,
      asUser: ws.ownerId,
    });
  }

  async setStatus(opts: { addonKey: string; workspaceId?: string; status: AddonStatus }): Promise<LifecycleResult> {
    if (opts.status !== 'ACTIVE' && opts.status !== 'INACTIVE') throw new ClockifyError(400, 'status must be ACTIVE or INACTIVE');
    const installation = this.find(opts.addonKey, opts.workspaceId);
    installation.status = opts.status;
    return this.callLifecycle(installation, 'STATUS_CHANGED', {
      addonId: installation.addonId,
      workspaceId: installation.workspaceId,
      status: opts.status,
    });
  }

  async updateSettings(opts: { addonKey: string; workspaceId?: string; values: Record<string, unknown> }): Promise<LifecycleResult> {
    const installation = this.find(opts.addonKey, opts.workspaceId);
    const tree = installation.settings ?? { tabs: [] };
    try {
      applySettingValues(tree, opts.values ?? {});
    } catch (error) {
      throw new ClockifyError(400, (error as Error).message);
    }
    installation.settings = tree;
    return this.callLifecycle(installation, 'SETTINGS_UPDATED', {
      workspaceId: installation.workspaceId,
      addonId: installation.addonId,
      settings: settingsPayload(tree),
    });
  }

  async userToken(opts: UserTokenRequest): Promise<string> {
    return this.userTokenFor(this.find(opts.addonKey, opts.workspaceId), opts);
  }

  async userTokenFor(installation: Installation, opts: Omit<UserTokenRequest, 'addonKey' | 'workspaceId'>): Promise<string> {
    const ws = this.deps.workspace(installation.workspaceId);
    const userId = opts.userId ?? ws.ownerId;
    const user = ws.users.get(userId);
    if (!user) throw new ClockifyError(404, `User ${userId} not found in workspace`);
    const role: WorkspaceRole = opts.role ?? user.role;
    return this.deps.tokens.signUserToken(
      { addonKey: installation.addonKey, addonId: installation.addonId, workspaceId: ws.id, userId },
      { role, language: opts.language ?? 'EN', theme: opts.theme ?? 'DEFAULT', expiresInSeconds: opts.expiresInSeconds ?? 1800 },
    );
  }

  private revoke(installation: Installation): void {
    installation.removed = true;
    this.deps.registry.removeForAddon(installation.addonId);
  }

  private checkedManifest(value: unknown): ManifestFacts {
    try {
      return readManifest(value);
    } catch (error) {
      if (error instanceof ManifestError) throw new ClockifyError(400, `Invalid manifest: ${error.message}`);
      throw error;
    }
  }

  private async fetchManifest(manifestUrl: string | undefined): Promise<unknown> {
    if (!manifestUrl) throw new ClockifyError(400, 'manifestUrl or manifest is required');
    let response: Response;
    try {
      response = await fetch(manifestUrl, { signal: AbortSignal.timeout(this.deps.fetchTimeoutMs) });
    } catch (error) {
      throw new ClockifyError(400, `Cannot fetch manifest from ${manifestUrl}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new ClockifyError(400, `Manifest URL ${manifestUrl} answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new ClockifyError(400, `Manifest at ${manifestUrl} is not JSON`);
    }
  }

  private async callLifecycle(installation: Installation, type: string, payload: object): Promise<LifecycleResult> {
    const base = { addonId: installation.addonId, workspaceId: installation.workspaceId, addonKey: installation.addonKey };
    const entry = installation.manifest.lifecycle.find((l) => l.type === type);
    if (!entry) return base;
    const ws = this.deps.workspace(installation.workspaceId);
    const lifecycleToken = await this.deps.tokens.signAddonToken({
      addonKey: installation.addonKey,
      addonId: installation.addonId,
      workspaceId: installation.workspaceId,
      userId: ws.ownerId,
    });
    const delivery = await this.deps.deliveries.send({
      kind: 'lifecycle',
      event: type,
      url: joinUrl(installation.manifest.baseUrl, entry.path),
      workspaceId: installation.workspaceId,
      addonId: installation.addonId,
      addonKey: installation.addonKey,
      payload,
      headers: { 'X-Addon-Lifecycle-Token': lifecycleToken },
    });
    return {
      ...base,
      ...(delivery.status !== undefined && { status: delivery.status }),
      ...(delivery.responseBody !== undefined && { body: parseBody(delivery.responseBody) }),
      ...(delivery.error !== undefined && delivery.status === undefined && { error: delivery.error }),
    };
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
