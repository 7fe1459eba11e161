/**
 * Flow steps benchmark (issue 23): a ten-step flow with a for-each over 50 items, one run at a time
 * (taking turns over `workspaces` workspaces, so the budget of calls never sets the pace), against
 * the Clockify sandbox. Measured per database:
 * - the edition's CPU per executed step (its process's user + system time over the measured runs,
 *   read from /proc, so neither the sandbox nor this process counts; PostgreSQL's own CPU is not in it);
 * - trigger → last step: from the add-on's 200 to the webhook (the sandbox's delivery finished) to
 *   the run's end as the edition records it (finished_at, written after its last step), p50/p95/max.
 *
 * The flow (NEW_CLIENT): getTags · set (a list of 50 names) · branch (then: set) · for-each over the
 * 50 names (a set per item, rendering a template) · set · find the client by name (Clockify: the
 * workspace cache is empty) · set · set with onlyIf · getTags · set — 10 top-level steps, 61
 * executed per run (10 + the branch's step + 50 iterations), 3 Clockify calls.
 *
 *   npx tsx bench/flow-steps.ts [--dialect sqlite|postgres] [--workspaces 10] [--runs 100] [--warm-up 10] [--port N] [--json]
 *
 * The edition runs in its own process from the TypeScript sources (bench/common.ts startSourceEdition:
 * HTTP and job worker in one process, as deployed); the sandbox and this process share the other core.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/src/index.js';
import { getEdition } from '../src/editions/index.js';
import type { EditionId } from '../src/editions/types.js';
import { openDatabase } from '../src/storage/database.js';
import {
  cpuMs,
  createPostgresDatabase,
  freePort,
  machineFacts,
  postgresAnswers,
  round,
  sandboxEditionEnv,
  sleep,
  startSourceEdition,
} from './common.js';

const EDITION: EditionId = 'api-studio';
const TRIGGER = 'NEW_CLIENT';
const ITEMS = 50;
/** 10 top-level steps + the branch's one + one per item. */
const STEPS_PER_RUN = 10 + 1 + ITEMS;

export interface FlowStepsOptions {
  dialect: 'sqlite' | 'postgres';
  /** The runs take turns over this many workspaces (default 10), so none comes near its budget of calls. */
  workspaces: number;
  runs: number;
  warmUp: number;
  port?: number;
  log?: (line: string) => void;
}

export interface FlowStepsResult {
  machine: ReturnType<typeof machineFacts>;
  dialect: FlowStepsOptions['dialect'];
  runs: number;
  succeeded: number;
  stepsPerRun: number;
  /** Step records the last run left (should equal stepsPerRun). */
  recordedStepsLastRun: number;
  editionCpuMsPerRun: number;
  editionCpuMsPerStep: number;
  /** Webhook acknowledged → run finished, ms. */
  triggerToLastStep: { p50: number; p95: number; max: number };
  tooManyRequests: number;
}

function flowDefinition() {
  const names = Array.from({ length: ITEMS }, (_, index) => `item-${String(index).padStart(2, '0')}`);
  const step = (id: string, values: Record<string, unknown>) => ({ id, kind: 'set', values });
  return {
    name: 'bench: ten steps, a for-each over 50',
    enabled: true,
    trigger: { kind: 'clockify', events: [TRIGGER] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'exists' }] },
    actions: [
      { id: 'tags', kind: 'clockify', operationId: 'getTags', params: { 'page-size': 1 } },
      step('vals', { label: 'client {{ event.name }}', names }),
      {
        id: 'check',
        kind: 'branch',
        if: { mode: 'all', rules: [{ path: '$.event.archived', op: 'equals', value: false }] },
        then: [step('active', { note: '{{ event.name }} is active' })],
        else: [{ id: 'quit', kind: 'stop', outcome: 'skipped' }],
      },
      {
        id: 'loop',
        kind: 'for-each',
        items: '{{ steps.vals.names }}',
        maxItems: ITEMS,
        steps: [step('each', { line: '{{ item }} ({{ loop.index }} of {{ loop.count }}) for {{ event.name | upper }}' })],
      },
      step('summary', { count: '{{ steps.loop.count }}', first: '{{ steps.vals.names | join:"," | truncate:20 }}' }),
      { id: 'client', kind: 'find', entity: 'client', by: { field: 'name', value: '{{ event.name }}' }, ifMissing: 'continue' },
      step('found', { found: '{{ steps.client.found }}' }),
      {
        id: 'onlyNew',
        kind: 'set',
        onlyIf: { mode: 'all', rules: [{ path: '$.steps.client.found', op: 'equals', value: true }] },
        values: { known: 'yes' },
      },
      { id: 'tagsAgain', kind: 'clockify', operationId: 'getTags', params: { name: '{{ steps.vals.label }}', 'page-size': 1 } },
      step('done', { label: '{{ steps.vals.label }} done' }),
    ],
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};

