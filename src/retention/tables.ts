import type { TableExemption } from '../storage/data-policy.js';

/** Tables of the retention room that hold no workspace data. */
export const RETENTION_EXEMPTIONS: TableExemption[] = [
  { table: 'locks', room: 'retention', reason: 'named leases between instances (the clean-up lease); one row per lock name' },
];
