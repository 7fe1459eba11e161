import { sql } from 'kysely';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AnyDataPolicy } from './data-policy.js';
import type { Db, Tx } from './database.js';

/**
 * Bounded deletes driven by the data policies (data-policy.ts). Table and column names come from a
 * policy, not from the schema type, so queries here are untyped; the policy test checks every name
 * against both databases.
 */
export type AnyTables = Record<string, Record<string, unknown>>;
export type UntypedDb = Kysely<AnyTables>;

export function untyped(db: Db | Tx): UntypedDb {
  return db as unknown as UntypedDb;
}

type KeySelect = SelectQueryBuilder<AnyTables, string, Record<string, unknown>>;

/** DELETE … WHERE key IN (a bounded sub-select of keys): one short statement on both dialects. */
export async function deleteByKey(db: UntypedDb, table: string, key: readonly string[], candidates: KeySelect): Promise<number> {
  if (key.length === 1) {
    const result = await db.deleteFrom(table).where(key[0]!, 'in', candidates).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  // A composite key compares row values, (a, b) IN (SELECT a, b …), which both dialects support.
  const columns = sql.join(key.map((column) => sql.ref(column)));
  const result = await sql`DELETE FROM ${sql.table(table)} WHERE (${columns}) IN (${candidates})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes up to `limit` rows of one workspace from the policy's table; returns how many went. */
export async function deleteWorkspaceBatch(db: Db | Tx, policy: AnyDataPolicy, workspaceId: string, limit: number): Promise<number> {
  if (!policy.workspaceColumn) throw new Error(`${policy.table} has no workspace column: it cannot be purged per workspace`);
  const any = untyped(db);
  const candidates = any.selectFrom(policy.table).select(policy.key).where(policy.workspaceColumn, '=', workspaceId).limit(limit);
  return deleteByKey(any, policy.table, policy.key, candidates);
}
