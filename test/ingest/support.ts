/** Helpers of the ingest tests: realistic payloads and a second instance of an edition on the same database. */
import { randomBytes } from 'node:crypto';
import { getEdition } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { startEdition } from '../../src/edition.js';
import type { RunningEdition } from '../../src/edition.js';
import { readResourceJson } from '../../src/resources.js';
import { testConfig } from '../helpers/config.js';
import { freePort } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

export const objectId = () => randomBytes(12).toString('hex');

/** Clockify's NEW_TIME_ENTRY sample (resources/clockify/webhook-samples.json) for a workspace, with a fresh entry id. */
export function timeEntryPayload(workspaceId: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  const samples = readResourceJson<Record<string, Record<string, any>>>('clockify', 'webhook-samples.json');
  const sample = structuredClone(samples.NEW_TIME_ENTRY!);
  return { ...sample, id: objectId(), workspaceId, ...overrides };
}

/**
 * Another instance of an edition of the stack, on the same database (as a second replica would
 * be), with its own port and optional extra environment. Stop it yourself.
 */
export async function startSecondInstance(stack: Stack, id: EditionId, env: Record<string, string> = {}): Promise<RunningEdition> {
  const first = stack.edition(id);
  const definition = getEdition(id);
  const port = await freePort();
  const config = testConfig({
    CLOCKIFY_PUBLIC_KEY: stack.sandbox.publicKeyPem,
    CLOCKIFY_ALLOWED_HOSTS: new URL(stack.sandbox.url).host,
    [definition.baseUrlEnv]: first.runtime.editionConfig.baseUrl,
    [definition.dbUrlEnv]: first.runtime.editionConfig.databaseUrl,
    HOST: '127.0.0.1',
    WORKER_CONCURRENCY: '4',
    ...env,
  });
  return startEdition(id, config, { logger: stack.logs.logger, port });
}
