/**
 * The API explorer over real HTTP against the Clockify sandbox: what each edition lists, how a call
 * is validated, who may run writes, the redacted history, and retries through injected faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/clockify/catalog/index.js';
import { InstallationStore } from '../../src/lifecycle/installations.js';
import { jobsSettled } from '../lifecycle/support.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

const catalog = getCatalog();

const allOperationsOf = (body: { groups: { operations: { operationId: string; runnable: boolean; needsApiKey?: boolean }[] }[] }) =>
  body.groups.flatMap((group) => group.operations);

describe('API explorer against the sandbox', () => {
  let stack: Stack;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let ownerId: string;

  beforeAll(async () => {
    stack = await startStack({
      editions: ['universal-webhook', 'api-studio'],
      sandbox: { seed: { workspaces: 2, users: 3, projects: 4, timeEntries: 30 } },
    });
    ({ workspaceId } = await stack.install('universal-webhook'));
    await stack.install('api-studio', workspaceId);
    // The installs' background work (webhook registration, bootstrap) also calls the sandbox: "sends nothing" counts only the test's own calls.
    await jobsSettled(stack.edition('universal-webhook'), 60_000);
    await jobsSettled(stack.edition('api-studio'), 60_000);
    const workspaces = stack.sandbox.workspaces();
    ownerId = workspaces.find((ws) => ws.id === workspaceId)!.ownerId;
    otherWorkspaceId = workspaces.find((ws) => ws.id !== workspaceId)!.id;
  }, 120_000);
  afterAll(() => stack?.close());

  /** Requests the sandbox received whose path contains `fragment` (the installations' own webhook registrations run meanwhile). */
  const requestsTo = (fragment: string) => stack.sandbox.requestLog().filter((record) => record.path.includes(fragment)).length;

  describe('runs every read-only operation that needs only the workspace, with defaults', () => {
    const runnable = catalog.operations.filter((op) => op.readOnly && op.needsOnlyWorkspace && op.addonTokenAccepted);

    it.each(['universal-webhook', 'api-studio'] as const)('%s: each one answers 2xx from the sandbox', async (edition) => {
      expect(runnable.length).toBeGreaterThanOrEqual(19);
      const failures: string[] = [];
      for (const operation of runnable) {
        const response = await stack.ui(edition, '/ui/api-explorer/execute', { body: { operationId: operation.operationId } });
        if (response.status !== 200 || !(response.body.status >= 200 && response.body.status < 300)) {
          failures.push(`${operation.operationId}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('calls the reports server for a reports operation (base URL from the token claims)', async () => {
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getSharedReportsV1' } });
      expect(response.status).toBe(200);
      expect(response.body.request.url).toBe(`${stack.sandbox.reportsUrl}/v1/workspaces/${workspaceId}/shared-reports`);
    });
  });

  describe('GET /ui/api-explorer/endpoints', () => {
    const allOperations = (body: {
      groups: { operations: { method: string; operationId: string; readOnly: boolean; path: string; summary: string }[] }[];
    }) => body.groups.flatMap((group) => group.operations);

    it('API Studio lists only the GET operations; Universal Webhook lists all 168', async () => {
      const studio = await stack.ui('api-studio', '/ui/api-explorer/endpoints');
      expect(studio.status).toBe(200);
      const getCount = catalog.operations.filter((op) => op.method === 'GET').length;
      expect(studio.body.total).toBe(getCount);
      expect(allOperations(studio.body)).toHaveLength(getCount);
      expect(new Set(allOperations(studio.body).map((op) => op.method))).toEqual(new Set(['GET']));

      const universal = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints');
      expect(universal.body.total).toBe(168);
      expect(new Set(allOperations(universal.body).map((op) => op.operationId)).size).toBe(168);
    });

    it('filters by method, read-only, text and tag', async () => {
      const posts = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints?method=POST');
      expect(posts.body.total).toBe(catalog.operations.filter((op) => op.method === 'POST').length);
      expect(allOperations(posts.body).every((op) => op.method === 'POST')).toBe(true);

      const writes = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints?readOnly=false');
      expect(writes.body.total).toBe(168 - catalog.operations.filter((op) => op.readOnly).length);
      expect(allOperations(writes.body).every((op) => !op.readOnly)).toBe(true);

      const studioPosts = await stack.ui('api-studio', '/ui/api-explorer/endpoints?method=POST');
      expect(studioPosts.body.total).toBe(0);

      const text = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints?q=holiday');
      expect(text.body.total).toBeGreaterThan(0);
      for (const op of allOperations(text.body)) expect(`${op.operationId} ${op.path} ${op.summary}`.toLowerCase()).toContain('holiday');

      const tag = catalog.get('getTags')!.tag;
      const byTag = await stack.ui('universal-webhook', `/ui/api-explorer/endpoints?tag=${encodeURIComponent(tag)}`);
      expect(byTag.body.groups.map((group: { tag: string }) => group.tag)).toEqual([tag]);
      expect(byTag.body.total).toBe(catalog.operations.filter((op) => op.tag === tag).length);
    });

    it('describes one operation with the workspace and the current user pre-filled', async () => {
      const operation = catalog.operations.find(
        (op) => op.readOnly && op.pathParams.includes('workspaceId') && op.pathParams.includes('userId'),
      )!;
      const response = await stack.ui('api-studio', `/ui/api-explorer/endpoints/${operation.operationId}`);
      expect(response.status).toBe(200);
      expect(response.body.prefill).toEqual({ workspaceId, userId: ownerId });
      expect(response.body.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['workspaceId', 'userId']));

      const write = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints/createNewTag');
      expect(write.status).toBe(200);
      expect(write.body.exampleBody).toMatchObject({ name: expect.any(String) });
    });

    it('answers 404 for an unknown operation', async () => {
      const described = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints/noSuchOperation');
      expect(described.status).toBe(404);
      const executed = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'noSuchOperation' } });
      expect(executed.status).toBe(404);
    });
  });

  describe('POST /ui/api-explorer/execute', () => {
    it('answers 400 naming a missing required parameter, and sends nothing', async () => {
      const before = requestsTo('/projects');
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getProject' } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'params.projectId' })]));
      expect(response.body.detail).toContain('params.projectId');
      expect(requestsTo('/projects')).toBe(before);
    });

    it('answers 400 naming an ill-typed parameter and an invalid body field', async () => {
      const page = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        body: { operationId: 'getProjects', params: { page: 'first' } },
      });
      expect(page.status).toBe(400);
      expect(page.body.errors.map((e: { field: string }) => e.field)).toContain('params.page');

      const body = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        body: { operationId: 'createNewTag', body: { name: 42 } },
      });
      expect(body.status).toBe(400);
      expect(body.body.errors.map((e: { field: string }) => e.field)).toContain('body.name');
    });

    it('lists the operations that need a personal API key, marked, and refuses to run them without calling Clockify', async () => {
      const listed = allOperationsOf((await stack.ui('universal-webhook', '/ui/api-explorer/endpoints')).body);
      const marked = listed
        .filter((op) => op.needsApiKey)
        .map((op) => op.operationId)
        .sort();
      expect(marked).toEqual(['createWorkspace', 'getAuditLogs', 'getWorkspacesOfUser']);
      expect(listed.find((op) => op.operationId === 'getWorkspacesOfUser')?.runnable).toBe(false);

      const form = await stack.ui('universal-webhook', '/ui/api-explorer/endpoints/getWorkspacesOfUser');
      expect(form.body.notRunnableBecause).toMatch(/personal API key/);
      const before = stack.sandbox.requestLog().length;
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getWorkspacesOfUser' } });
      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/needs-api-key$/);
      expect(stack.sandbox.requestLog().filter((record) => record.path.endsWith('/v1/workspaces'))).toHaveLength(0);
      expect(stack.sandbox.requestLog().length).toBeGreaterThanOrEqual(before);
    });

    it('refuses a write in API Studio with 403, even for the owner', async () => {
      const before = requestsTo('/tags');
      const response = await stack.ui('api-studio', '/ui/api-explorer/execute', {
        body: { operationId: 'createNewTag', body: { name: 'studio-write' } },
      });
      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/write-not-allowed$/);
      expect(requestsTo('/tags')).toBe(before);
    });

    it('refuses a write by a regular user with 403 and runs it for the owner', async () => {
      const before = requestsTo('/tags');
      const regular = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        role: 'REGULAR',
        body: { operationId: 'createNewTag', body: { name: 'by-regular' } },
      });
      expect(regular.status).toBe(403);
      expect(requestsTo('/tags')).toBe(before);

      const owner = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        body: { operationId: 'createNewTag', body: { name: 'by-owner' } },
      });
      expect(owner.status).toBe(200);
      expect(owner.body.status).toBe(201);
      const tags = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        body: { operationId: 'getTags', params: { name: 'by-owner' } },
      });
      expect(tags.body.body.map((tag: { name: string }) => tag.name)).toContain('by-owner');
    });

    it('lets a regular user run a read', async () => {
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        role: 'REGULAR',
        body: { operationId: 'getTags' },
      });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe(200);
    });

    it('refuses a workspaceId naming another workspace with 403', async () => {
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        body: { operationId: 'getProjects', params: { workspaceId: otherWorkspaceId } },
      });
      expect(response.status).toBe(403);
      expect(stack.sandbox.requestLog().filter((record) => record.path.includes(otherWorkspaceId))).toEqual([]);
    });

    it('is reachable as POST /api-call, and returns a curl snippet without the token', async () => {
      const token = await stack.userToken('universal-webhook', 'OWNER');
      const response = await stack.ui('universal-webhook', '/api-call', {
        token,
        body: { operationId: 'getProjects', params: { 'page-size': 2 } },
      });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe(200);
      expect(response.body.body).toHaveLength(2);
      expect(response.body.curl).toContain(`curl -X GET '${stack.sandbox.backendUrl}/v1/workspaces/${workspaceId}/projects?page-size=2'`);
      expect(response.body.curl).toContain('$CLOCKIFY_ADDON_TOKEN');
      expect(response.body.curl).not.toContain(token);
      expect(JSON.stringify(response.body)).not.toContain(token);
    });
  });

  describe('history', () => {
    it('lists the calls of the workspace without any token, and re-runs one', async () => {
      const token = await stack.userToken('universal-webhook', 'OWNER');
      const run = await stack.ui('universal-webhook', '/ui/api-explorer/execute', {
        token,
        body: { operationId: 'getClients', params: { 'page-size': 1 } },
      });
      expect(run.status).toBe(200);

      const history = await stack.ui('universal-webhook', '/ui/api-explorer/history', { token });
      expect(history.status).toBe(200);
      const entry = history.body.entries.find((e: { operationId: string }) => e.operationId === 'getClients');
      expect(entry).toMatchObject({
        method: 'GET',
        status: 200,
        attempts: 1,
        userId: ownerId,
        input: { operationId: 'getClients', params: { 'page-size': 1 } },
      });
      const installationToken = await new InstallationStore(stack.edition('universal-webhook').runtime.box).installationToken(
        stack.edition('universal-webhook').runtime.database.db,
        workspaceId,
      );
      expect(installationToken).toBeTruthy();
      const text = JSON.stringify(history.body);
      expect(text).not.toContain(token);
      expect(text).not.toContain(installationToken!);

      const clientCalls = () => stack.sandbox.requestLog().filter((record) => record.path.endsWith('/clients')).length;
      const requestsBefore = clientCalls();
      const rerun = await stack.ui('universal-webhook', `/ui/api-explorer/history/${entry.id}/rerun`, { method: 'POST', token });
      expect(rerun.status).toBe(200);
      expect(rerun.body.status).toBe(200);
      expect(rerun.body.body).toHaveLength(1);
      expect(clientCalls()).toBe(requestsBefore + 1);
      const after = await stack.ui('universal-webhook', '/ui/api-explorer/history', { token });
      expect(after.body.entries[0]).toMatchObject({ operationId: 'getClients', status: 200, input: entry.input });
      expect(after.body.entries[0].id).not.toBe(entry.id);
      expect(stack.logs.text()).not.toContain(token);
      expect(stack.logs.text()).not.toContain(installationToken!);
    });

    it('answers 404 for a history entry of another workspace or none at all', async () => {
      const response = await stack.ui('universal-webhook', '/ui/api-explorer/history/00000000000000000000/rerun', { method: 'POST' });
      expect(response.status).toBe(404);
    });
  });

  describe('retries through injected faults', () => {
    afterAll(() => stack.sandbox.setFaults({ errorRate: 0, rateLimitRate: 0 }));

    it('gets through 503s with backoff: attempts > 1 reported and recorded in the API-call log', async () => {
      stack.sandbox.setFaults({ errorRate: 0.5 });
      const retried = await firstRetriedCall();
      expect(retried.body.status).toBe(200);
      expect(retried.body.attempts).toBeGreaterThan(1);
      stack.sandbox.setFaults({ errorRate: 0 });

      const history = await stack.ui('universal-webhook', '/ui/api-explorer/history?limit=50');
      const recorded = history.body.entries.filter((e: { attempts: number; status: number }) => e.attempts > 1 && e.status === 200);
      expect(recorded.length).toBeGreaterThan(0);
      const rows = await stack
        .edition('universal-webhook')
        .runtime.database.db.selectFrom('api_calls')
        .select(['attempts', 'status'])
        .where('attempts', '>', 1)
        .execute();
      expect(rows.length).toBeGreaterThan(0);
    });

    it('gets through 429s after waiting what Retry-After says (1 s per retry)', async () => {
      stack.sandbox.setFaults({ rateLimitRate: 0.5 });
      const retried = await firstRetriedCall();
      stack.sandbox.setFaults({ rateLimitRate: 0 });
      expect(retried.body.status).toBe(200);
      const retries = retried.body.attempts - 1;
      expect(retries).toBeGreaterThan(0);
      // Only 429s were injected, each with Retry-After: 1; the client's own backoff starts at 250 ms.
      expect(retried.body.durationMs).toBeGreaterThanOrEqual(retries * 1000 - 20);
      const log = stack.sandbox.requestLog();
      expect(log.some((record) => record.status === 429)).toBe(true);
    });

    /** Runs a GET until one needed more than one attempt (faults are random, so a few calls may go through at once). */
    async function firstRetriedCall() {
      for (let i = 0; i < 30; i++) {
        const response = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getTags' } });
        expect(response.status).toBe(200);
        if (response.body.attempts > 1 && response.body.status === 200) return response;
      }
      throw new Error('no call needed a retry in 30 tries');
    }
  });
});