export async function runFlowSteps(options: FlowStepsOptions): Promise<FlowStepsResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[flow-steps] ${line}\n`));
  const { dialect } = options;
  const sandbox = await startSandbox({
    seed: { workspaces: options.workspaces, users: 1, projects: 1, clients: 1, tags: 2, timeEntries: 0, customFields: 0, userGroups: 0 },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'cap-bench-flow-steps-'));
  const database =
    dialect === 'postgres'
      ? await createPostgresDatabase('bench_flow_steps')
      : { url: `sqlite:${join(dataDir, 'flow-steps.db')}`, drop: async () => undefined };
  const definition = getEdition(EDITION);
  const port = options.port ?? (await freePort());
  const edition = await startSourceEdition(
    EDITION,
    // Flows, not a bootstrap (no run on install): the workspace cache stays empty, so the find step asks Clockify.
    sandboxEditionEnv({ edition: definition, port, dataDir, databaseUrl: database.url, sandbox }),
    port,
  );
  // This process reads the edition's run records itself: asking the edition would add to its CPU.
  const reader = await openDatabase(database.url, { migrations: [], migrate: false, poolSize: 2 });
  try {
    const workspaceIds = sandbox.workspaces().map((workspace) => workspace.id);
    log(`${dialect}: installing in ${workspaceIds.length} workspaces, one flow of ${STEPS_PER_RUN} steps per run each…`);
    for (const workspaceId of workspaceIds) {
      const installed = await sandbox.install({ manifestUrl: `${edition.url}/manifest`, workspaceId });
      if (!installed.installed) throw new Error(`install failed: ${JSON.stringify(installed)}`);
      const token = await sandbox.userToken({ addonKey: definition.key, workspaceId, role: 'OWNER' });
      const created = await fetch(`${edition.url}/ui/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ definition: flowDefinition() }),
      });
      if (created.status !== 201) throw new Error(`could not create the flow: ${created.status} ${await created.text()}`);
    }
    const { db } = reader;
    const openJobs = async () =>
      (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).where('run_at', '<=', Date.now()).execute())
        .length;
    for (let waited = 0; (await openJobs()) > 0 && waited < 120_000; waited += 100) await sleep(100);

    const finishedRuns = async () =>
      db
        .selectFrom('flow_runs')
        .select(['id', 'status', 'finished_at'])
        .where('finished_at', 'is not', null)
        .orderBy('finished_at')
        .execute();
    // Round robin: one workspace's runs, back to back, would spend its 50 calls a second and wait on its budget.
    const runOnce = async (index: number): Promise<number> => {
      const workspaceId = workspaceIds[(index + workspaceIds.length) % workspaceIds.length]!;
      const before = (await finishedRuns()).length;
      const name = `client-${index}`;
      const [delivery] = await sandbox.trigger(TRIGGER, {
        workspaceId,
        payload: { id: `client-${index}-${randomBytes(4).toString('hex')}`, name, workspaceId, archived: false },
      });
      if (!delivery || delivery.state !== 'SUCCEEDED' || delivery.finishedAt === undefined)
        throw new Error(`webhook not acknowledged: ${JSON.stringify(delivery)}`);
      for (let waited = 0; ; waited += 5) {
        const runs = await finishedRuns();
        if (runs.length > before) return Number(runs[runs.length - 1]!.finished_at) - delivery.finishedAt;
        if (waited > 60_000) throw new Error('a run did not finish within a minute');
        await sleep(5);
      }
    };

    log(`${dialect}: ${options.warmUp} runs to warm up, then ${options.runs} measured, one at a time…`);
    for (let index = 0; index < options.warmUp; index++) await runOnce(index - options.warmUp);
    const firstRequest = sandbox.requestLog().length;
    const firstRun = (await finishedRuns()).length;
    const cpuBefore = cpuMs(edition.child.pid!) ?? Number.NaN;
    const latencies: number[] = [];
    for (let index = 0; index < options.runs; index++) latencies.push(await runOnce(index));
    const cpu = (cpuMs(edition.child.pid!) ?? Number.NaN) - cpuBefore;
    const measured = (await finishedRuns()).slice(firstRun);
    const lastRun = measured[measured.length - 1]!;
    const recorded = await db.selectFrom('flow_action_results').select('idempotency_key').where('run_id', '=', lastRun.id).execute();
    return {
      machine: machineFacts(),
      dialect,
      runs: measured.length,
      succeeded: measured.filter((run) => run.status === 'succeeded').length,
      stepsPerRun: STEPS_PER_RUN,
      recordedStepsLastRun: recorded.length,
      editionCpuMsPerRun: round(cpu / options.runs, 1),
      editionCpuMsPerStep: round(cpu / (options.runs * STEPS_PER_RUN), 3),
      triggerToLastStep: {
        p50: round(percentile(latencies, 50), 1),
        p95: round(percentile(latencies, 95), 1),
        max: round(Math.max(...latencies), 1),
      },
      tooManyRequests: sandbox
        .requestLog()
        .slice(firstRequest)
        .filter((record) => record.status === 429).length,
    };
  } finally {
    await reader.close();
    await edition.stop();
    await sandbox.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatFlowSteps(results: FlowStepsResult[]): string {
  return [
    '| database | runs succeeded | steps per run (recorded) | edition CPU ms per step | edition CPU ms per run | trigger → last step p50 / p95 / max ms | 429s |',
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.dialect} | ${r.succeeded}/${r.runs} | ${r.stepsPerRun} (${r.recordedStepsLastRun}) | ${r.editionCpuMsPerStep} | ${r.editionCpuMsPerRun} | ${r.triggerToLastStep.p50} / ${r.triggerToLastStep.p95} / ${r.triggerToLastStep.max} | ${r.tooManyRequests} |`,
    ),
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index === -1 ? undefined : argv[index + 1];
  };
  const dialect = (value('dialect') ?? 'sqlite') as FlowStepsOptions['dialect'];
  if (dialect === 'postgres' && !(await postgresAnswers())) throw new Error('PostgreSQL does not answer');
  const result = await runFlowSteps({
    dialect,
    workspaces: Number(value('workspaces') ?? 10),
    runs: Number(value('runs') ?? 100),
    warmUp: Number(value('warm-up') ?? 10),
    port: value('port') ? Number(value('port')) : undefined,
  });
  console.log(
    argv.includes('--json') ? JSON.stringify(result, null, 2) : `${JSON.stringify(result.machine)}\n\n${formatFlowSteps([result])}`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
