import { tablePolicy } from '../storage/data-policy.js';

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
    retention: { class: 'workspace-history', timeColumn: 'finished_at', onlyWhere: { column: 'status', in: ['done', 'cancelled', 'dead'] } },
  }),
];
