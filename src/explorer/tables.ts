import { tablePolicy } from '../storage/data-policy.js';

export interface ApiCallsTable {
  id: string;
  workspace_id: string;
  source: 'explorer' | 'flow' | 'bootstrap' | 'system';
  operation_id: string | null;
  method: string;
  url: string;
  status: number | null;
  duration_ms: number;
  attempts: number;
  error: string | null;
  request_json: string | null;
  response_excerpt: string | null;
  user_id: string | null;
  created_at: number;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    api_calls: ApiCallsTable;
  }
}

/** The explorer room's data: the log of calls made to Clockify (by every source; the explorer shows its own). */
export const EXPLORER_TABLES = [
  tablePolicy({
    table: 'api_calls',
    room: 'explorer',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'workspace-history', timeColumn: 'created_at' },
  }),
];
