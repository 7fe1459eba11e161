/**
 * Exactly once in effect. The worker "dies" at the worst moments — right after Clockify acted on an
 * action but before the result was recorded, or between two actions — and the job is retried, as the
 * durable queue does after a crash. The retry must not repeat a non-idempotent action (a POST), may
 * repeat an idempotent one (a PUT), and reuses the recorded result of an action that completed.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessableEvent } from '../../src/events/consumers.js';
import { FlowExecutor, FlowStore } from '../../src/flows/index.js';
import { createFlowMetrics } from '../../src/flows/metrics.js';
import type { StoredFlow } from '../../src/flows/store.js';
import { createGuardedDispatcher } from '../../src/net/ssrf.js';
import type { Runtime } from '../../src/runtime.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

class WorkerKilled extends Error {}

/** The real store, except that one chosen write throws once: the process died at that point. */
class DyingStore extends FlowStore {
  private dieAt: { step: 'claim' | 'record'; actionId: string } | undefined;

  dieOnce(step: 'claim' | 'record', actionId: string): void {
    this.dieAt = { step, actionId };
  }

  override async claimAction(input: Parameters<FlowStore['claimAction']>[0]): Promise<boolean> {
    if (this.dieAt?.step === 'claim' && this.dieAt.actionId === input.actionId) {
      this.dieAt = undefined;
      throw new WorkerKilled(`killed before sending ${input.actionId}`);
    }
    return super.claimAction(input);
  }

  override async recordAction(key: string, input: Parameters<FlowStore['recordAction']>[1]): Promise<void> {
    const dieAt = this.dieAt;
    if (dieAt?.step === 'record' && key.endsWith(`:${dieAt.actionId}`)) {
      this.dieAt = undefined;
      throw new WorkerKilled(`killed after sending ${dieAt.actionId}`);
    }
    return super.recordAction(key, input);
  }
}

