/**
 * Whose background work waits: a workspace whose installation Clockify set INACTIVE keeps its jobs
 * until it is ACTIVE again. Given to the job queue (QueueOptions.waitingWorkspaces) as an SQL
 * condition, so the queue needs no knowledge of the installations table and the claim stays one query.
 */
export function pausedInstallation(workspaceIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM installations i WHERE i.workspace_id = ${workspaceIdColumn} AND i.status = 'INACTIVE')`;
}
