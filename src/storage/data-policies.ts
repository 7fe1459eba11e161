import type { AnyDataPolicy, TableExemption } from './data-policy.js';
import { LEGACY_MIGRATION_TABLE, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from './migrator.js';

/*
 * The rooms declare their tables' policies (`tables` in their room definition); src/rooms.ts
 * collects them into DATA_POLICIES. Storage only knows its own bookkeeping tables, and how to walk a
 * list of policies: it imports no room.
 */

/** Storage's own tables: they hold no workspace data. */
export const STORAGE_EXEMPTIONS: readonly TableExemption[] = [
  { table: MIGRATION_TABLE, room: 'storage', reason: "names of the applied migrations (Kysely's Migrator, src/storage/migrator.ts)" },
  { table: MIGRATION_LOCK_TABLE, room: 'storage', reason: "Kysely's Migrator lock row" },
  {
    table: LEGACY_MIGRATION_TABLE,
    room: 'storage',
    reason: 'migrations applied before the Migrator; adopted at start-up, then unread',
    legacy: true,
  },
];

/** Tables whose rows all go after an uninstall; children before their parents. */
export function purgedOnUninstall(policies: readonly AnyDataPolicy[]): AnyDataPolicy[] {
  const purged = policies.filter((policy) => policy.onUninstall === 'purge');
  const children = new Set(purged.flatMap((policy) => (policy.children ?? []).map((child) => child.table)));
  return [...purged.filter((policy) => children.has(policy.table)), ...purged.filter((policy) => !children.has(policy.table))];
}

export function policyOf(table: string, policies: readonly AnyDataPolicy[]): AnyDataPolicy | undefined {
  return policies.find((policy) => policy.table === table);
}
