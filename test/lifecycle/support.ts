/**
 * Shared by the lifecycle and ingest tests: tokens signed with the sandbox's own key (to vary claims
 * Clockify would never vary), a real webhook token read back from an edition's store, raw webhook
 * posts, whole-database snapshots and Prometheus counter readings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, generateKeyPair, importPKCS8 } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import { sql } from 'kysely';
import type { RunningEdition } from '../../src/edition.js';
import { tempDir } from '../helpers/config.js';

/** Where the sandbox keeps its key pair when started with `dataDir` (sandbox/src/keys.ts). */
export function sandboxKeyDir(): string {
  return tempDir('cap-sandbox-keys-');
}

export interface Forger {
  /** RS256 with the sandbox's private key: a token the add-on trusts unless a claim is wrong. */
  sign(claims: JWTPayload & Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** RS256 with a key the add-on has never seen. */
  signWithStrangerKey(claims: JWTPayload & Record<string, unknown>): Promise<string>;
  /** HS256 with the sandbox's public key PEM as the HMAC secret (the classic algorithm confusion). */
  signHs256WithPublicKey(claims: JWTPayload & Record<string, unknown>): Promise<string>;
  /** `alg: none`, no signature. */
  unsigned(claims: JWTPayload & Record<string, unknown>): string;
}

export async function createForger(keyDir: string): Promise<Forger> {
  const stored = JSON.parse(readFileSync(join(keyDir, 'sandbox-keys.json'), 'utf8')) as { privateKeyPem: string; publicKeyPem: string };
  const privateKey = await importPKCS8(stored.privateKeyPem, 'RS256');
  let stranger: CryptoKey | undefined;
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    sign: (claims, header = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(privateKey),
    async signWithStrangerKey(claims) {
      stranger ??= (await generateKeyPair('RS256', { modulusLength: 2048 })).privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(stranger);
    },
    signHs256WithPublicKey: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(stored.publicKeyPem)),
    unsigned: (claims) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
  };
}

/** The claims Clockify (and the sandbox) put in installation, webhook and lifecycle tokens. */
export function addonClaims(input: {
  addonKey: string;
  workspaceId: string;
  addonId: string;
  user?: string;
  backendUrl?: string;
}): JWTPayload & Record<string, unknown> {
  return {
    iss: 'clockify',
    sub: input.addonKey,
    type: 'addon',
    workspaceId: input.workspaceId,
    addonId: input.addonId,
    user: input.user ?? 'owner',
    ...(input.backendUrl ? { backendUrl: input.backendUrl } : {}),
  };
}

/** The token Clockify gave the edition for one webhook, opened from its sealed store. */
export async function storedWebhookToken(edition: RunningEdition, workspaceId: string, event: string): Promise<string> {
  const row = await edition.runtime.database.db
    .selectFrom('webhook_registrations')
    .select(['token_ciphertext', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('event', '=', event)
    .executeTakeFirst();
  if (!row?.token_ciphertext) throw new Error(`no stored token for ${event} in ${workspaceId}`);
  return edition.runtime.box.open(row.token_ciphertext);
}

export interface RawReply {
  status: number;
  body: any;
  contentType: string;
  text: string;
}

/** A POST with exactly the given headers and body text (no helper adds anything). */
export async function rawPost(url: string, headers: Record<string, string>, body: string): Promise<RawReply> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed, contentType: response.headers.get('content-type') ?? '', text };
}

/** Posts a Clockify-style webhook: JSON body, event type header, signature header (when given). */
export function postWebhook(
  edition: RunningEdition,
  input: { event: string; token?: string; body: unknown; path?: string; headers?: Record<string, string> },
): Promise<RawReply> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'clockify-webhook-event-type': input.event,
    ...input.headers,
  };
  if (input.token !== undefined) headers['clockify-signature'] = input.token;
  return rawPost(
    `${edition.url}${input.path ?? '/webhooks/clockify'}`,
    headers,
    typeof input.body === 'string' ? input.body : JSON.stringify(input.body),
  );
}

/** Every user table of the edition's database. */
export async function tableNames(edition: RunningEdition): Promise<string[]> {
  const { db, dialect } = edition.runtime.database;
  if (dialect === 'sqlite') {
    const rows = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
    return rows.rows.map((row) => row.name);
  }
  const rows = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    db,
  );
  return rows.rows.map((row) => row.name);
}

/** Every row of every table, as text (rows sorted so two snapshots of the same data are equal). */
export async function snapshotDatabase(edition: RunningEdition): Promise<Record<string, string[]>> {
  const { db } = edition.runtime.database;
  const snapshot: Record<string, string[]> = {};
  for (const table of await tableNames(edition)) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
    snapshot[table] = rows.rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

export async function rowCount(edition: RunningEdition, table: string, workspaceId?: string): Promise<number> {
  const { db } = edition.runtime.database;
  const rows = workspaceId
    ? await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)} WHERE workspace_id = ${workspaceId}`.execute(db)
    : await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(rows.rows[0]?.n ?? 0);
}

/** The value of one Prometheus sample of the edition's /metrics (0 when absent). */
export async function metricValue(edition: RunningEdition, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${edition.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Waits until no job of the edition is pending or running (background work settled). */
export async function jobsSettled(edition: RunningEdition, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await edition.runtime.queue.countsByStatus();
    if (!counts.pending && !counts.running) return;
    if (Date.now() > deadline) throw new Error(`jobs still busy: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
