/**
 * The jobs table's writes that other rooms run inside their own statements (the ingest commit queues
 * its processing jobs; the event store completes a job with its last writes). The column list and
 * the state of a new job live here only: a caller supplies values, never column names.
 */

/** A new job's values as SQL expressions (`?` for a parameter, a column of the caller's SELECT, a literal). */
export interface NewJobSql {
  kind: string;
  workspaceId: string;
  payloadJson: string;
  priority: string;
  maxAttempts: string;
  runAt: string;
  dedupeKey: string;
  createdAt: string;
  updatedAt: string;
}

const JOB_COLUMNS = [
  'kind',
  'workspace_id',
  'payload_json',
  'status',
  'priority',
  'attempts',
  'max_attempts',
  'run_at',
  'dedupe_key',
  'created_at',
  'updated_at',
].join(', ');

/** A new job's values in JOB_COLUMNS' order: pending, not yet attempted. */
function jobValues(values: NewJobSql): string {
  const { kind, workspaceId, payloadJson, priority, maxAttempts, runAt, dedupeKey, createdAt, updatedAt } = values;
  return [kind, workspaceId, payloadJson, `'pending'`, priority, '0', maxAttempts, runAt, dedupeKey, createdAt, updatedAt].join(', ');
}

/** `INSERT INTO jobs … SELECT <values> <from>`: jobs from a caller's rows, e.g. one per workspace and chunk of a batch. */
export function insertJobsSelectSql(values: NewJobSql, from: string): string {
  return `INSERT INTO jobs (${JOB_COLUMNS})
     SELECT ${jobValues(values)}
     ${from}`;
}

const PARAMETER = '?';

/**
 * Adds one job; parameters in the order of `jobRowFor`. A job whose dedupe key is already active is
 * not added (no row returned).
 */
export const INSERT_JOB_SQL = `INSERT INTO jobs (${JOB_COLUMNS})
   VALUES (${jobValues({
     kind: PARAMETER,
     workspaceId: PARAMETER,
     payloadJson: PARAMETER,
     priority: PARAMETER,
     maxAttempts: PARAMETER,
     runAt: PARAMETER,
     dedupeKey: PARAMETER,
     createdAt: PARAMETER,
     updatedAt: PARAMETER,
   })}) ON CONFLICT DO NOTHING RETURNING id`;

export interface NewJob {
  kind: string;
  workspaceId: string;
  /** The payload as stored (JSON text). */
  payloadJson: string;
  priority: number;
  maxAttempts: number;
  runAt: number;
  dedupeKey: string | null;
  now: number;
}

/** The parameters of INSERT_JOB_SQL for one job. */
export function jobRowFor(job: NewJob): [string, string, string, number, number, number, string | null, number, number] {
  return [job.kind, job.workspaceId, job.payloadJson, job.priority, job.maxAttempts, job.runAt, job.dedupeKey, job.now, job.now];
}

/**
 * Completes a claimed job (parameters: finished_at, updated_at, id, locked_by), so a handler can
 * complete its job in the very statement that makes its last writes (one round trip).
 */
export const COMPLETE_JOB_SQL = `UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, finished_at = ?, updated_at = ?
   WHERE id = ? AND locked_by = ? AND status = 'running'`;
