import { sql } from 'kysely';
import type { Db, Tx } from '../storage/database.js';
import type { CachedEntity } from './entities.js';

/**
 * The workspace snapshot: one row per workspace, entity type and id. A rerun upserts in place, so an
 * entity is never stored twice; rows older than their `expires_at` are removed by the retention job.
 */

type Executor = Db | Tx;
const DAY_MS = 86_400_000;
const CHUNK = 400;

export async function upsertEntities(
  db: Executor,
  workspaceId: string,
  entityType: string,
  entities: readonly CachedEntity[],
  times: { now: number; ttlDays: number },
): Promise<void> {
  const expiresAt = times.now + times.ttlDays * DAY_MS;
  for (let index = 0; index < entities.length; index += CHUNK) {
    const chunk = entities.slice(index, index + CHUNK);
    await db
      .insertInto('entity_cache')
      .values(
        chunk.map((entity) => ({
          workspace_id: workspaceId,
          entity_type: entityType,
          entity_id: entity.id,
          data_json: JSON.stringify(entity.data),
          fetched_at: times.now,
          expires_at: expiresAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'entity_type', 'entity_id']).doUpdateSet((eb) => ({
          data_json: eb.ref('excluded.data_json'),
          fetched_at: eb.ref('excluded.fetched_at'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .execute();
  }
}

/** Ids of a type fetched at or after `since` (this run's parents, not leftovers of an earlier run). */
export async function entityIdsSince(db: Executor, workspaceId: string, entityType: string, since: number): Promise<string[]> {
  const rows = await db
    .selectFrom('entity_cache')
    .select('entity_id')
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', entityType)
    .where('fetched_at', '>=', since)
    .execute();
  return rows.map((row) => row.entity_id);
}

export async function entityCounts(db: Executor, workspaceId: string): Promise<{ type: string; count: number }[]> {
  const rows = await db
    .selectFrom('entity_cache')
    .select(['entity_type', (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('entity_type')
    .orderBy('entity_type')
    .execute();
  return rows.map((row) => ({ type: row.entity_type, count: Number(row.count) }));
}

export interface EntityPage {
  items: { type: string; id: string; data: unknown; fetchedAt: number; expiresAt: number }[];
  nextCursor: string | null;
}

/** Cached entities in (type, id) order, `limit` at a time; the cursor is opaque. */
export async function listEntities(
  db: Executor,
  workspaceId: string,
  options: { type?: string; limit: number; cursor?: string },
): Promise<EntityPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  let query = db
    .selectFrom('entity_cache')
    .select(['entity_type', 'entity_id', 'data_json', 'fetched_at', 'expires_at'])
    .where('workspace_id', '=', workspaceId);
  if (options.type !== undefined) query = query.where('entity_type', '=', options.type);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('entity_type', '>', after.type), eb.and([eb('entity_type', '=', after.type), eb('entity_id', '>', after.id)])]),
    );
  }
  const rows = await query
    .orderBy('entity_type')
    .orderBy('entity_id')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      type: row.entity_type,
      id: row.entity_id,
      data: JSON.parse(row.data_json) as unknown,
      fetchedAt: Number(row.fetched_at),
      expiresAt: Number(row.expires_at),
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ type: last.entity_type, id: last.entity_id }) : null,
  };
}

export async function getEntity(db: Executor, workspaceId: string, entityType: string, entityId: string): Promise<unknown | undefined> {
  const row = await db
    .selectFrom('entity_cache')
    .select('data_json')
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.data_json) as unknown) : undefined;
}

/**
 * Removes at most `batchSize` expired entities (of every workspace) and returns how many; the
 * retention job calls it again while it returns `batchSize`. Bounded batches keep each statement
 * short, so webhook ingestion never waits long behind the clean-up.
 */
export async function deleteExpiredEntities(db: Executor, now: number, batchSize: number): Promise<number> {
  const limit = Math.max(1, Math.floor(batchSize));
  const result = await sql`
    DELETE FROM entity_cache
    WHERE (workspace_id, entity_type, entity_id) IN (
      SELECT workspace_id, entity_type, entity_id FROM entity_cache WHERE expires_at < ${now} LIMIT ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export function encodeCursor(position: { type: string; id: string }): string {
  return Buffer.from(JSON.stringify([position.type, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { type: string; id: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
      return { type: value[0], id: value[1] };
  } catch {
    // fall through
  }
  return undefined;
}
