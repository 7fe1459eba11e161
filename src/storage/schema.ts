/**
 * The schema every query is typed against. It is a shell: each room declares its tables' row types
 * in its own `src/<room>/tables.ts` and merges them in there (`declare module '../storage/schema.js'
 * { interface DatabaseSchema { my_table: MyTable } }`), next to the tables' data policies. Times are
 * epoch milliseconds, booleans 0/1 and JSON documents text, so SQLite and PostgreSQL hold exactly the
 * same values and one conformance suite covers both.
 */
// Empty here by design: declaration merging from each room's tables.ts fills it.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DatabaseSchema {}