describe('flows: exactly once in effect across a worker crash', () => {
  let stack: Stack;
  let runtime: Runtime;
  let workspaceId: string;
  let store: DyingStore;
  let executor: FlowExecutor;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW] });
    ({ workspaceId } = await stack.install(UW));
    runtime = stack.edition(UW).runtime;
    store = new DyingStore(runtime.database, runtime.now);
    executor = new FlowExecutor(runtime, store, () => createGuardedDispatcher(), createFlowMetrics(new Registry()));
  });
  afterAll(() => stack?.close());

  /** A real stored NEW_CLIENT event (no flow is enabled, so only the test runs flows on it). */
  async function storedEvent(name: string): Promise<ProcessableEvent> {
    await stack.sandbox.trigger('NEW_CLIENT', { workspaceId, payload: { id: `client-${name}`, name, workspaceId, archived: false } });
    const row = await eventually(() =>
      runtime.database.db
        .selectFrom('webhook_events')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('payload_json', 'like', `%"client-${name}"%`)
        .executeTakeFirst(),
    );
    return {
      id: row.id,
      workspaceId,
      source: row.source,
      eventType: row.event_type,
      payload: JSON.parse(row.payload_json),
      receivedAt: Number(row.received_at),
    };
  }

  /** Saved through the API (disabled, so the edition's own worker leaves it alone). */
  async function savedFlow(actions: unknown[]): Promise<StoredFlow> {
    const created = await createFlow(stack, UW, {
      name: 'crash test',
      enabled: false,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [] },
      actions,
    });
    return (await store.get(workspaceId, created.id))!;
  }

  const sandboxCalls = (method: string, pathEnd: RegExp) =>
    stack.sandbox.requestLog().filter((record) => record.method === method && pathEnd.test(record.path)).length;

  it("does not send a POST again when the worker died between Clockify's answer and the record", async () => {
    const event = await storedEvent('post-once');
    const flow = await savedFlow([
      { id: 'makeTag', kind: 'clockify', operationId: 'createNewTag', body: { name: 'once for {{ event.name }}' } },
    ]);
    const posts = sandboxCalls('POST', /\/tags$/);

    store.dieOnce('record', 'makeTag');
    await expect(executor.run(flow, event, { signal })).rejects.toBeInstanceOf(WorkerKilled);
    expect(sandboxCalls('POST', /\/tags$/)).toBe(posts + 1);

    // The job is retried (the queue does this after the lease of the dead worker expires).
    const retried = await executor.run(flow, event, { signal });
    expect(retried.status).toBe('failed');
    expect(sandboxCalls('POST', /\/tags$/)).toBe(posts + 1);
    const tags = await clockify(stack, UW, 'getTags', { name: 'once for post-once' });
    expect(tags.map((tag: { name: string }) => tag.name)).toEqual(['once for post-once']);

    const detail = await stack.ui(UW, `/ui/flows/runs/${retried.runId}`);
    expect(detail.body.run).toMatchObject({ status: 'failed', eventId: event.id });
    expect(detail.body.run.error).toContain('not sent again');
    expect(detail.body.actions).toEqual([expect.objectContaining({ actionId: 'makeTag', status: 'unknown' })]);

    // Any later retry finds the run finished and does nothing.
    expect((await executor.run(flow, event, { signal })).status).toBe('already-done');
    expect(sandboxCalls('POST', /\/tags$/)).toBe(posts + 1);
  });

  it('sends an idempotent PUT again after the same crash, and completes the run', async () => {
    const tag = await clockify(stack, UW, 'createNewTag', {}, { name: 'to be renamed' });
    const event = await storedEvent('put-again');
    const flow = await savedFlow([
      { id: 'rename', kind: 'clockify', operationId: 'updateTag', params: { id: tag.id }, body: { name: 'renamed for {{ event.name }}' } },
    ]);
    const puts = () => sandboxCalls('PUT', new RegExp(`/tags/${tag.id}$`));

    store.dieOnce('record', 'rename');
    await expect(executor.run(flow, event, { signal })).rejects.toBeInstanceOf(WorkerKilled);
    expect(puts()).toBe(1);

    const retried = await executor.run(flow, event, { signal });
    expect(retried.status).toBe('succeeded');
    expect(puts()).toBe(2);
    expect(await clockify(stack, UW, 'getTag', { id: tag.id })).toMatchObject({ name: 'renamed for put-again' });
    const detail = await stack.ui(UW, `/ui/flows/runs/${retried.runId}`);
    expect(detail.body.actions).toEqual([expect.objectContaining({ actionId: 'rename', status: 'succeeded' })]);
  });

  it('reuses the recorded result of a completed action: no second call, and later steps still see its answer', async () => {
    const event = await storedEvent('resume');
    const flow = await savedFlow([
      { id: 'makeTag', kind: 'clockify', operationId: 'createNewTag', body: { name: 'resumed {{ event.name }}' } },
      {
        id: 'renameTag',
        kind: 'clockify',
        operationId: 'updateTag',
        params: { id: '{{ steps.makeTag.body.id }}' },
        body: { name: '{{ steps.makeTag.body.name }} and renamed' },
      },
    ]);
    const posts = sandboxCalls('POST', /\/tags$/);

    store.dieOnce('claim', 'renameTag');
    await expect(executor.run(flow, event, { signal })).rejects.toBeInstanceOf(WorkerKilled);
    expect(sandboxCalls('POST', /\/tags$/)).toBe(posts + 1);

    const retried = await executor.run(flow, event, { signal });
    expect(retried.status).toBe('succeeded');
    expect(sandboxCalls('POST', /\/tags$/)).toBe(posts + 1);
    const detail = await stack.ui(UW, `/ui/flows/runs/${retried.runId}`);
    const [make, rename] = detail.body.actions;
    expect(make).toMatchObject({ actionId: 'makeTag', status: 'succeeded', attempts: 1 });
    expect(rename).toMatchObject({ actionId: 'renameTag', status: 'succeeded', request: { params: { id: make.response.body.id } } });
    expect(await clockify(stack, UW, 'getTag', { id: make.response.body.id })).toMatchObject({ name: 'resumed resume and renamed' });
    expect(sandboxCalls('PUT', new RegExp(`/tags/${make.response.body.id}$`))).toBe(1);
  });
});
