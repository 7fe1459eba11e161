import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  name: string;
  // Kysely's own advice: a migration sees the schema as it was then, not today's Database type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Column types that differ between the two dialects. */
export function columnTypes(dialect: Dialect) {
  return {
    /** Epoch milliseconds and other counters that outgrow 32 bits. */
    bigint: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
  };
}
