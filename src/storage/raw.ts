import { CompiledQuery } from 'kysely';
import type { Dialect } from './migrations/index.js';
import type { Db, Tx } from './database.js';

/**
 * Hot paths skip the query builder: their SQL is written once, with `?` placeholders, and turned into
 * the dialect's form once per statement text (PostgreSQL numbers them: $1, $2 …). Both dialects then
 * run it as a prepared statement.
 */
export class RawStatement {
  private readonly text: Record<Dialect, string>;

  constructor(sqlText: string) {
    let index = 0;
    this.text = { sqlite: sqlText, postgres: sqlText.replace(/\?/g, () => `$${++index}`) };
  }

  async run<Row = Record<string, unknown>>(
    executor: Db | Tx,
    dialect: Dialect,
    parameters: readonly unknown[],
  ): Promise<{ rows: Row[]; affected: number }> {
    const result = await executor.executeQuery<Row>(CompiledQuery.raw(this.text[dialect], [...parameters]));
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
  }
}
