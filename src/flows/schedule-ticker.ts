/**
 * Runs scheduled flows. Every instance ticks (every 30 s); an occurrence is claimed by moving the
 * flow's `next_due_at` on with a compare-and-set in the same transaction that queues its job, so
 * however many instances share the database, each occurrence is queued once. The job then runs
 * through the executor like any run: a run record whose event is the occurrence
 * ({scheduledFor, timeZone}), with the idempotency ledger guarding a retried job.
 */
import type { ProcessableEvent } from '../events/consumers.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Runtime } from '../runtime.js';
import type { FlowExecutor } from './executor.js';
import type { FlowDefinition, ScheduleTrigger } from './model.js';
import { nextOccurrence, planDue } from './schedule.js';
import type { FlowStore } from './store.js';

export const JOB_SCHEDULED_RUN = 'flow.scheduled-run';
export const SCHEDULE_TICK_MS = 30_000;
/** An occurrence later than this when an instance first sees it was missed (no instance was running). */
export const SCHEDULE_GRACE_MS = 3 * 60_000;
const BATCH = 200;

export interface ScheduledRunPayload {
  flowId: string;
  /** Epoch ms of the occurrence. */
  scheduledFor: number;
  timeZone: string;
}

export const scheduleEventId = (scheduledFor: number) => `schedule-${scheduledFor}`;

/** The event of a scheduled run: rebuilt from its id, so a replay of the run needs nothing stored. */
export function scheduledEvent(
  definition: FlowDefinition,
  workspaceId: string,
  eventId: string,
  receivedAt: number,
): ProcessableEvent | undefined {
  const trigger = scheduleOf(definition);
  const scheduledFor = Number(/^schedule-(\d+)$/.exec(eventId)?.[1]);
  if (!trigger || !Number.isFinite(scheduledFor)) return undefined;
  return {
    id: eventId,
    workspaceId,
    source: 'schedule',
    eventType: 'schedule',
    payload: { scheduledFor: new Date(scheduledFor).toISOString(), timeZone: zoneOf(trigger) },
    receivedAt,
  };
}

function scheduleOf(definition: FlowDefinition): ScheduleTrigger | undefined {
  return definition.trigger.kind === 'schedule' ? definition.trigger : undefined;
}

const zoneOf = (trigger: ScheduleTrigger) => trigger.timeZone ?? 'UTC';

