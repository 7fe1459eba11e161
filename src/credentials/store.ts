import type { Database, Db, Tx } from '../storage/database.js';
import type { CredentialsTable } from './tables.js';
import type { SecretBox } from '../security/secret-box.js';
import { newId } from '../util/ids.js';
import type { CredentialKind, CredentialSecret, CredentialView, ResolvedCredential } from './model.js';

export class CredentialNameTaken extends Error {}

/** Credentials of each workspace; values are sealed with the secret box and opened only to send a request. */
export class CredentialStore {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly now: () => number,
  ) {}

  async list(workspaceId: string): Promise<CredentialView[]> {
    const rows = await this.database.db
      .selectFrom('credentials')
      .select(['id', 'name', 'kind', 'field_name', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map(toView);
  }

  async names(workspaceId: string, db: Db | Tx = this.database.db): Promise<Set<string>> {
    const rows = await db.selectFrom('credentials').select('name').where('workspace_id', '=', workspaceId).execute();
    return new Set(rows.map((row) => row.name));
  }

  async get(workspaceId: string, id: string): Promise<CredentialView | undefined> {
    const row = await this.database.db
      .selectFrom('credentials')
      .select(['id', 'name', 'kind', 'field_name', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  async create(
    workspaceId: string,
    input: { name: string; kind: CredentialKind; fieldName: string | null; secret: CredentialSecret },
    db: Db | Tx = this.database.db,
  ): Promise<CredentialView> {
    const now = this.now();
    const id = newId(now);
    const existing = await db
      .selectFrom('credentials')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing) throw new CredentialNameTaken(input.name);
    await db
      .insertInto('credentials')
      .values({
        id,
        workspace_id: workspaceId,
        name: input.name,
        kind: input.kind,
        field_name: input.fieldName,
        secret_ciphertext: this.box.seal(JSON.stringify(input.secret)),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id, name: input.name, kind: input.kind, fieldName: input.fieldName, createdAt: now, updatedAt: now };
  }

  /** The kind stays; only the value changes. Undefined when there is no such credential. */
  async replace(workspaceId: string, id: string, secret: (kind: CredentialKind) => CredentialSecret): Promise<CredentialView | undefined> {
    const current = await this.get(workspaceId, id);
    if (!current) return undefined;
    const now = this.now();
    await this.database.db
      .updateTable('credentials')
      .set({ secret_ciphertext: this.box.seal(JSON.stringify(secret(current.kind))), updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    return { ...current, updatedAt: now };
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.database.db
      .deleteFrom('credentials')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The named credentials of a workspace, opened; names that do not exist are absent from the map. */
  async resolve(workspaceId: string, names: readonly string[]): Promise<Map<string, ResolvedCredential>> {
    if (names.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('credentials')
      .select(['name', 'kind', 'field_name', 'secret_ciphertext'])
      .where('workspace_id', '=', workspaceId)
      .where('name', 'in', [...names])
      .execute();
    return new Map(
      rows.map((row) => [
        row.name,
        {
          name: row.name,
          kind: row.kind,
          fieldName: row.field_name,
          secret: JSON.parse(this.box.open(row.secret_ciphertext)) as CredentialSecret,
        },
      ]),
    );
  }

  /** Which named credentials exist, with kind and field, without opening anything (dry runs). */
  async describe(
    workspaceId: string,
    names: readonly string[],
  ): Promise<Map<string, Pick<ResolvedCredential, 'name' | 'kind' | 'fieldName'>>> {
    if (names.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('credentials')
      .select(['name', 'kind', 'field_name'])
      .where('workspace_id', '=', workspaceId)
      .where('name', 'in', [...names])
      .execute();
    return new Map(rows.map((row) => [row.name, { name: row.name, kind: row.kind, fieldName: row.field_name }]));
  }
}

function toView(row: Pick<CredentialsTable, 'id' | 'name' | 'kind' | 'field_name' | 'created_at' | 'updated_at'>): CredentialView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    fieldName: row.field_name,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
