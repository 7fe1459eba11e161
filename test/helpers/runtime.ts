/**
 * One edition wired for tests: real config loader, real runtime (storage, queue, tokens, metrics)
 * over a fresh database of the chosen dialect, and the edition's HTTP app for `app.inject`.
 *
 *   const t = await createTestRuntime('api-studio', { dialect: 'sqlite' });
 *   const res = await t.app.inject({ method: 'GET', url: '/healthz' });
 *   expect(t.logs.text()).not.toContain(secret);
 *   await t.close();
 */
import type { FastifyInstance } from 'fastify';
import { getEdition } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { buildEditionApp } from '../../src/edition.js';
import { createRuntime } from '../../src/runtime.js';
import type { Runtime } from '../../src/runtime.js';
import { testConfig } from './config.js';
import { createTestDatabaseUrl } from './databases.js';
import type { Dialect } from './databases.js';
import { captureLogger } from './logs.js';
import type { CapturedLogs } from './logs.js';

export interface TestRuntimeOptions {
  dialect: Dialect;
  /** Extra environment variables, e.g. { API_STUDIO_BASE_URL: 'https://addon.example' }. */
  env?: Record<string, string>;
  now?: () => number;
  /** How to build the HTTP app; default buildEditionApp (ready, every room registered). */
  buildApp?: (runtime: Runtime) => Promise<FastifyInstance>;
}

export interface TestRuntime {
  runtime: Runtime;
  app: FastifyInstance;
  /** Everything the runtime logged (level trace), for assertions about log content. */
  logs: CapturedLogs;
  /** Closes the app and the runtime, then drops the database. Safe to call twice. */
  close(): Promise<void>;
}

export async function createTestRuntime(editionId: EditionId, options: TestRuntimeOptions): Promise<TestRuntime> {
  const edition = getEdition(editionId);
  const database = await createTestDatabaseUrl(options.dialect);
  const logs = captureLogger();
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  const closeAll = async () => {
    await app?.close().catch(() => undefined);
    await runtime?.close();
    await database.drop();
  };
  try {
    const config = testConfig({ [edition.dbUrlEnv]: database.url, ...options.env });
    runtime = await createRuntime(editionId, config, { logger: logs.logger, now: options.now });
    app = await (options.buildApp ?? buildEditionApp)(runtime);
  } catch (error) {
    await closeAll();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { runtime, app, logs, close: () => (closing ??= closeAll()) };
}
