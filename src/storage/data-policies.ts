import { BOOTSTRAP_TABLES } from '../bootstrap/tables.js';
import { CREDENTIALS_TABLES } from '../credentials/tables.js';
import { EXPLORER_TABLES } from '../explorer/tables.js';
import { FLOWS_TABLES } from '../flows/tables.js';
import { INGEST_TABLES } from '../ingest/tables.js';
import { JOBS_TABLES } from '../jobs/tables.js';
import { LIFECYCLE_TABLES } from '../lifecycle/tables.js';
import { RECONCILE_TABLES } from '../reconcile/tables.js';
import { RETENTION_EXEMPTIONS } from '../retention/tables.js';
import type { AnyDataPolicy, TableExemption } from './data-policy.js';

/**
 * Every table's data policy, collected from the rooms' `tables.ts`: each room declares its own,
 * this list only gathers them. A new table gets its policy in its room's file, then one line here
 * if the room is new (docs/architecture.md, "How to add a workspace table").
 */
export const DATA_POLICIES: readonly AnyDataPolicy[] = [
  ...LIFECYCLE_TABLES,
  ...INGEST_TABLES,
  ...JOBS_TABLES,
  ...BOOTSTRAP_TABLES,
  ...EXPLORER_TABLES,
  ...FLOWS_TABLES,
  ...CREDENTIALS_TABLES,
  ...RECONCILE_TABLES,
];

/** Tables that hold no workspace data at all. */
export const TABLE_EXEMPTIONS: readonly TableExemption[] = [
  { table: 'schema_migrations', room: 'storage', reason: 'names of the applied migrations (src/storage/database.ts)' },
  ...RETENTION_EXEMPTIONS,
];

/** Tables whose rows all go after an uninstall; children before their parents. */
export function purgedOnUninstall(policies: readonly AnyDataPolicy[] = DATA_POLICIES): AnyDataPolicy[] {
  const purged = policies.filter((policy) => policy.onUninstall === 'purge');
  const children = new Set(purged.flatMap((policy) => (policy.children ?? []).map((child) => child.table)));
  return [...purged.filter((policy) => children.has(policy.table)), ...purged.filter((policy) => !children.has(policy.table))];
}

export function policyOf(table: string, policies: readonly AnyDataPolicy[] = DATA_POLICIES): AnyDataPolicy | undefined {
  return policies.find((policy) => policy.table === table);
}
