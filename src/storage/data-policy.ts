import type { DatabaseSchema } from './schema.js';

/**
 * How a room describes the data it keeps: one policy per table, declared in the room's own
 * `tables.ts`, named in its room definition and collected in src/rooms.ts. The uninstall purge and the retention sweeper
 * iterate these; test/storage/data-policies.test.ts fails on a table that has none.
 */

export type TableName = keyof DatabaseSchema & string;
export type ColumnOf<T extends TableName> = keyof DatabaseSchema[T] & string;

/** The rooms that own tables (folder names under src/). */
export type RoomName =
  'storage' | 'lifecycle' | 'ingest' | 'jobs' | 'bootstrap' | 'explorer' | 'flows' | 'credentials' | 'reconcile' | 'retention';

/** What the retention sweeper does with a table's rows. */
export type RetentionRule<T extends TableName> =
  /** Rows older than their workspace's `retention_days` (orphans: the edition default), by `timeColumn`. */
  | { class: 'workspace-history'; timeColumn: ColumnOf<T>; onlyWhere?: { column: ColumnOf<T>; in: readonly string[] } }
  /** Rows older than WEBHOOK_DEDUP_WINDOW_HOURS, whatever the workspace. */
  | { class: 'dedup-window'; timeColumn: ColumnOf<T> }
  /** Rows whose `timeColumn` (an expiry instant) has passed. */
  | { class: 'expiry'; timeColumn: ColumnOf<T> }
  /** Removed together with its parent row (the parent lists this table in `children`). */
  | { class: 'with-parent'; parent: TableName }
  /** Never swept: the reason says why the table does not grow without bound. */
  | { class: 'kept'; reason: string };

/** A table whose rows point at a parent row (`column` holds the parent's single key column). */
export type ChildLink = { [C in TableName]: { table: C; column: ColumnOf<C> } }[TableName];

export interface DataPolicy<T extends TableName = TableName> {
  table: T;
  room: RoomName;
  /** Columns that identify one row (the primary key): purge and retention delete by them in bounded batches. */
  key: readonly ColumnOf<T>[];
  /** The column holding the workspace id, or null for data not tied to one workspace. */
  workspaceColumn: ColumnOf<T> | null;
  /** 'purge': every row of the workspace is deleted after an uninstall; otherwise why the rows stay. */
  onUninstall: 'purge' | { keep: string };
  retention: RetentionRule<T>;
  /** Tables whose rows are deleted with a row of this one (retention); the purge deletes them first. */
  children?: readonly ChildLink[];
}

/** A table that holds no workspace data at all, and why. */
export interface TableExemption {
  table: string;
  room: RoomName;
  reason: string;
  /** Present only in databases created by an older version (so a fresh database lacks it). */
  legacy?: boolean;
}

/** Declares a policy with its columns checked against the table's row type. */
export function tablePolicy<T extends TableName>(policy: DataPolicy<T>): DataPolicy<T> {
  return policy;
}

/** Any policy, with its columns as plain strings, for code that iterates every table. */
export type AnyDataPolicy = {
  table: TableName;
  room: RoomName;
  key: readonly string[];
  workspaceColumn: string | null;
  onUninstall: 'purge' | { keep: string };
  retention:
    | { class: 'workspace-history'; timeColumn: string; onlyWhere?: { column: string; in: readonly string[] } }
    | { class: 'dedup-window'; timeColumn: string }
    | { class: 'expiry'; timeColumn: string }
    | { class: 'with-parent'; parent: TableName }
    | { class: 'kept'; reason: string };
  children?: readonly { table: TableName; column: string }[];
};
