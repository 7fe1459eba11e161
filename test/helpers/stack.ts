/**
 * The whole thing over real HTTP: the Clockify sandbox and one or more editions wired to it (the
 * sandbox's key trusted, its host allowed), each on its own free port with a fresh database.
 *
 *   const stack = await startStack({ editions: ['api-studio'], dialect: 'sqlite' });
 *   const edition = stack.edition('api-studio');
 *   await stack.install('api-studio');
 *   const token = await stack.userToken('api-studio', 'OWNER');
 *   await fetch(`${edition.url}/ui/me`, { headers: { authorization: `Bearer ${token}` } });
 *   await stack.close();
 */
import { createServer } from 'node:net';
import { startSandbox } from '../../sandbox/src/index.js';
import type { Sandbox, SandboxOptions } from '../../sandbox/src/index.js';
import { getEdition } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { startEdition } from '../../src/edition.js';
import type { RunningEdition } from '../../src/edition.js';
import { testConfig } from './config.js';
import { createTestDatabaseUrl } from './databases.js';
import type { Dialect, TestDatabase } from './databases.js';
import { captureLogger } from './logs.js';
import type { CapturedLogs } from './logs.js';

export interface StackOptions {
  editions: EditionId[];
  dialect?: Dialect;
  sandbox?: SandboxOptions;
  /** Extra environment for every edition (strings, as an operator would set them). */
  env?: Record<string, string>;
  /** Start the job worker (default true). */
  worker?: boolean;
  /** The editions' clock (default Date.now): a test moves it ahead to reach a wait's or a schedule's time. */
  now?: () => number;
}

export interface Stack {
  sandbox: Sandbox;
  logs: CapturedLogs;
  edition(id: EditionId): RunningEdition;
  /** Installs an edition into the sandbox's first workspace (or the given one); throws unless the add-on answered 2xx. */
  install(id: EditionId, workspaceId?: string): Promise<{ workspaceId: string; addonId: string }>;
  userToken(
    id: EditionId,
    role?: 'OWNER' | 'ADMIN' | 'TEAM_MANAGER' | 'PROJECT_MANAGER' | 'REGULAR',
    workspaceId?: string,
  ): Promise<string>;
  /** fetch() against an edition with a user token; JSON in and out. */
  ui(
    id: EditionId,
    path: string,
    init?: { method?: string; body?: unknown; token?: string; role?: 'OWNER' | 'REGULAR' | 'ADMIN' },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** A port the OS says is free right now (the edition binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const sandbox = await startSandbox({
    seed: { users: 3, projects: 6, timeEntries: 60 },
    webhookRetryDelaysMs: [50, 100],
    ...options.sandbox,
  });
  const logs = captureLogger('debug');
  const running = new Map<EditionId, RunningEdition>();
  const databases: TestDatabase[] = [];
  const close = async () => {
    for (const edition of running.values()) await edition.stop().catch(() => undefined);
    await sandbox.close().catch(() => undefined);
    for (const database of databases) await database.drop().catch(() => undefined);
  };
  try {
    for (const id of options.editions) {
      const edition = getEdition(id);
      const port = await freePort();
      const database = await createTestDatabaseUrl(options.dialect ?? 'sqlite');
      databases.push(database);
      const config = testConfig({
        CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem,
        CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host,
        [edition.baseUrlEnv]: `http://127.0.0.1:${port}`,
        [edition.dbUrlEnv]: database.url,
        HOST: '127.0.0.1',
        WORKER_CONCURRENCY: '4',
        // One stack serves a whole test file as the same few users: its dry runs, explorer calls and
        // searches would add up past the cost budget, which test/adversarial/cost-budget.test.ts tests on its own.
        COST_BUDGET_BURST: '1000000',
        COST_BUDGET_IP_BURST: '1000000',
        ...options.env,
      });
      running.set(id, await startEdition(id, config, { logger: logs.logger, port, worker: options.worker, now: options.now }));
    }
  } catch (error) {
    await close();
    throw error;
  }

  const edition = (id: EditionId) => {
    const found = running.get(id);
    if (!found) throw new Error(`edition ${id} is not part of this stack`);
    return found;
  };
  const userToken: Stack['userToken'] = (id, role = 'OWNER', workspaceId) =>
    sandbox.userToken({ addonKey: edition(id).runtime.editionConfig.key, role, ...(workspaceId ? { workspaceId } : {}) });

  return {
    sandbox,
    logs,
    edition,
    async install(id, workspaceId) {
      const result = await sandbox.install({ manifestUrl: `${edition(id).url}/manifest`, ...(workspaceId ? { workspaceId } : {}) });
      if (!result.installed) throw new Error(`install of ${id} failed: ${JSON.stringify(result)}`);
      return { workspaceId: result.workspaceId, addonId: result.addonId };
    },
    userToken,
    async ui(id, path, init = {}) {
      const token = init.token ?? (await userToken(id, init.role ?? 'OWNER'));
      const response = await fetch(`${edition(id).url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    close,
  };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). For asynchronous effects such as processed webhooks. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
