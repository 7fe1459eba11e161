/**
 * Small helpers for the flow end-to-end tests: act on the sandbox through the add-on's own API
 * explorer (so every change goes through Clockify's REST API and fires its webhooks), and read runs.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { EditionId } from '../../src/editions/types.js';
import type { Dialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

/** Runs a Clockify operation through the explorer as the workspace owner and returns Clockify's answer body (2xx asserted). */
export async function clockify(
  stack: Stack,
  edition: EditionId,
  operationId: string,
  params: Record<string, unknown> = {},
  body?: unknown,
): Promise<any> {
  const response = await stack.ui(edition, '/ui/api-explorer/execute', {
    body: { operationId, params, ...(body === undefined ? {} : { body }) },
  });
  if (response.status !== 200 || response.body.status >= 300)
    throw new Error(`${operationId} failed: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  return response.body.body;
}

/** Creates a flow as the owner; returns the stored flow. */
export async function createFlow(
  stack: Stack,
  edition: EditionId,
  definition: unknown,
): Promise<{ id: string; version: number; enabled: boolean; definition: any }> {
  const response = await stack.ui(edition, '/ui/flows', { body: { definition } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.flow;
}

export interface RunView {
  id: string;
  flowId: string;
  flowVersion: number;
  eventId: string | null;
  status: string;
  matched: boolean;
  error: string | null;
  replayOf: string | null;
  startedAt: number;
}

export interface RunDetail {
  run: RunView;
  actions: { actionId: string; status: string; attempts: number; request: any; response: any }[];
}

export async function runsOf(stack: Stack, edition: EditionId, flowId: string, query = ''): Promise<RunView[]> {
  const response = await stack.ui(edition, `/ui/flows/${flowId}/executions${query}`);
  expect(response.status).toBe(200);
  return response.body.runs;
}

/** Waits for a finished run of the flow (not running) matching `accept`, and returns it with its actions. */
export async function finishedRun(
  stack: Stack,
  edition: EditionId,
  flowId: string,
  accept: (run: RunView) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<RunDetail> {
  const run = await eventually(
    async () => (await runsOf(stack, edition, flowId)).find((candidate) => candidate.status !== 'running' && accept(candidate)),
    timeoutMs,
  );
  const detail = await stack.ui(edition, `/ui/flows/runs/${run.id}`);
  expect(detail.status).toBe(200);
  return detail.body;
}

/** Webhook events the add-on stored, read from its database. */
export async function storedEvents(stack: Stack, edition: EditionId, eventType: string): Promise<{ id: string; payload: any }[]> {
  const rows = await stack
    .edition(edition)
    .runtime.database.db.selectFrom('webhook_events')
    .select(['id', 'payload_json'])
    .where('event_type', '=', eventType)
    .execute();
  return rows.map((row) => ({ id: row.id, payload: JSON.parse(row.payload_json) }));
}

/** Waits until the sandbox has a live REST registration of `event` for the add-on (they are made by a job after install). */
export async function registered(stack: Stack, edition: EditionId, workspaceId: string, event: string): Promise<void> {
  const key = stack.edition(edition).runtime.editionConfig.key;
  await eventually(() =>
    stack.sandbox
      .installations()
      .some(
        (installation) =>
          installation.addonKey === key &&
          installation.workspaceId === workspaceId &&
          installation.webhooks.some((webhook) => webhook.event === event),
      ),
  );
}

export interface Receiver {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[];
  /** Status code the next requests get (default 200). */
  respondWith(status: number): void;
  close(): Promise<void>;
}

/** A local HTTP endpoint that records what it receives (closes every connection, so each request is a new one). */
export async function startReceiver(host = '127.0.0.1', port = 0): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  let status = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.setHeader('connection', 'close');
      response.setHeader('content-type', 'application/json');
      response.statusCode = status;
      response.end(JSON.stringify({ received: requests.length }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    requests,
    respondWith: (next) => void (status = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until the flow has `count` finished matched runs (newest first) and returns them. */
export async function finishedMatchedRuns(
  stack: Stack,
  edition: EditionId,
  flowId: string,
  count: number,
  timeoutMs = 60_000,
): Promise<RunView[]> {
  return eventually(async () => {
    const runs = (await runsOf(stack, edition, flowId)).filter(
      (run) => run.matched && run.status !== 'running' && run.status !== 'waiting',
    );
    return runs.length >= count ? runs : undefined;
  }, timeoutMs);
}

/** Switches the workspace's "HTTP actions" setting on, as an admin does in Clockify (SETTINGS_UPDATED reaches the add-on). */
export async function enableHttpActions(stack: Stack, edition: EditionId, workspaceId: string): Promise<void> {
  const addonKey = stack.edition(edition).runtime.editionConfig.key;
  const answer = await stack.sandbox.updateSettings({ addonKey, workspaceId, values: { enable_http_actions: true } });
  expect(answer.status).toBe(200);
}

/** Creates a flow from a gallery template as the owner, the way the sidebar does; returns the stored flow. */
export async function flowFromTemplate(
  stack: Stack,
  edition: EditionId,
  templateId: string,
  inputs: Record<string, unknown>,
): Promise<{ id: string; version: number; enabled: boolean; definition: any }> {
  const response = await stack.ui(edition, `/ui/flows/templates/${templateId}`, { body: { inputs } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.flow;
}

export interface RecipeSetup {
  stack: Stack;
  /** Where the recipe's HTTP action posts. */
  receiver: Receiver;
  workspaceId: string;
  close(): Promise<void>;
}

/**
 * What a recipe that posts to a URL needs: a Universal Webhook stack allowed to call the local
 * receiver, installed, with HTTP actions on and (given an event) that event's webhook registered.
 */
export async function startRecipe(options: {
  dialect?: Dialect;
  users?: number;
  projects?: number;
  event?: string;
  now?: () => number;
}): Promise<RecipeSetup> {
  const receiver = await startReceiver();
  const stack = await startStack({
    editions: ['universal-webhook'],
    ...(options.dialect ? { dialect: options.dialect } : {}),
    env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' },
    sandbox: { seed: { users: options.users ?? 1, projects: options.projects ?? 1, timeEntries: 1 } },
    ...(options.now ? { now: options.now } : {}),
  }).catch(async (error: unknown) => {
    await receiver.close();
    throw error;
  });
  const close = async () => {
    await stack.close();
    await receiver.close();
  };
  try {
    const { workspaceId } = await stack.install('universal-webhook');
    await enableHttpActions(stack, 'universal-webhook', workspaceId);
    if (options.event) await registered(stack, 'universal-webhook', workspaceId, options.event);
    return { stack, receiver, workspaceId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
