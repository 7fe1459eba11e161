/**
 * One edition under attack, driven through `app.inject` (the real HTTP app, no socket): it trusts
 * our own forged "Clockify" key, calls a stub Clockify, installs workspaces through the real
 * lifecycle route, and checks the invariants every hostile request must keep:
 *
 *   - no 5xx, and an answer within a bounded time (a hang fails the test, whatever the speed);
 *   - every 4xx is application/problem+json with type/title/status/detail/requestId;
 *   - a rejected request stores and changes nothing (a digest of every row of every table);
 *   - no answer ever contains a secret the harness knows (tokens, encryption key, source secrets).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { webhookPath } from '../../../src/clockify/manifest.js';
import { getEdition } from '../../../src/editions/index.js';
import type { EditionDefinition, EditionId } from '../../../src/editions/types.js';
import type { Runtime } from '../../../src/runtime.js';
import type { Database } from '../../../src/storage/database.js';
import { TEST_ENCRYPTION_KEY } from '../../helpers/config.js';
import type { Dialect } from '../../helpers/databases.js';
import { createTestRuntime } from '../../helpers/runtime.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { addonClaims, forger, userClaims } from './forge.js';
import type { ClaimsInput, Forger } from './forge.js';
import { startStubClockify } from './stub-clockify.js';
import type { StubClockify } from './stub-clockify.js';

export const BASE_URL = 'https://addon.example.com';
/** Bound on one request: far above any honest answer, far below the test timeout. */
export const REQUEST_DEADLINE_MS = 5_000;
const PROBLEM_JSON = /^application\/problem\+json/;

export interface InstalledWorkspace {
  workspaceId: string;
  addonId: string;
  ownerId: string;
  claims: ClaimsInput;
  installationToken: string;
  lifecycleToken: string;
  /** Manifest event → the webhook token Clockify gave for it in INSTALLED. */
  webhookTokens: Record<string, string>;
  userToken(role?: string, extra?: Record<string, unknown>): Promise<string>;
}

export interface Harness {
  edition: EditionDefinition;
  t: TestRuntime;
  app: FastifyInstance;
  runtime: Runtime;
  forge: Forger;
  stub: StubClockify;
  install(workspaceId?: string): Promise<InstalledWorkspace>;
  /** inject with a deadline; fails the test on a hang. */
  send(options: InjectOptions): Promise<LightMyRequestResponse>;
  /**
   * Sends a hostile request and checks every invariant; returns the answer for further checks.
   * `allow2xx: false` additionally demands a rejection.
   */
  attack(options: InjectOptions, expectation?: { allow2xx?: boolean }): Promise<LightMyRequestResponse>;
  /** Remember a secret that must never appear in an answer (and that secrets.test.ts looks for in storage). */
  addSecret(secret: string): void;
  secrets(): string[];
  /** Every answer body seen so far (for the secrets scan). */
  bodies(): string[];
  stats: { requests: number; rejected: number; accepted: number; byStatus: Record<number, number> };
  close(): Promise<void>;
}

export interface HarnessOptions {
  dialect?: Dialect;
  /** Names the harness in the ADVERSARIAL_STATS report. */
  label?: string;
  env?: Record<string, string>;
}

export function randomWorkspaceId(): string {
  return randomBytes(12).toString('hex');
}

export interface InstallationInput {
  forge: Forger;
  edition: EditionDefinition;
  addonKey: string;
  backendUrl: string;
  /** The add-on's public URL, as the webhook paths of INSTALLED carry it. */
  baseUrl: string;
  workspaceId?: string;
  /** Called with every token minted, so callers can look for it later. */
  onToken?: (token: string) => void;
}

