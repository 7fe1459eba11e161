import type { TableExemption } from '../storage/data-policy.js';

export interface LocksTable {
  name: string;
  holder: string;
  expires_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    locks: LocksTable;
  }
}

/** Tables of the retention room that hold no workspace data. */
export const RETENTION_EXEMPTIONS: TableExemption[] = [
  { table: 'locks', room: 'retention', reason: 'named leases between instances (the clean-up lease); one row per lock name' },
];
