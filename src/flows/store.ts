import type { Selectable } from 'kysely';
import type { Database, Db, Tx } from '../storage/database.js';
import type { FlowActionResultsTable, FlowRunsTable, FlowsTable } from './tables.js';
import { newId } from '../util/ids.js';
import { RawStatement } from '../storage/raw.js';
import { parseJsonOr } from '../util/json.js';
import type { FlowDefinition } from './model.js';
import { placeOf } from './retry-plan.js';

export interface StoredFlow {
  id: string;
  workspaceId: string;
  name: string;
  enabled: boolean;
  version: number;
  definition: FlowDefinition;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  lastRunStatus: string | null;
  lastRunAt: number | null;
}

export interface FlowRunView {
  id: string;
  flowId: string;
  flowVersion: number;
  eventId: string | null;
  status: FlowRunsTable['status'];
  matched: boolean;
  trace: unknown;
  error: string | null;
  replayOf: string | null;
  startedAt: number;
  finishedAt: number | null;
}

/** What a run list can be narrowed to (the per-flow history and the inspector across flows). */
export interface RunFilter {
  flowId?: string | undefined;
  status?: string | undefined;
  statuses?: FlowRunsTable['status'][] | undefined;
  eventType?: string | undefined;
  /** Retries of these runs (the inspector follows a bulk retry's progress with it). */
  replayOf?: string[] | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

export interface FlowVersionSummary {
  version: number;
  name: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: number;
}

export interface ActionResultView {
  actionId: string;
  /** Where the step sits in the flow: its id at the top level, `loop1[3].tagIt` inside a for-each. */
  path: string;
  kind: string | null;
  position: number;
  status: FlowActionResultsTable['status'];
  request: unknown;
  response: unknown;
  /** What the step saw (the event, the loop item, the earlier steps it refers to); null on records older than migration 009. */
  input: unknown;
  attempts: number;
  durationMs: number;
  createdAt: number;
}

// Runs for every stored event: a prepared statement, no query building.
const ENABLED_FLOWS = new RawStatement('SELECT * FROM flows WHERE workspace_id = ? AND enabled = 1 ORDER BY created_at');

/** Whether an event (its source and type) triggers the flow. */
export function triggeredBy(flow: StoredFlow, source: string, eventType: string): boolean {
  const trigger = flow.definition.trigger;
  if (trigger.kind === 'clockify') return source === 'clockify' && trigger.events.includes(eventType);
  // A scheduled flow runs from its schedule (schedule-ticker.ts), never on a stored event.
  if (trigger.kind === 'schedule') return false;
  return (
    source === `custom:${trigger.sourceId}` &&
    (!trigger.eventTypes || trigger.eventTypes.length === 0 || trigger.eventTypes.includes(eventType))
  );
}

/** Flows (versioned on every edit), their runs and each action's result. Every query is scoped by workspace. */
export class FlowStore {
  constructor(
    private readonly database: Database,
    private readonly now: () => number,
  ) {}

  get db(): Db {
    return this.database.db;
  }

  async list(workspaceId: string): Promise<StoredFlow[]> {
    const rows = await this.db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
    return rows.map(toFlow);
  }

  async get(workspaceId: string, id: string): Promise<StoredFlow | undefined> {
    const row = await this.db
      .selectFrom('flows')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toFlow(row) : undefined;
  }

  /** The definition a run used, even if the flow was edited since. */
  async version(flowId: string, version: number): Promise<FlowDefinition | undefined> {
    const row = await this.db
      .selectFrom('flow_versions')
      .select('definition_json')
      .where('flow_id', '=', flowId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? (JSON.parse(row.definition_json) as FlowDefinition) : undefined;
  }

  async create(workspaceId: string, definition: FlowDefinition, userId: string | null): Promise<StoredFlow> {
    const now = this.now();
    const id = newId(now);
    const json = JSON.stringify(definition);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('flows')
        .values({
          id,
          workspace_id: workspaceId,
          name: definition.name,
          enabled: definition.enabled ? 1 : 0,
          version: 1,
          definition_json: json,
          created_by: userId,
          created_at: now,
          updated_at: now,
          last_run_status: null,
          last_run_at: null,
        })
        .execute();
      await trx
        .insertInto('flow_versions')
        .values({ flow_id: id, version: 1, workspace_id: workspaceId, definition_json: json, created_by: userId, created_at: now })
        .execute();
    });
    return (await this.get(workspaceId, id))!;
  }

