/**
 * An edition with the bootstrap room, installed into a real sandbox over HTTP.
 *
 *   const h = await startHarness({ dialect, seed: { users: 3 } });
 *   const run = await h.start();            // a run with its job queued
 *   await h.runJob();                       // the job handler, as a worker would call it
 *   await h.close();
 */
import type { FastifyInstance } from 'fastify';
import { urlWithQuery } from '../../src/clockify/catalog/index.js';
import type { ClockifyClient } from '../../src/clockify/client/index.js';
import { buildManifest } from '../../src/clockify/manifest.js';
import type { EditionId } from '../../src/editions/types.js';
import { setupRooms } from '../../src/rooms.js';
import type { Runtime } from '../../src/runtime.js';
import { createHttpServer } from '../../src/server/app.js';
import { opsRoutes } from '../../src/server/ops-routes.js';
import { registerUserAuth } from '../../src/lifecycle/user-auth.js';
import { JOB_BOOTSTRAP, startRun } from '../../src/bootstrap/index.js';
import type { StartOptions } from '../../src/bootstrap/index.js';
import { startSandbox } from '../../sandbox/src/index.js';
import type { Sandbox, SandboxOptions, SeedOptions } from '../../sandbox/src/index.js';
import { createTestRuntime } from '../helpers/runtime.js';
import type { TestRuntime } from '../helpers/runtime.js';
import type { Dialect } from '../helpers/databases.js';

/** Small but multi-page with page size 10. */
export const SMALL_SEED: SeedOptions = {
  seed: 11,
  users: 3,
  projects: 12,
  clients: 3,
  tags: 4,
  tasksPerProject: 2,
  timeEntries: 90,
  customFields: 2,
  userGroups: 2,
};

export interface HarnessOptions {
  dialect: Dialect;
  edition?: EditionId;
  seed?: SeedOptions;
  sandbox?: Omit<SandboxOptions, 'seed'>;
  /** Setting defaults as environment variables, without the edition prefix: { RUN_ON_INSTALL: 'false' }. */
  settings?: Record<string, string>;
  env?: Record<string, string>;
}

