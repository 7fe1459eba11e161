import type { Db } from '../storage/database.js';

/**
 * A named lease in the `locks` table, shared by every instance on the same database: one atomic
 * "insert, or take over when expired (or already mine)" statement, the same on SQLite and
 * PostgreSQL. A holder that dies simply stops renewing, and the lease passes on once it expires.
 */
export class LeaseLock {
  constructor(
    private readonly db: Db,
    readonly name: string,
    readonly holder: string,
  ) {}

  /** True when this holder has the lease until `until` (epoch ms). */
  async acquire(now: number, until: number): Promise<boolean> {
    const row = await this.db
      .insertInto('locks')
      .values({ name: this.name, holder: this.holder, expires_at: until })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder: this.holder, expires_at: until })
          .where((eb) => eb.or([eb('locks.expires_at', '<', now), eb('locks.holder', '=', this.holder)])),
      )
      .returning('holder')
      .executeTakeFirst();
    return row?.holder === this.holder;
  }

  /** Extends a lease still held; false when it was lost (expired and taken over). */
  async renew(until: number): Promise<boolean> {
    const result = await this.db
      .updateTable('locks')
      .set({ expires_at: until })
      .where('name', '=', this.name)
      .where('holder', '=', this.holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Ends the lease: free at once by default, or held until `until` so others skip until then. */
  async release(until = 0): Promise<void> {
    await this.db.updateTable('locks').set({ expires_at: until }).where('name', '=', this.name).where('holder', '=', this.holder).execute();
  }

  async current(): Promise<{ holder: string; expiresAt: number } | undefined> {
    const row = await this.db.selectFrom('locks').select(['holder', 'expires_at']).where('name', '=', this.name).executeTakeFirst();
    return row ? { holder: row.holder, expiresAt: Number(row.expires_at) } : undefined;
  }
}
