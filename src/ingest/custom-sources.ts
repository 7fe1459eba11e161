import type { Database } from '../storage/database.js';
import type { CustomSourcesTable } from './tables.js';
import type { SecretBox } from '../security/secret-box.js';
import { newId, newSecret } from '../util/ids.js';

export type SignatureMode = CustomSourcesTable['signature_mode'];

export interface CustomSource {
  id: string;
  workspaceId: string;
  name: string;
  signatureMode: SignatureMode;
  signatureHeader: string | null;
  /** HMAC sources: the header with the signed timestamp; null when the body alone is signed (no time window). */
  timestampHeader: string | null;
  /** Seconds a timestamped delivery stays acceptable either side of our clock. */
  toleranceSeconds: number | null;
  enabled: boolean;
  /** True while the previous secret still verifies (after a rotation). */
  rotating: boolean;
  createdAt: number;
  updatedAt: number;
  /** Where the event type is read (custom-event-type.ts); null: the defaults. */
  eventTypeFrom: string | null;
}

/** Tolerance of a timestamped HMAC source unless its creator chose another (as Standard Webhooks and Stripe). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** How long the previous secret keeps working after a rotation, so senders can switch without losing deliveries. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export function newSourceSecret(mode: SignatureMode): string {
  return mode === 'standard' ? `whsec_${Buffer.from(newSecret(24), 'base64url').toString('base64')}` : newSecret(32);
}

/** Custom (non-Clockify) webhook sources of a workspace; secrets are sealed and leave only once, when created or rotated. */
export class CustomSourceStore {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly now: () => number,
  ) {}

  async list(workspaceId: string): Promise<CustomSource[]> {
    const rows = await this.database.db
      .selectFrom('custom_sources')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => this.toSource(row));
  }

  async get(id: string, workspaceId?: string): Promise<CustomSource | undefined> {
    let query = this.database.db.selectFrom('custom_sources').selectAll().where('id', '=', id);
    if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
    const row = await query.executeTakeFirst();
    return row ? this.toSource(row) : undefined;
  }

  async create(
    workspaceId: string,
    input: {
      name: string;
      signatureMode: SignatureMode;
      signatureHeader?: string;
      timestampHeader?: string;
      toleranceSeconds?: number;
      eventTypeFrom?: string | null;
    },
  ): Promise<{ source: CustomSource; secret: string | null }> {
    const timestamped = input.signatureMode === 'hmac-sha256' && input.timestampHeader !== undefined;
    const now = this.now();
    const secret = input.signatureMode === 'none' ? null : newSourceSecret(input.signatureMode);
    const id = newId(now);
    await this.database.db
      .insertInto('custom_sources')
      .values({
        id,
        workspace_id: workspaceId,
        name: input.name,
        signature_mode: input.signatureMode,
        signature_header: input.signatureMode === 'hmac-sha256' ? (input.signatureHeader ?? 'x-signature-256').toLowerCase() : null,
        timestamp_header: timestamped ? input.timestampHeader!.toLowerCase() : null,
        timestamp_tolerance_seconds: timestamped ? (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) : null,
        secret_ciphertext: secret ? this.box.seal(secret) : null,
        previous_secret_ciphertext: null,
        previous_secret_expires_at: null,
        enabled: 1,
        created_at: now,
        updated_at: now,
        event_type_from: input.eventTypeFrom ?? null,
      })
      .execute();
    return { source: (await this.get(id))!, secret };
  }

  async rotate(workspaceId: string, id: string): Promise<{ source: CustomSource; secret: string } | undefined> {
    const row = await this.database.db
      .selectFrom('custom_sources')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!row || row.signature_mode === 'none') return undefined;
    const now = this.now();
    const secret = newSourceSecret(row.signature_mode);
    await this.database.db
      .updateTable('custom_sources')
      .set({
        secret_ciphertext: this.box.seal(secret),
        previous_secret_ciphertext: row.secret_ciphertext,
        previous_secret_expires_at: now + ROTATION_GRACE_MS,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    return { source: (await this.get(id))!, secret };
  }

  async setEnabled(workspaceId: string, id: string, enabled: boolean): Promise<CustomSource | undefined> {
    await this.database.db
      .updateTable('custom_sources')
      .set({ enabled: enabled ? 1 : 0, updated_at: this.now() })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .execute();
    return this.get(id, workspaceId);
  }

  async setEventTypeFrom(workspaceId: string, id: string, eventTypeFrom: string | null): Promise<CustomSource | undefined> {
    await this.database.db
      .updateTable('custom_sources')
      .set({ event_type_from: eventTypeFrom, updated_at: this.now() })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .execute();
    return this.get(id, workspaceId);
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.database.db
      .deleteFrom('custom_sources')
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Secrets that verify right now: the current one and, within the grace period, the previous one. */
  async verificationSecrets(id: string): Promise<string[]> {
    const row = await this.database.db
      .selectFrom('custom_sources')
      .select(['secret_ciphertext', 'previous_secret_ciphertext', 'previous_secret_expires_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return [];
    const secrets: string[] = [];
    if (row.secret_ciphertext) secrets.push(this.box.open(row.secret_ciphertext));
    if (row.previous_secret_ciphertext && row.previous_secret_expires_at !== null && Number(row.previous_secret_expires_at) > this.now()) {
      secrets.push(this.box.open(row.previous_secret_ciphertext));
    }
    return secrets;
  }

  private toSource(row: CustomSourcesTable): CustomSource {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      signatureMode: row.signature_mode,
      signatureHeader: row.signature_header,
      timestampHeader: row.timestamp_header ?? null,
      toleranceSeconds:
        row.timestamp_tolerance_seconds === null || row.timestamp_tolerance_seconds === undefined
          ? null
          : Number(row.timestamp_tolerance_seconds),
      enabled: row.enabled === 1,
      rotating: row.previous_secret_expires_at !== null && Number(row.previous_secret_expires_at) > this.now(),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      eventTypeFrom: row.event_type_from ?? null,
    };
  }
}
