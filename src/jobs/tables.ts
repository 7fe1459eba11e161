import type { Generated } from 'kysely';
import { tablePolicy } from '../storage/data-policy.js';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  workspace_id: string;
  payload_json: string;
  status: 'pending' | 'running' | 'done' | 'dead' | 'cancelled';
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

// Merged into the schema every query is typed against (interface merging), from this room's folder.
declare module '../storage/schema.js' {
  interface DatabaseSchema {
    jobs: JobsTable;
  }
}

/** The jobs room's data: the queue. */
export const JOBS_TABLES = [
  tablePolicy({
    table: 'jobs',
    room: 'jobs',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    // The purge itself runs from this table.
    onUninstall: { keep: 'pending jobs are cancelled at uninstall and the purge itself is a job; finished ones leave with retention' },
    // Only finished jobs: one still to do (or retried) is never swept.
    retention: {
      class: 'workspace-history',
      timeColumn: 'finished_at',
      onlyWhere: { column: 'status', in: ['done', 'cancelled', 'dead'] },
    },
  }),
];
