import type { Db, Tx } from '../storage/database.js';
import { authStateChanged } from './auth-state.js';
import type { InstallationsTable } from './tables.js';
import type { SecretBox } from '../security/secret-box.js';
import type { SettingValue } from '../editions/types.js';
import { parseJsonOr } from '../util/json.js';

export interface Installation {
  workspaceId: string;
  addonId: string;
  addonKey: string;
  status: InstallationsTable['status'];
  ownerUserId: string | null;
  backendUrl: string;
  reportsUrl: string | null;
  apiUrl: string | null;
  urlClaims: Record<string, string>;
  settings: Record<string, SettingValue>;
  lastLifecycleAt: number;
  installedAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** Installations of one edition. Tokens are sealed on the way in; only `installationToken()` opens one. */
export class InstallationStore {
  constructor(private readonly box: SecretBox) {}

  async get(db: Db | Tx, workspaceId: string): Promise<Installation | undefined> {
    const row = await db.selectFrom('installations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
    return row ? toInstallation(row) : undefined;
  }

  /** The installation token in clear, for an outgoing call; undefined unless the installation is live. */
  async installationToken(db: Db | Tx, workspaceId: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('installations')
      .select(['token_ciphertext', 'status'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!row || row.status === 'DELETED' || !row.token_ciphertext) return undefined;
    return this.box.open(row.token_ciphertext);
  }

  async saveInstalled(
    db: Tx,
    input: {
      workspaceId: string;
      addonId: string;
      addonKey: string;
      token: string;
      ownerUserId: string | null;
      backendUrl: string;
      reportsUrl: string | null;
      apiUrl: string | null;
      urlClaims: Record<string, string>;
      lifecycleAt: number;
      now: number;
    },
  ): Promise<void> {
    const values = {
      addon_id: input.addonId,
      addon_key: input.addonKey,
      status: 'ACTIVE' as const,
      token_ciphertext: this.box.seal(input.token),
      owner_user_id: input.ownerUserId,
      backend_url: input.backendUrl,
      reports_url: input.reportsUrl,
      api_url: input.apiUrl,
      claims_json: JSON.stringify(input.urlClaims),
      settings_json: '{}',
      last_lifecycle_at: input.lifecycleAt,
      installed_at: input.now,
      updated_at: input.now,
      deleted_at: null,
    };
    await db
      .insertInto('installations')
      .values({ workspace_id: input.workspaceId, ...values })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
      .execute();
    authStateChanged();
  }

  async setStatus(db: Tx, workspaceId: string, status: 'ACTIVE' | 'INACTIVE', lifecycleAt: number, now: number): Promise<void> {
    await db
      .updateTable('installations')
      .set({ status, last_lifecycle_at: lifecycleAt, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .execute();
    authStateChanged();
  }

  async setSettings(db: Tx, workspaceId: string, settings: Record<string, SettingValue>, lifecycleAt: number, now: number): Promise<void> {
    await db
      .updateTable('installations')
      .set({ settings_json: JSON.stringify(settings), last_lifecycle_at: lifecycleAt, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .execute();
  }

  /** Drops the token at once; the row stays as a tombstone so late or replayed events are recognised. */
  async markDeleted(db: Tx, workspaceId: string, lifecycleAt: number, now: number): Promise<void> {
    await db
      .updateTable('installations')
      .set({ status: 'DELETED', token_ciphertext: null, last_lifecycle_at: lifecycleAt, deleted_at: now, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .execute();
    authStateChanged();
  }
}

function toInstallation(row: InstallationsTable): Installation {
  return {
    workspaceId: row.workspace_id,
    addonId: row.addon_id,
    addonKey: row.addon_key,
    status: row.status,
    ownerUserId: row.owner_user_id,
    backendUrl: row.backend_url,
    reportsUrl: row.reports_url,
    apiUrl: row.api_url,
    urlClaims: parseJsonOr(row.claims_json, {}),
    settings: parseJsonOr(row.settings_json, {}),
    lastLifecycleAt: Number(row.last_lifecycle_at),
    installedAt: Number(row.installed_at),
    updatedAt: Number(row.updated_at),
    deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}
