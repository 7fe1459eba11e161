/**
 * Running flows from real webhooks: results chaining into later actions, each action's retry policy
 * and "continue on failure", the run history and its filters, replay, and the dead-letter list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun, runsOf, startReceiver } from './flow-helpers.js';
import type { Receiver } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('flow runs (Universal Webhook)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let workspaceId: string;

  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.1');
    stack = await startStack({ editions: [UW], env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    ({ workspaceId } = await stack.install(UW));
    const key = stack.edition(UW).runtime.editionConfig.key;
    expect((await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  /** A NEW_CLIENT webhook from the sandbox; each flow below matches only its own client name. */
  async function newClient(name: string) {
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-${name}-${Date.now()}`, name, workspaceId, archived: false },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
  }
  const onClient = (name: string) => ({
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name }] },
  });

  it("chains results: a later action uses an earlier action's answer", async () => {
    const flow = await createFlow(stack, UW, {
      name: 'chain',
      enabled: true,
      ...onClient('chain'),
      actions: [
        { id: 'makeTag', kind: 'clockify', operationId: 'createNewTag', body: { name: 'made for {{ event.name }}' } },
        { id: 'readTag', kind: 'clockify', operationId: 'getTag', params: { id: '{{ steps.makeTag.body.id }}' } },
        {
          id: 'renameTag',
          kind: 'clockify',
          operationId: 'updateTag',
          params: { id: '{{ steps.readTag.body.id }}' },
          body: { name: '{{ steps.readTag.body.name | upper }}' },
        },
      ],
    });
    await newClient('chain');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('succeeded');
    const [make, read, rename] = run.actions;
    const tagId = make!.response.body.id as string;
    expect(tagId).toMatch(/^[0-9a-f]{24}$/);
    expect(read!.request.params.id).toBe(tagId);
    expect(rename!.request).toMatchObject({ operationId: 'updateTag', params: { id: tagId }, body: { name: 'MADE FOR CHAIN' } });
    expect(await clockify(stack, UW, 'getTag', { id: tagId })).toMatchObject({ id: tagId, name: 'MADE FOR CHAIN' });
  });

  it('retries an action as its policy says, then continues when it may; history shows attempts, request and response', async () => {
    receiver.respondWith(503);
    const before = receiver.requests.length;
    const flow = await createFlow(stack, UW, {
      name: 'retry then continue',
      enabled: true,
      ...onClient('retry'),
      actions: [
        {
          id: 'notify',
          kind: 'http',
          method: 'POST',
          url: `${receiver.url}/retry`,
          headers: { authorization: 'Bearer very-secret-value' },
          body: { client: '{{ event.name }}' },
          retry: { attempts: 3, backoffMs: 20 },
          continueOnFailure: true,
        },
        { id: 'afterwards', kind: 'clockify', operationId: 'getTags', params: { 'page-size': 1 } },
      ],
    });
    await newClient('retry');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    receiver.respondWith(200);
    expect(receiver.requests.length - before).toBe(3);
    expect(run.run.status).toBe('succeeded');
    const [notify, afterwards] = run.actions;
    expect(notify).toMatchObject({ status: 'failed', attempts: 3, response: { status: 503, body: { received: before + 3 } } });
    expect(notify!.request).toMatchObject({ method: 'POST', url: `${receiver.url}/retry` });
    // The history keeps the rendered request, with the credential redacted.
    expect(JSON.stringify(run)).not.toContain('very-secret-value');
    expect(afterwards).toMatchObject({ status: 'succeeded', attempts: 1, response: { status: 200 } });
  });

  it('a run whose action exhausted its retries is dead, listed in the dead-letter list, and filterable by status', async () => {
    receiver.respondWith(500);
    const flow = await createFlow(stack, UW, {
      name: 'gives up',
      enabled: true,
      ...onClient('dead'),
      actions: [
        {
          id: 'notify',
          kind: 'http',
          method: 'POST',
          url: `${receiver.url}/dead`,
          body: { client: '{{ event.name }}' },
          retry: { attempts: 2, backoffMs: 10 },
        },
        { id: 'never', kind: 'clockify', operationId: 'getTags' },
      ],
    });
    await newClient('dead');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    receiver.respondWith(200);
    expect(run.run).toMatchObject({ status: 'dead', error: expect.stringContaining('notify') });
    expect(run.actions.map((action) => action.actionId)).toEqual(['notify']);

    const deadLetter = await stack.ui(UW, '/ui/flows/dead-letter');
    expect(deadLetter.body.runs.map((r: { id: string }) => r.id)).toContain(run.run.id);
    expect(deadLetter.body.runs.every((r: { status: string }) => r.status === 'dead')).toBe(true);
    expect((await runsOf(stack, UW, flow.id, '?status=dead')).map((r) => r.id)).toEqual([run.run.id]);
    expect(await runsOf(stack, UW, flow.id, '?status=succeeded')).toEqual([]);
  });

  it('a non-retryable failure stops the run as failed without retrying', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'bad request',
      enabled: true,
      ...onClient('bad'),
      actions: [
        {
          id: 'duplicate',
          kind: 'clockify',
          operationId: 'createNewTag',
          body: { name: 'Duplicate tag' },
          retry: { attempts: 3, backoffMs: 10 },
        },
        {
          id: 'again',
          kind: 'clockify',
          operationId: 'createNewTag',
          body: { name: 'Duplicate tag' },
          retry: { attempts: 3, backoffMs: 10 },
        },
      ],
    });
    await newClient('bad');
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('failed');
    expect(run.actions.map((action) => [action.actionId, action.status, action.attempts, action.response.status])).toEqual([
      ['duplicate', 'succeeded', 1, 201],
      ['again', 'failed', 1, 400],
    ]);
    expect((await stack.ui(UW, '/ui/flows/dead-letter')).body.runs.map((r: { id: string }) => r.id)).not.toContain(run.run.id);
  });

  it('filters the run history by flow, status and date', async () => {
    const all = await stack.ui(UW, '/ui/flows/runs?limit=200');
    expect(all.status).toBe(200);
    const flows = (await stack.ui(UW, '/ui/flows')).body.flows as { id: string; name: string }[];
    const chain = flows.find((flow) => flow.name === 'chain')!;
    const ofChain = await runsOf(stack, UW, chain.id);
    expect(ofChain.length).toBeGreaterThan(0);
    expect(ofChain.every((run) => run.flowId === chain.id)).toBe(true);
    expect(all.body.runs.some((run: { flowId: string }) => run.flowId !== chain.id)).toBe(true);

    const skipped = await stack.ui(UW, '/ui/flows/runs?status=skipped&limit=200');
    expect(skipped.body.runs.length).toBeGreaterThan(0);
    expect(skipped.body.runs.every((run: { status: string; matched: boolean }) => run.status === 'skipped' && !run.matched)).toBe(true);

    const earliest = Math.min(...all.body.runs.map((run: { startedAt: number }) => run.startedAt));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(earliest - 60_000).toISOString();
    expect((await stack.ui(UW, `/ui/flows/runs?from=${future}`)).body.runs).toEqual([]);
    expect((await stack.ui(UW, `/ui/flows/runs?to=${past}`)).body.runs).toEqual([]);
    expect((await stack.ui(UW, `/ui/flows/runs?from=${past}&to=${future}&limit=200`)).body.runs).toHaveLength(all.body.runs.length);
    expect((await stack.ui(UW, '/ui/flows/runs?from=yesterday')).status).toBe(400);
  });

  it('runs a succeeded run again: a new run on the same event that sends the actions again', async () => {
    receiver.respondWith(200);
    const flow = await createFlow(stack, UW, {
      name: 'replayable',
      enabled: true,
      ...onClient('replay'),
      actions: [
        {
          id: 'notify',
          kind: 'http',
          method: 'POST',
          url: `${receiver.url}/replay`,
          body: { client: '{{ event.name }}', event: '{{ trigger.eventId }}' },
        },
      ],
    });
    await newClient('replay');
    const original = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(original.run.status).toBe('succeeded');
    const sent = () => receiver.requests.filter((request) => request.path === '/replay');
    expect(sent()).toHaveLength(1);

    const regular = await stack.userToken(UW, 'REGULAR');
    const again = { runIds: [original.run.id], version: 'original', include: 'finished' };
    expect((await stack.ui(UW, '/ui/flows/runs/retry', { body: again, token: regular })).status).toBe(403);
    const replay = await stack.ui(UW, '/ui/flows/runs/retry', { body: again });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ queued: 1, runIds: [original.run.id] });
    const replayed = await finishedRun(stack, UW, flow.id, (r) => r.replayOf === original.run.id);
    expect(replayed.run).toMatchObject({ status: 'succeeded', eventId: original.run.eventId, flowVersion: original.run.flowVersion });
    expect(replayed.run.id).not.toBe(original.run.id);
    await eventually(() => sent().length === 2);
    expect(JSON.parse(sent()[1]!.body)).toEqual(JSON.parse(sent()[0]!.body));
  });

  it('counts runs by outcome, action latency and retries in /metrics', async () => {
    const response = await fetch(`${stack.edition(UW).url}/metrics`);
    const text = await response.text();
    /** The value of a sample whose labels include `label` (the registry adds an `edition` label too). */
    const value = (name: string, label: string) =>
      Number(new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    expect(value('flow_runs_total', 'outcome="succeeded"')).toBeGreaterThanOrEqual(3);
    expect(value('flow_runs_total', 'outcome="dead"')).toBeGreaterThanOrEqual(1);
    expect(value('flow_runs_total', 'outcome="failed"')).toBeGreaterThanOrEqual(1);
    expect(value('flow_runs_total', 'outcome="skipped"')).toBeGreaterThanOrEqual(1);
    // Three attempts of the retry flow and two of the dead one: three repeated attempts.
    expect(value('flow_action_retries_total', 'kind="http"')).toBeGreaterThanOrEqual(3);
    expect(value('flow_action_duration_seconds_count', 'kind="clockify"')).toBeGreaterThan(0);
  });
});