export interface Harness {
  sandbox: Sandbox;
  test: TestRuntime;
  runtime: Runtime;
  app: FastifyInstance;
  workspaceId: string;
  addonKey: string;
  /** Every page the add-on received a 2xx for, as `METHOD url?query`, in order. */
  fetched: string[];
  /** Called (and awaited) after each 2xx page arrives, before the runner sees it. */
  onResponse: ((count: number, url: string) => void | Promise<void>) | undefined;
  /** Operations the sandbox answers 503 for (fault injection switched on around their calls). */
  failing: Set<string>;
  start(options?: StartOptions): Promise<string>;
  runJob(signal?: AbortSignal): Promise<void>;
  userToken(role?: 'OWNER' | 'REGULAR'): Promise<string>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The edition's app with the bootstrap room (without the role rule: these tests act as the owner). */
async function buildAppWithBootstrap(runtime: Runtime): Promise<FastifyInstance> {
  const app = createHttpServer(runtime);
  await app.register(opsRoutes, { runtime });
  const rooms = await setupRooms(runtime);
  for (const room of rooms) if (room.routes) await room.routes(app);
  await app.register(async (ui) => {
    registerUserAuth(ui, runtime);
    for (const room of rooms) if (room.uiRoutes) await room.uiRoutes(ui);
  });
  await app.ready();
  return app;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const editionId = options.edition ?? 'clockify-addon';
  const sandbox = await startSandbox({ seed: options.seed ?? SMALL_SEED, ...options.sandbox });
  const host = new URL(sandbox.url).host;
  let test: TestRuntime | undefined;
  try {
    const prefix = { 'api-studio': 'API_STUDIO', 'universal-webhook': 'UNIVERSAL_WEBHOOK', 'clockify-addon': 'CLOCKIFY_ADDON' }[editionId];
    const settings = Object.fromEntries(
      Object.entries({ RUN_ON_INSTALL: 'false', TIME_ENTRY_DAYS_BACK: '60', MAX_RPS: '40', ...options.settings }).map(([name, value]) => [
        `${prefix}_${name}`,
        value,
      ]),
    );
    test = await createTestRuntime(editionId, {
      dialect: options.dialect,
      // One operation at a time unless a test asks for more: most tests follow the exact order of requests.
      env: {
        CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem,
        CLOCKIFY_ALLOWED_HOSTS: host,
        BOOTSTRAP_CONCURRENCY: '1',
        ...settings,
        ...options.env,
      },
      buildApp: buildAppWithBootstrap,
    });
    const { runtime, app } = test;
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const addonKey = runtime.editionConfig.key;
    const installed = await sandbox.install({ manifest: buildManifest({ edition: runtime.edition, key: addonKey, baseUrl: url }) });
    if (!installed.installed) throw new Error(`install failed: ${JSON.stringify(installed)}`);

    const harness: Harness = {
      sandbox,
      test,
      runtime,
      app,
      workspaceId: installed.workspaceId,
      addonKey,
      fetched: [],
      onResponse: undefined,
      failing: new Set(),
      async start(startOptions = {}) {
        const result = await startRun(runtime, harness.workspaceId, startOptions);
        if (!result.started) throw new Error(`not started: ${result.reason}`);
        return result.run.id;
      },
      async runJob(signal = new AbortController().signal) {
        const job = {
          id: 0,
          kind: JOB_BOOTSTRAP,
          workspaceId: harness.workspaceId,
          payload: {},
          attempts: 1,
          maxAttempts: 10,
          lockedBy: 'test',
        };
        await runtime.jobHandlers[JOB_BOOTSTRAP]!(job, { signal, logger: runtime.logger });
      },
      userToken: (role = 'OWNER') => sandbox.userToken({ addonKey, workspaceId: harness.workspaceId, role }),
      async counts() {
        const rows = await runtime.database.db
          .selectFrom('entity_cache')
          .select(['entity_type', (eb) => eb.fn.countAll<number>().as('count')])
          .where('workspace_id', '=', harness.workspaceId)
          .groupBy('entity_type')
          .execute();
        return Object.fromEntries(rows.map((row) => [row.entity_type, Number(row.count)]));
      },
      async close() {
        await test?.close();
        await sandbox.close();
      },
    };

    // Watch every page the add-on receives (the sandbox's own log has no query strings).
    const client: ClockifyClient = runtime.client;
    runtime.client = {
      request: (input) => client.request(input),
      async call(input) {
        const failing = input.operation !== undefined && harness.failing.has(input.operation.operationId);
        if (failing) sandbox.setFaults({ errorRate: 1 });
        let response;
        try {
          response = await client.call(input);
        } finally {
          if (failing) sandbox.setFaults({});
        }
        if (response.status < 300) {
          const url = `${input.request.method} ${urlWithQuery(input.request)}${input.request.body ? ` ${JSON.stringify(input.request.body)}` : ''}`;
          harness.fetched.push(url);
          await harness.onResponse?.(harness.fetched.length, url);
        }
        return response;
      },
    };
    return harness;
  } catch (error) {
    await test?.close();
    await sandbox.close();
    throw error;
  }
}

/** Sets a workspace's own settings (as Clockify would after the admin saved them). */
export async function setWorkspaceSettings(h: Harness, values: Record<string, unknown>): Promise<void> {
  const row = await h.runtime.database.db
    .selectFrom('installations')
    .select('settings_json')
    .where('workspace_id', '=', h.workspaceId)
    .executeTakeFirstOrThrow();
  const merged = { ...(JSON.parse(row.settings_json) as Record<string, unknown>), ...values };
  await h.runtime.database.db
    .updateTable('installations')
    .set({ settings_json: JSON.stringify(merged) })
    .where('workspace_id', '=', h.workspaceId)
    .execute();
  h.runtime.invalidateSettings(h.workspaceId);
}

export async function runOf(h: Harness, runId: string) {
  return h.runtime.database.db.selectFrom('bootstrap_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
}

export async function stepsOf(h: Harness, runId: string) {
  return h.runtime.database.db
    .selectFrom('bootstrap_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('position')
    .orderBy('step_key')
    .execute();
}

/** Sandbox API requests of the workspace (everything the add-on sent, answered or refused). */
export function sandboxRequests(h: Harness) {
  return h.sandbox.requestLog().filter((record) => record.workspaceId === h.workspaceId);
}
