/**
 * The API client sends a token only to Clockify's hosts and the configured extra ones. Here the
 * sandbox's host is left out of CLOCKIFY_ALLOWED_HOSTS, so the installation's backendUrl (the
 * sandbox) is not allowed: every call is refused before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

describe('API client host allowlist', () => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: ['universal-webhook'], env: { CLOCKIFY_ALLOWED_HOSTS: 'clockify-proxy.example.com' } });
    ({ workspaceId } = await stack.install('universal-webhook'));
  });
  afterAll(() => stack?.close());

  it('refuses an explorer call to a backendUrl outside the allowlist with 403, and the host receives nothing', async () => {
    const token = await stack.userToken('universal-webhook', 'OWNER');
    const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { token, body: { operationId: 'getTags' } });
    expect(response.status).toBe(403);
    expect(response.body.type).toMatch(/host-not-allowed$/);
    expect(response.body.detail).toContain('nothing was sent');

    // Not this call, nor the webhook registrations the installation started: no request ever reached the sandbox.
    const db = stack.edition('universal-webhook').runtime.database.db;
    const refusedRegistrations = await eventually(async () => {
      const rows = await db
        .selectFrom('api_calls')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('source', '!=', 'explorer')
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    expect(refusedRegistrations.every((row) => row.status === null && row.error?.includes('not in the allowlist'))).toBe(true);
    expect(stack.sandbox.requestLog()).toEqual([]);

    const rows = await db
      .selectFrom('api_calls')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('source', '=', 'explorer')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation_id: 'getTags', status: null, attempts: 0 });
    expect(rows[0]!.error).toContain('not in the allowlist');
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
