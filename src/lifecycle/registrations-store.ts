import type { Db, Tx } from '../storage/database.js';
import { authStateChanged } from './auth-state.js';
import type { WebhookRegistrationsTable } from './tables.js';
import type { SecretBox } from '../security/secret-box.js';
import { sha256Hex } from '../security/secret-box.js';
import { newId } from '../util/ids.js';

export interface Registration {
  id: string;
  workspaceId: string;
  event: string;
  route: 'manifest' | 'rest';
  clockifyWebhookId: string | null;
  url: string;
  status: WebhookRegistrationsTable['status'];
  lastError: string | null;
  hasToken: boolean;
  updatedAt: number;
}

/** Which webhook token belongs to which event of which workspace. Tokens are sealed; their hashes find them. */
export class RegistrationStore {
  constructor(private readonly box: SecretBox) {}

  async list(db: Db | Tx, workspaceId: string): Promise<Registration[]> {
    const rows = await db
      .selectFrom('webhook_registrations')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('event')
      .execute();
    return rows.map(toRegistration);
  }

  /** The registration whose token equals `token` (compared by SHA-256, which is constant-time in what it reveals). */
  async findByToken(db: Db | Tx, workspaceId: string, token: string): Promise<Registration | undefined> {
    const row = await db
      .selectFrom('webhook_registrations')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('token_hash', '=', sha256Hex(token))
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row ? toRegistration(row) : undefined;
  }

  async upsert(
    db: Db | Tx,
    input: {
      workspaceId: string;
      event: string;
      route: 'manifest' | 'rest';
      url: string;
      token: string | null;
      clockifyWebhookId?: string | null;
      status: WebhookRegistrationsTable['status'];
      lastError?: string | null;
      now: number;
    },
  ): Promise<void> {
    const values = {
      route: input.route,
      url: input.url,
      clockify_webhook_id: input.clockifyWebhookId ?? null,
      token_ciphertext: input.token ? this.box.seal(input.token) : null,
      token_hash: input.token ? sha256Hex(input.token) : null,
      status: input.status,
      last_error: input.lastError ?? null,
      updated_at: input.now,
    };
    await db
      .insertInto('webhook_registrations')
      .values({ id: newId(input.now), workspace_id: input.workspaceId, event: input.event, created_at: input.now, ...values })
      .onConflict((oc) => oc.columns(['workspace_id', 'event']).doUpdateSet(values))
      .execute();
    authStateChanged();
  }

  async markFailed(db: Db | Tx, workspaceId: string, event: string, error: string, now: number): Promise<void> {
    await db
      .updateTable('webhook_registrations')
      .set({ status: 'failed', last_error: error.slice(0, 500), updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('event', '=', event)
      .execute();
    authStateChanged();
  }

  /** Forgets every token of a workspace (uninstall); rows stay so the drift report can say what was removed. */
  async dropTokens(db: Tx, workspaceId: string, now: number): Promise<void> {
    await db
      .updateTable('webhook_registrations')
      .set({ token_ciphertext: null, token_hash: null, status: 'removed', updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .execute();
    authStateChanged();
  }

  async deleteAll(db: Tx, workspaceId: string): Promise<void> {
    await db.deleteFrom('webhook_registrations').where('workspace_id', '=', workspaceId).execute();
    authStateChanged();
  }
}

function toRegistration(row: WebhookRegistrationsTable): Registration {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    event: row.event,
    route: row.route,
    clockifyWebhookId: row.clockify_webhook_id,
    url: row.url,
    status: row.status,
    lastError: row.last_error,
    hasToken: row.token_hash !== null,
    updatedAt: Number(row.updated_at),
  };
}