  async update(workspaceId: string, id: string, definition: FlowDefinition, userId: string | null): Promise<StoredFlow | undefined> {
    const now = this.now();
    const json = JSON.stringify(definition);
    const updated = await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('flows')
        .select('version')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) return false;
      const version = current.version + 1;
      await trx
        .updateTable('flows')
        .set({ name: definition.name, enabled: definition.enabled ? 1 : 0, version, definition_json: json, updated_at: now })
        .where('id', '=', id)
        .execute();
      await trx
        .insertInto('flow_versions')
        .values({ flow_id: id, version, workspace_id: workspaceId, definition_json: json, created_by: userId, created_at: now })
        .execute();
      return true;
    });
    return updated ? this.get(workspaceId, id) : undefined;
  }

  /** Enabling or disabling is an edit like any other: a new version, so runs say which one they used. */
  async setEnabled(workspaceId: string, id: string, enabled: boolean, userId: string | null): Promise<StoredFlow | undefined> {
    const flow = await this.get(workspaceId, id);
    if (!flow) return undefined;
    if (flow.enabled === enabled) return flow;
    return this.update(workspaceId, id, { ...flow.definition, enabled }, userId);
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('flows').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Enabled flows of a workspace whose trigger is this event. */
  /** The workspace's enabled flows, oldest first. */
  async enabled(workspaceId: string): Promise<StoredFlow[]> {
    return (await ENABLED_FLOWS.run<Selectable<FlowsTable>>(this.db, this.database.dialect, [workspaceId])).rows.map(toFlow);
  }

  // ---- runs ----

  async findRun(workspaceId: string, flowId: string, version: number, eventId: string): Promise<FlowRunView | undefined> {
    const row = await this.db
      .selectFrom('flow_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .where('flow_version', '=', version)
      .where('event_id', '=', eventId)
      .where('replay_of', 'is', null)
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async startRun(input: {
    workspaceId: string;
    flowId: string;
    version: number;
    eventId: string | null;
    matched: boolean;
    trace: unknown;
    replayOf?: string | null;
  }): Promise<string> {
    const now = this.now();
    const id = newId(now);
    await this.db
      .insertInto('flow_runs')
      .values({
        id,
        workspace_id: input.workspaceId,
        flow_id: input.flowId,
        flow_version: input.version,
        event_id: input.eventId,
        status: input.matched ? 'running' : 'skipped',
        matched: input.matched ? 1 : 0,
        condition_trace_json: JSON.stringify(input.trace),
        error: null,
        dry_run: 0,
        replay_of: input.replayOf ?? null,
        started_at: now,
        finished_at: input.matched ? null : now,
      })
      .execute();
    return id;
  }

  async finishRun(
    workspaceId: string,
    runId: string,
    flowId: string,
    status: FlowRunsTable['status'],
    error: string | null,
  ): Promise<void> {
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('flow_runs')
        .set({ status, error, finished_at: now })
        .where('id', '=', runId)
        .where('workspace_id', '=', workspaceId)
        .execute();
      await trx
        .updateTable('flows')
        .set({ last_run_status: status, last_run_at: now })
        .where('id', '=', flowId)
        .where('workspace_id', '=', workspaceId)
        .execute();
    });
  }

  async runStatus(workspaceId: string, runId: string): Promise<FlowRunsTable['status'] | undefined> {
    const row = await this.db
      .selectFrom('flow_runs')
      .select('status')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', runId)
      .executeTakeFirst();
    return row?.status;
  }

  /** A run parked by a wait (`waiting`) or taken up again (`running`): not finished. */
  async setRunStatus(workspaceId: string, runId: string, status: 'waiting' | 'running'): Promise<void> {
    await this.db.updateTable('flow_runs').set({ status }).where('id', '=', runId).where('workspace_id', '=', workspaceId).execute();
  }

  /** `aboutUser`: only a run on an event about this user (a member's view, see access-policy). */
  async getRun(
    workspaceId: string,
    runId: string,
    aboutUser?: string,
  ): Promise<{ run: FlowRunView; actions: ActionResultView[] } | undefined> {
    let query = this.db.selectFrom('flow_runs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', runId);
    if (aboutUser !== undefined) query = query.where('event_id', 'in', this.eventsAbout(workspaceId, aboutUser));
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const actions = await this.db
      .selectFrom('flow_action_results')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('run_id', '=', runId)
      .orderBy('position')
      .execute();
    return { run: toRun(row), actions: actions.map(toAction) };
  }

  async listRuns(
    workspaceId: string,
    filter: RunFilter & { before?: string; limit: number; aboutUser?: string },
  ): Promise<{ runs: FlowRunView[]; nextCursor: string | null }> {
    let query = this.db.selectFrom('flow_runs').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.aboutUser !== undefined) query = query.where('event_id', 'in', this.eventsAbout(workspaceId, filter.aboutUser));
    if (filter.flowId) query = query.where('flow_id', '=', filter.flowId);
    if (filter.status) query = query.where('status', '=', filter.status as FlowRunsTable['status']);
    if (filter.statuses) query = query.where('status', 'in', filter.statuses);
    if (filter.eventType) {
      const ofType = this.db
        .selectFrom('webhook_events')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('event_type', '=', filter.eventType);
      query = query.where('event_id', 'in', ofType);
    }
    if (filter.replayOf) query = query.where('replay_of', 'in', filter.replayOf.length > 0 ? filter.replayOf : ['']);
    if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
    if (filter.before) query = query.where('id', '<', filter.before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const runs = rows.slice(0, filter.limit).map(toRun);
    return { runs, nextCursor: rows.length > filter.limit ? (runs[runs.length - 1]?.id ?? null) : null };
  }

  /** Runs of the workspace by id (unknown ids are simply absent). */
  async runsById(workspaceId: string, ids: readonly string[]): Promise<FlowRunView[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('flow_runs').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
    return rows.map(toRun);
  }

  /** The newest run (by id, which sorts by start) of each flow on each of these events, keyed by `placeOf`. */
  async newestRunsOn(workspaceId: string, eventIds: readonly string[]): Promise<Map<string, string>> {
    const newest = new Map<string, string>();
    if (eventIds.length === 0) return newest;
    const rows = await this.db
      .selectFrom('flow_runs')
      .select(['id', 'flow_id', 'event_id'])
      .where('workspace_id', '=', workspaceId)
      .where('event_id', 'in', [...new Set(eventIds)])
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) {
      const place = placeOf({ flowId: row.flow_id, eventId: row.event_id });
      if (!newest.has(place)) newest.set(place, row.id);
    }
    return newest;
  }

  /** The event type of each stored event among `ids` (a scheduled run's event is not stored: absent). */
  async eventTypes(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('webhook_events')
      .select(['id', 'event_type'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((row) => [row.id, row.event_type]));
  }

  // ---- versions ----

  /** Every saved version of a flow, newest first, without their definitions. */
  async versions(workspaceId: string, flowId: string): Promise<FlowVersionSummary[]> {
    const rows = await this.db
      .selectFrom('flow_versions')
      .select(['version', 'definition_json', 'created_by', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => {
      const definition = parseJsonOr<Partial<FlowDefinition>>(row.definition_json, {});
      return {
        version: row.version,
        name: typeof definition.name === 'string' ? definition.name : '',
        enabled: definition.enabled === true,
        createdBy: row.created_by,
        createdAt: Number(row.created_at),
      };
    });
  }

  /** One saved version with its definition, scoped by workspace. */
  async versionOf(
    workspaceId: string,
    flowId: string,
    version: number,
  ): Promise<(FlowVersionSummary & { definition: FlowDefinition }) | undefined> {
    const row = await this.db
      .selectFrom('flow_versions')
      .select(['version', 'definition_json', 'created_by', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) return undefined;
    const definition = JSON.parse(row.definition_json) as FlowDefinition;
    return {
      version: row.version,
      name: definition.name,
      enabled: definition.enabled === true,
      createdBy: row.created_by,
      createdAt: Number(row.created_at),
      definition,
    };
  }

  /** Ids of the workspace's events about one user (runs are about the user their event is about). */
  private eventsAbout(workspaceId: string, userId: string) {
    return this.db.selectFrom('webhook_events').select('id').where('workspace_id', '=', workspaceId).where('user_id', '=', userId);
  }

  // ---- action results (the idempotency ledger) ----

  async actionResult(key: string, executor: Db | Tx = this.db): Promise<Selectable<FlowActionResultsTable> | undefined> {
    return executor.selectFrom('flow_action_results').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  }

  /** Writes the intent to send before sending. False when the key already has a record. */
  async claimAction(input: {
    key: string;
    runId: string;
    workspaceId: string;
    actionId: string;
    position: number;
    request: unknown;
    stepPath?: string;
    kind?: string;
  }): Promise<boolean> {
    const row = await this.db
      .insertInto('flow_action_results')
      .values({
        idempotency_key: input.key,
        run_id: input.runId,
        workspace_id: input.workspaceId,
        action_id: input.actionId,
        position: input.position,
        status: 'pending',
        request_json: JSON.stringify(input.request ?? null),
        response_json: null,
        attempts: 0,
        duration_ms: 0,
        created_at: this.now(),
        step_path: input.stepPath ?? input.actionId,
        kind: input.kind ?? null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async recordAction(
    key: string,
    input: {
      runId: string;
      status: FlowActionResultsTable['status'];
      request: unknown;
      response: unknown;
      attempts: number;
      durationMs: number;
      /** What the step saw (step-input.ts); left as it is when not given. */
      input?: unknown;
    },
  ): Promise<void> {
    await this.db
      .updateTable('flow_action_results')
      .set({
        run_id: input.runId,
        status: input.status,
        request_json: JSON.stringify(input.request ?? null),
        response_json: JSON.stringify(input.response ?? null),
        attempts: input.attempts,
        duration_ms: Math.round(input.durationMs),
        ...(input.input === undefined ? {} : { input_json: JSON.stringify(input.input) }),
      })
      .where('idempotency_key', '=', key)
      .execute();
  }
}

function toFlow(row: Selectable<FlowsTable>): StoredFlow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    enabled: row.enabled === 1,
    version: row.version,
    definition: JSON.parse(row.definition_json) as FlowDefinition,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastRunStatus: row.last_run_status,
    lastRunAt: row.last_run_at === null ? null : Number(row.last_run_at),
  };
}

function toRun(row: Selectable<FlowRunsTable>): FlowRunView {
  return {
    id: row.id,
    flowId: row.flow_id,
    flowVersion: row.flow_version,
    eventId: row.event_id,
    status: row.status,
    matched: row.matched === 1,
    trace: parseJsonOr(row.condition_trace_json, null),
    error: row.error,
    replayOf: row.replay_of,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

function toAction(row: Selectable<FlowActionResultsTable>): ActionResultView {
  return {
    actionId: row.action_id,
    path: row.step_path ?? row.action_id,
    kind: row.kind,
    position: row.position,
    status: row.status,
    request: parseJsonOr(row.request_json, null),
    response: parseJsonOr(row.response_json, null),
    input: parseJsonOr(row.input_json, null),
    attempts: row.attempts,
    durationMs: row.duration_ms,
    createdAt: Number(row.created_at),
  };
}