export class ScheduleTicker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly tickMs = SCHEDULE_TICK_MS,
  ) {}

  start(): void {
    this.stopped = false;
    this.later(Math.min(this.tickMs, 2_000));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private later(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick()
        // The database may be down: the next tick tries again.
        .catch((error) => this.runtime.logger.warn({ err: error }, 'could not check flow schedules'))
        .finally(() => this.later(this.tickMs));
    }, ms);
    this.timer.unref();
  }

  /** One pass: start schedules of new or edited flows, then queue every due occurrence. Returns how many were queued. */
  async tick(): Promise<number> {
    await this.sync();
    return this.queueDue();
  }

  /** Flows enabled with a schedule trigger whose schedule row is missing or from another version get one computed from now. */
  private async sync(): Promise<void> {
    const { db } = this.runtime.database;
    const now = this.runtime.now();
    const rows = await db
      .selectFrom('flows')
      .leftJoin('flow_schedules', 'flow_schedules.flow_id', 'flows.id')
      .select(['flows.id', 'flows.workspace_id', 'flows.version', 'flows.definition_json'])
      .where('flows.enabled', '=', 1)
      .where('flows.definition_json', 'like', '%"kind":"schedule"%')
      .where((eb) => eb.or([eb('flow_schedules.flow_id', 'is', null), eb('flow_schedules.flow_version', '<', eb.ref('flows.version'))]))
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const trigger = scheduleOf(JSON.parse(row.definition_json) as FlowDefinition);
      if (!trigger) continue;
      const next = nextOccurrence(trigger.schedule, zoneOf(trigger), now);
      await db
        .insertInto('flow_schedules')
        .values({
          flow_id: row.id,
          workspace_id: row.workspace_id,
          flow_version: row.version,
          next_due_at: next,
          last_occurrence: null,
          updated_at: now,
        })
        // Another instance may have done it already, perhaps claimed an occurrence since: only a newer version replaces it.
        .onConflict((oc) =>
          oc
            .column('flow_id')
            .doUpdateSet((eb) => ({
              flow_version: eb.ref('excluded.flow_version'),
              next_due_at: eb.ref('excluded.next_due_at'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where('flow_schedules.flow_version', '<', (eb) => eb.ref('excluded.flow_version')),
        )
        .execute();
    }
    // Deleted flows leave nothing behind.
    await db.deleteFrom('flow_schedules').where('flow_id', 'not in', db.selectFrom('flows').select('id')).execute();
  }

  private async queueDue(): Promise<number> {
    const { database, queue } = this.runtime;
    const now = this.runtime.now();
    const due = await database.db
      .selectFrom('flow_schedules')
      .innerJoin('flows', (join) =>
        join.onRef('flows.id', '=', 'flow_schedules.flow_id').onRef('flows.version', '=', 'flow_schedules.flow_version'),
      )
      .select([
        'flow_schedules.flow_id',
        'flow_schedules.workspace_id',
        'flow_schedules.flow_version',
        'flow_schedules.next_due_at',
        'flows.definition_json',
      ])
      .where('flows.enabled', '=', 1)
      .where('flow_schedules.next_due_at', '<=', now)
      // A total order: instances claiming the same rows in one transaction each lock them in the same order (no deadlock).
      .orderBy('flow_schedules.next_due_at')
      .orderBy('flow_schedules.flow_id')
      .limit(BATCH)
      .execute();
    // One transaction for the whole batch: a schedule firing at the same minute in many workspaces
    // costs one commit, not one each, and every run can start at once.
    const skipped: typeof due = [];
    const queued = await database.db.transaction().execute(async (trx) => {
      let count = 0;
      for (const row of due) {
        const trigger = scheduleOf(JSON.parse(row.definition_json) as FlowDefinition);
        if (!trigger) continue;
        const dueAt = Number(row.next_due_at);
        const plan = planDue(trigger.schedule, zoneOf(trigger), dueAt, now, trigger.missed ?? 'skip', SCHEDULE_GRACE_MS);
        const result = await trx
          .updateTable('flow_schedules')
          .set({ next_due_at: plan.next, updated_at: now, ...(plan.run !== null ? { last_occurrence: plan.run } : {}) })
          .where('flow_id', '=', row.flow_id)
          .where('flow_version', '=', row.flow_version)
          .where('next_due_at', '=', dueAt)
          .executeTakeFirst();
        // Another instance moved it on first: that one queues the occurrence.
        if (Number(result.numUpdatedRows) !== 1) continue;
        if (plan.run === null) {
          skipped.push(row);
          continue;
        }
        const payload: ScheduledRunPayload = { flowId: row.flow_id, scheduledFor: plan.run, timeZone: zoneOf(trigger) };
        await queue.enqueue(
          { kind: JOB_SCHEDULED_RUN, workspaceId: row.workspace_id, payload, dedupeKey: `${JOB_SCHEDULED_RUN}:${row.flow_id}:${plan.run}` },
          trx,
        );
        count += 1;
      }
      return count;
    });
    for (const row of skipped)
      this.runtime.logger.info(
        { workspaceId: row.workspace_id, flowId: row.flow_id, missedFrom: new Date(Number(row.next_due_at)).toISOString() },
        'missed schedule occurrences skipped (the flow says missed: skip)',
      );
    if (queued > 0) queue.notify();
    return queued;
  }
}

/** Runs one occurrence of a scheduled flow through the executor, like any run. */
export function scheduledRunJob(runtime: Pick<Runtime, 'now'>, store: FlowStore, executor: FlowExecutor): JobHandler {
  return async (job, { signal }) => {
    const payload = job.payload as ScheduledRunPayload;
    const flow = await store.get(job.workspaceId, payload.flowId);
    // Deleted, disabled or no longer scheduled since it was queued: nothing to do.
    if (!flow || !flow.enabled || flow.definition.trigger.kind !== 'schedule') return;
    const event = scheduledEvent(flow.definition, job.workspaceId, scheduleEventId(payload.scheduledFor), runtime.now());
    if (event) await executor.run(flow, event, { signal });
  };
}
