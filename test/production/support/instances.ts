/**
 * Several instances of one edition on one PostgreSQL database and one Redis, as a production
 * deployment runs them: in this process (`startInProcess`) or as real processes started by the CLI
 * (`spawnInstance`), which can be sent SIGTERM or killed outright.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../../../sandbox/src/index.js';
import { startEdition } from '../../../src/edition.js';
import type { RunningEdition } from '../../../src/edition.js';
import { SecretBox } from '../../../src/security/secret-box.js';
import type { Database } from '../../../src/storage/database.js';
import { TEST_ENCRYPTION_KEY, tempDir, testConfig } from '../../helpers/config.js';
import { captureLogger } from '../../helpers/logs.js';
import { mainEntryArgs } from '../../helpers/main-entry.js';
import type { CapturedLogs } from '../../helpers/logs.js';
import { freePort } from '../../helpers/stack.js';

export interface ClusterEnvInput {
  sandbox: Sandbox;
  databaseUrl: string;
  redisUrl: string;
  /** What Clockify calls: the balancer in front, or one instance. */
  baseUrl: string;
  /** A key unique to the test, so the shared Redis budget of other tests never mixes in. */
  addonKey?: string;
  forwardingUrl?: string;
  extra?: Record<string, string>;
}

/** The environment an operator would give every instance of the Clockify Add-on edition. */
export function clusterEnv(input: ClusterEnvInput): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    CLOCKIFY_PUBLIC_KEY: input.sandbox.publicKeyPem,
    CLOCKIFY_ALLOWED_HOSTS: new URL(input.sandbox.url).host,
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    CLOCKIFY_ADDON_BASE_URL: input.baseUrl,
    CLOCKIFY_ADDON_ADDON_KEY: input.addonKey ?? uniqueAddonKey(),
    // Bootstrap traffic is its own benchmark; here it would only blur what each test measures.
    CLOCKIFY_ADDON_RUN_ON_INSTALL: 'false',
    ...(input.forwardingUrl ? { CLOCKIFY_ADDON_FORWARDING_URL: input.forwardingUrl, OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } : {}),
    WORKER_CONCURRENCY: '4',
    ...input.extra,
  };
}

export function uniqueAddonKey(): string {
  return `cap-test-${randomBytes(5).toString('hex')}`;
}

/** An instance in this process, on its own port. */
export async function startInProcess(env: Record<string, string>, logs?: CapturedLogs): Promise<RunningEdition> {
  const config = testConfig(env);
  return startEdition('clockify-addon', config, { logger: (logs ?? captureLogger('warn')).logger, port: await freePort() });
}

export interface SpawnedInstance {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout + stderr so far (JSON log lines), for failure messages. */
  output(): string;
  /** Resolves with the exit code / signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitReady(timeoutMs?: number): Promise<void>;
}

/** `cap start --edition clockify-addon` in a child process, as a container would run it. */
export function spawnInstance(env: Record<string, string>, port: number): SpawnedInstance {
  const child = spawn(process.execPath, [...mainEntryArgs(), 'start', '--edition', 'clockify-addon'], {
    // A folder without a .env file, so nothing of the developer's setup leaks in.
    cwd: tempDir('cap-instance-'),
    env: { PATH: process.env.PATH ?? '', DATA_DIR: tempDir('cap-instance-data-'), ...env, CLOCKIFY_ADDON_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    url,
    port,
    child,
    output: () => output,
    exited,
    async waitReady(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (ended) throw new Error(`instance on port ${port} exited before it was ready:\n${output}`);
        const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) })
          .then((response) => response.status === 200)
          .catch(() => false);
        if (ready) return;
        if (Date.now() > deadline) throw new Error(`instance on port ${port} not ready within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** Stops a spawned instance if it still runs (test clean-up), by its own pid only. */
export async function killInstance(instance: SpawnedInstance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill('SIGKILL');
  await instance.exited;
}

/**
 * The token Clockify signs a webhook of `event` with, read back from the add-on's own store: what a
 * retried delivery carries, so tests can deliver one event to several instances.
 */
export async function webhookToken(database: Database, workspaceId: string, event: string): Promise<string> {
  const row = await database.db
    .selectFrom('webhook_registrations')
    .select('token_ciphertext')
    .where('workspace_id', '=', workspaceId)
    .where('event', '=', event)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!row?.token_ciphertext) throw new Error(`no active webhook token for ${event} in ${workspaceId}`);
  return new SecretBox(Buffer.from(TEST_ENCRYPTION_KEY, 'hex')).open(row.token_ciphertext);
}

/** POSTs a Clockify webhook as Clockify would: the status (0 when no answer came), the body and Retry-After. */
export async function deliverWebhook(
  baseUrl: string,
  event: string,
  token: string,
  payload: unknown,
): Promise<{ status: number; body: unknown; retryAfter?: string }> {
  try {
    const response = await fetch(`${baseUrl}/webhooks/clockify/${event.toLowerCase().replaceAll('_', '-')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'clockify-signature': token, 'clockify-webhook-event-type': event },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return {
      status: response.status,
      body,
      ...(response.headers.has('retry-after') ? { retryAfter: response.headers.get('retry-after')! } : {}),
    };
  } catch {
    return { status: 0, body: undefined };
  }
}
