import { sql } from 'kysely';
import type { Database } from '../../src/storage/database.js';

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
}

/** Tables, columns and primary keys as the database itself reports them (sqlite_master / information_schema). */
export async function introspectTables(database: Database): Promise<TableInfo[]> {
  const { db } = database;
  if (database.dialect === 'sqlite') {
    const tables = (
      await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(
        db,
      )
    ).rows;
    const result: TableInfo[] = [];
    for (const { name } of tables) {
      const columns = (
        await sql<{
          name: string;
          type: string;
          notnull: number;
          dflt_value: string | null;
          pk: number;
        }>`SELECT * FROM pragma_table_info(${name})`.execute(db)
      ).rows;
      result.push({
        name,
        columns: columns.map((column) => ({
          name: column.name,
          type: column.type.toLowerCase(),
          notNull: column.notnull === 1,
          hasDefault: column.dflt_value !== null,
        })),
        primaryKey: columns
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name),
      });
    }
    return result;
  }
  const tables = (
    await sql<{
      table_name: string;
    }>`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
      db,
    )
  ).rows;
  const columns = (
    await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>`
      SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db)
  ).rows;
  const keys = (
    await sql<{ table_name: string; column_name: string }>`
      SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() ORDER BY kcu.ordinal_position`.execute(db)
  ).rows;
  return tables.map(({ table_name: name }) => ({
    name,
    columns: columns
      .filter((column) => column.table_name === name)
      .map((column) => ({
        name: column.column_name,
        type: column.data_type.toLowerCase(),
        notNull: column.is_nullable === 'NO',
        hasDefault: column.column_default !== null,
      })),
    primaryKey: keys.filter((key) => key.table_name === name).map((key) => key.column_name),
  }));
}
