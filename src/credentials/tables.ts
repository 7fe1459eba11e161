import { tablePolicy } from '../storage/data-policy.js';

export interface CredentialsTable {
  id: string;
  workspace_id: string;
  name: string;
  kind: 'header' | 'bearer' | 'basic' | 'query';
  field_name: string | null;
  secret_ciphertext: string;
  created_at: number;
  updated_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    credentials: CredentialsTable;
  }
}

/** The credentials room's data: named secrets of a workspace for HTTP actions (sealed values). */
export const CREDENTIALS_TABLES = [
  tablePolicy({
    table: 'credentials',
    room: 'credentials',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'a handful of named credentials per workspace, removed by an admin' },
  }),
];
