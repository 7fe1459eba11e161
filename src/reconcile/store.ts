import { sql } from 'kysely';
import type { Db } from '../storage/database.js';

export interface ReconciliationState {
  /** Deliveries that failed up to this instant (epoch ms) have been read and recovered; null: never yet. */
  lastReconciledAt: number | null;
  /** Epoch ms of the last run, successful or not. */
  lastAttemptAt: number | null;
  lastRecovered: number;
  recoveredTotal: number;
  /** Why the last run failed (it is retried); null after a successful run. */
  lastError: string | null;
}

/** One row per installation in `webhook_reconciliations`. */
export class ReconciliationStore {
  constructor(private readonly db: Db) {}

  async get(workspaceId: string): Promise<ReconciliationState | undefined> {
    const row = await this.db.selectFrom('webhook_reconciliations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (!row) return undefined;
    return {
      lastReconciledAt: row.last_reconciled_at === null ? null : Number(row.last_reconciled_at),
      lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
      lastRecovered: Number(row.last_recovered),
      recoveredTotal: Number(row.recovered_total),
      lastError: row.last_error,
    };
  }

  async succeeded(workspaceId: string, input: { until: number; recovered: number; now: number }): Promise<void> {
    await this.db
      .insertInto('webhook_reconciliations')
      .values({
        workspace_id: workspaceId,
        last_reconciled_at: input.until,
        last_attempt_at: input.now,
        last_recovered: input.recovered,
        recovered_total: input.recovered,
        last_error: null,
        updated_at: input.now,
      })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({
          last_reconciled_at: input.until,
          last_attempt_at: input.now,
          last_recovered: input.recovered,
          recovered_total: sql<number>`webhook_reconciliations.recovered_total + ${input.recovered}`,
          last_error: null,
          updated_at: input.now,
        }),
      )
      .execute();
  }

  async failed(workspaceId: string, error: string, now: number): Promise<void> {
    await this.db
      .insertInto('webhook_reconciliations')
      .values({
        workspace_id: workspaceId,
        last_reconciled_at: null,
        last_attempt_at: now,
        last_recovered: 0,
        recovered_total: 0,
        last_error: error.slice(0, 500),
        updated_at: now,
      })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ last_attempt_at: now, last_error: error.slice(0, 500), updated_at: now }))
      .execute();
  }

  /** Active installations whose last run is older than `olderThan` (or that never ran). */
  async due(olderThan: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('installations as i')
      .leftJoin('webhook_reconciliations as r', 'r.workspace_id', 'i.workspace_id')
      .select('i.workspace_id')
      .where('i.status', '=', 'ACTIVE')
      .where((eb) => eb.or([eb('r.last_attempt_at', 'is', null), eb('r.last_attempt_at', '<', olderThan)]))
      .execute();
    return rows.map((row) => row.workspace_id);
  }
}