/** Everything Clockify would mint for one installation, and the INSTALLED call that delivers it. */
export async function forgeInstallation(
  input: InstallationInput,
): Promise<{ workspace: InstalledWorkspace; request: { headers: Record<string, string>; body: string } }> {
  const { forge, edition } = input;
  const onToken = input.onToken ?? (() => undefined);
  const workspaceId = input.workspaceId ?? randomWorkspaceId();
  const claims: ClaimsInput = {
    addonKey: input.addonKey,
    workspaceId,
    addonId: randomBytes(12).toString('hex'),
    userId: randomBytes(12).toString('hex'),
    backendUrl: input.backendUrl,
  };
  const installationToken = await forge.sign(addonClaims(claims));
  const lifecycleToken = await forge.sign(addonClaims(claims, { iat: Math.floor(Date.now() / 1000) }));
  const webhookTokens: Record<string, string> = {};
  for (const event of edition.manifestEvents) webhookTokens[event] = await forge.sign(addonClaims(claims));
  for (const token of [installationToken, lifecycleToken, ...Object.values(webhookTokens)]) onToken(token);
  const body = {
    addonId: claims.addonId,
    authToken: installationToken,
    workspaceId,
    asUser: claims.userId,
    apiUrl: input.backendUrl,
    webhooks: edition.manifestEvents.map((event) => ({
      path: `${input.baseUrl}${webhookPath(event)}`,
      webhookType: 'ADDON',
      authToken: webhookTokens[event]!,
    })),
  };
  const workspace: InstalledWorkspace = {
    workspaceId,
    addonId: claims.addonId,
    ownerId: claims.userId,
    claims,
    installationToken,
    lifecycleToken,
    webhookTokens,
    userToken: async (role = 'OWNER', extra = {}) => {
      const token = await forge.sign(userClaims(claims, role, extra));
      onToken(token);
      return token;
    },
  };
  return {
    workspace,
    request: { headers: { 'x-addon-lifecycle-token': lifecycleToken, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  };
}

export async function createHarness(editionId: EditionId, options: HarnessOptions = {}): Promise<Harness> {
  const edition = getEdition(editionId);
  const forge = await forger();
  const stub = await startStubClockify();
  const t = await createTestRuntime(editionId, {
    dialect: options.dialect ?? 'sqlite',
    env: {
      CLOCKIFY_PUBLIC_KEY: forge.publicKeyPem,
      CLOCKIFY_ALLOWED_HOSTS: stub.host,
      [edition.baseUrlEnv]: BASE_URL,
      RATE_LIMIT_RPS: '1000',
      BOOTSTRAP_RATE_LIMIT_RPS: '1000',
      // The fuzzers send thousands of dry runs as one member: the cost budget is tested on its own (cost-budget.test.ts).
      COST_BUDGET_BURST: '1000000',
      COST_BUDGET_IP_BURST: '1000000',
      ...options.env,
    },
  }).catch(async (error) => {
    await stub.close();
    throw error;
  });
  const { app, runtime } = t;
  const secrets = new Set<string>([TEST_ENCRYPTION_KEY, Buffer.from(TEST_ENCRYPTION_KEY, 'hex').toString('base64')]);
  const bodies: string[] = [];
  const stats = { requests: 0, rejected: 0, accepted: 0, byStatus: {} as Record<number, number> };

  const send = async (request: InjectOptions): Promise<LightMyRequestResponse> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`no answer within ${REQUEST_DEADLINE_MS} ms: ${request.method ?? 'GET'} ${String(request.url).slice(0, 200)}`)),
        REQUEST_DEADLINE_MS,
      );
    });
    try {
      const response = await Promise.race([app.inject(request), deadline]);
      stats.requests += 1;
      stats.byStatus[response.statusCode] = (stats.byStatus[response.statusCode] ?? 0) + 1;
      bodies.push(response.body);
      return response;
    } finally {
      clearTimeout(timer);
    }
  };

  const install = async (workspaceId = randomWorkspaceId()): Promise<InstalledWorkspace> => {
    const { workspace, request } = await forgeInstallation({
      forge,
      edition,
      addonKey: runtime.editionConfig.key,
      backendUrl: stub.backendUrl,
      baseUrl: BASE_URL,
      workspaceId,
      onToken: (token) => secrets.add(token),
    });
    const response = await send({ method: 'POST', url: '/lifecycle/installed', headers: request.headers, payload: request.body });
    if (response.statusCode !== 200) throw new Error(`install failed: ${response.statusCode} ${response.body}`);
    return workspace;
  };

  const attack: Harness['attack'] = async (request, expectation = {}) => {
    const before = await databaseDigest(runtime.database);
    const response = await send(request);
    const where = `${request.method ?? 'GET'} ${String(request.url).slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, where).toBeLessThan(500);
    if (expectation.allow2xx === false) expect(response.statusCode, where).toBeGreaterThanOrEqual(400);
    if (response.statusCode >= 400) {
      stats.rejected += 1;
      expectProblem(response, where);
      expect(await databaseDigest(runtime.database), `a rejected request changed the database: ${where}`).toEqual(before);
    } else {
      stats.accepted += 1;
    }
    expectNoSecret(response.body, [...secrets], where);
    return response;
  };

  let closing: Promise<void> | undefined;
  return {
    edition,
    t,
    app,
    runtime,
    forge,
    stub,
    install,
    send,
    attack,
    addSecret: (secret) => void secrets.add(secret),
    secrets: () => [...secrets],
    bodies: () => bodies,
    stats,
    close: () =>
      (closing ??= (async () => {
        // ADVERSARIAL_STATS=1 prints what the fuzzers reached (the numbers docs/security.md quotes).
        if (process.env.ADVERSARIAL_STATS) console.log(`[adversarial] ${options.label ?? editionId}: ${JSON.stringify(stats)}`);
        await t.close();
        await stub.close();
      })()),
  };
}

/** The one error shape: RFC 9457 problem+json with our fields, status matching the HTTP status. */
export function expectProblem(response: LightMyRequestResponse, where = ''): void {
  expect(String(response.headers['content-type']), where).toMatch(PROBLEM_JSON);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(body, where).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status: response.statusCode,
      detail: expect.any(String),
      requestId: expect.any(String),
    }),
  );
}

export function expectNoSecret(text: string, secrets: string[], where = ''): void {
  for (const secret of secrets) {
    if (secret.length >= 16 && text.includes(secret))
      throw new Error(`a secret (${secret.slice(0, 6)}…, ${secret.length} chars) appeared in: ${where || text.slice(0, 200)}`);
  }
}

/** Names of every table of the database, read from the database itself so new tables are covered. */
export async function tableNames(database: Database): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const rows = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(database.db);
    return rows.rows.map((row) => row.name);
  }
  const rows = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    database.db,
  );
  return rows.rows.map((row) => row.name);
}

/** Row count and a content digest of every table: equal digests mean nothing was stored or changed. */
export async function databaseDigest(database: Database): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const table of await tableNames(database)) {
    // Leases of the background clean-up come and go on their own schedule: not data a request changes.
    if (table === 'locks') continue;
    // The inspector's record of refused requests is what a refusal is meant to leave (issue 22):
    // bounded by its own rate limit and retention, and holding no body. Everything else must stay.
    if (table === 'rejected_requests') continue;
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(database.db);
    const lines = rows.rows.map((row) => JSON.stringify(row)).sort();
    digest[table] = `${lines.length} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return digest;
}

/** Rows of one workspace in every table that has a workspace_id column, as sorted JSON lines. */
export async function workspaceRows(database: Database, workspaceId: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of await tableNames(database)) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(database.db);
    const own = rows.rows.filter((row) => row.workspace_id === workspaceId);
    if (own.length > 0) result[table] = own.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}
