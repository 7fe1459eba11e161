/**
 * Issue 23, execution inspector: each step's input is recorded with the run (masked, only the earlier
 * steps it refers to); "Execute this step" runs one step on pinned data (a past run's outputs, or a
 * sample) — read-only steps for real, writes only when sent on purpose, nothing recorded, members
 * preview only; and a finished run is retried from its detail with the version it ran or the current one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun, runsOf, startReceiver } from './flow-helpers.js';
import type { Receiver } from './flow-helpers.js';

const UW = 'universal-webhook' as const;
const SECRET = 'hunter2-in-the-payload';

describeEachDialect('step inputs, execute this step and retry from the run detail (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let workspaceId: string;

  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.1');
    stack = await startStack({ editions: [UW], dialect, env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    ({ workspaceId } = await stack.install(UW));
    const key = stack.edition(UW).runtime.editionConfig.key;
    expect((await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  const definition = (name: string, path = '/notify') => ({
    name,
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name }] },
    actions: [
      { id: 'vals', kind: 'set', values: { label: 'tag-{{ event.name }}' } },
      { id: 'look', kind: 'find', entity: 'tag', by: { field: 'name', value: '{{ steps.vals.label }}' }, ifMissing: 'continue' },
      { id: 'tags', kind: 'clockify', operationId: 'getTags', params: {} },
      {
        id: 'notify',
        kind: 'http',
        method: 'POST',
        url: `${receiver.url}${path}`,
        body: { client: '{{ event.name }}', found: '{{ steps.look.found }}' },
      },
    ],
  });
  const sent = (path: string) => receiver.requests.filter((request) => request.path === path);
  const stepOf = (detail: { actions: { actionId: string }[] }, id: string) =>
    detail.actions.find((action) => action.actionId === id) as any;

  /** A flow that ran once on a new client (with a password in the payload); returns the flow and the finished run. */
  const ranOnce = async (name: string) => {
    const flow = await createFlow(stack, UW, definition(name));
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-${name}-${Date.now()}`, name, workspaceId, archived: false, password: SECRET },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    const detail = await finishedRun(stack, UW, flow.id, (run) => run.matched);
    expect(detail.run.status, JSON.stringify(detail.run)).toBe('succeeded');
    return { flow, detail };
  };

  it("records each step's input: the event and only the earlier steps it refers to, secrets masked", async () => {
    const { detail } = await ranOnce('inputs');
    expect(stepOf(detail, 'vals').input).toMatchObject({ event: { name: 'inputs' }, trigger: { eventType: 'NEW_CLIENT' } });
    expect(stepOf(detail, 'vals').input.steps).toBeUndefined();
    expect(stepOf(detail, 'look').input.steps).toEqual({ vals: { label: 'tag-inputs' } });
    expect(Object.keys(stepOf(detail, 'notify').input.steps)).toEqual(['look']);
    expect(stepOf(detail, 'notify').input.steps.look).toMatchObject({ found: false });
    const text = JSON.stringify(detail.actions.map((action: any) => action.input));
    expect(text).not.toContain(SECRET);
    expect(stepOf(detail, 'vals').input.event.password).toBe('[REDACTED]');
  });

  it('executes one step with a past run pinned: reads for real, writes only when sent, nothing recorded', async () => {
    const { flow, detail } = await ranOnce('pinned');
    const before = sent('/edited').length;
    const runsBefore = (await runsOf(stack, UW, flow.id)).length;
    // The editor's draft: the HTTP step now posts elsewhere.
    const draft = definition('pinned', '/edited');
    const call = (route: 'preview' | 'execute', body: Record<string, unknown>, role: 'OWNER' | 'REGULAR' = 'OWNER') =>
      stack.ui(UW, `/ui/flows/steps/${route}`, { body: { definition: draft, runId: detail.run.id, ...body }, role });

    // The find only reads: it runs for real on the run's recorded output of `vals`.
    const look = await call('execute', { stepId: 'look' });
    expect(look.status, JSON.stringify(look.body)).toBe(200);
    expect(look.body).toMatchObject({ mode: 'executed', writes: false, pinned: 'run', status: 'succeeded', output: { found: false } });
    expect(look.body.input.steps).toEqual({ vals: { label: 'tag-pinned' } });
    expect(look.body.request).toMatchObject({ entity: 'tag', by: { field: 'name', value: 'tag-pinned' } });

    // A Clockify GET runs for real: the answer is the workspace's tags.
    const tags = await call('execute', { stepId: 'tags' });
    expect(tags.body).toMatchObject({ mode: 'executed', writes: false, status: 'succeeded', output: { status: 200 } });
    expect(Array.isArray(tags.body.output.body)).toBe(true);

    // The HTTP step writes: without send it is only rendered, with the pinned outputs.
    const unsent = await call('execute', { stepId: 'notify' });
    expect(unsent.body).toMatchObject({ mode: 'preview', writes: true, status: 'preview' });
    expect(unsent.body.request).toMatchObject({ method: 'POST', url: `${receiver.url}/edited` });
    expect(JSON.parse(unsent.body.request.body)).toEqual({ client: 'pinned', found: false });
    expect(sent('/edited').length).toBe(before);
    const really = await call('execute', { stepId: 'notify', send: true });
    expect(really.body).toMatchObject({ mode: 'executed', status: 'succeeded', output: { status: 200 } });
    expect(sent('/edited').length).toBe(before + 1);
    expect(JSON.parse(sent('/edited').at(-1)!.body)).toEqual({ client: 'pinned', found: false });
    expect(really.body.durationMs).toBeGreaterThanOrEqual(0);

    // Nothing was recorded as a run.
    expect((await runsOf(stack, UW, flow.id)).length).toBe(runsBefore);

    // Members: execution is a write (403); a past run's outputs are not theirs to see (403); a sample preview is.
    expect((await call('execute', { stepId: 'look' }, 'REGULAR')).status).toBe(403);
    expect((await call('preview', { stepId: 'notify' }, 'REGULAR')).status).toBe(403);
    const memberPreview = await stack.ui(UW, '/ui/flows/steps/preview', {
      body: { definition: draft, stepId: 'notify', sample: { name: 'sampled' } },
      role: 'REGULAR',
    });
    expect(memberPreview.status, JSON.stringify(memberPreview.body)).toBe(200);
    expect(memberPreview.body).toMatchObject({ mode: 'preview', pinned: 'sample' });
    expect(JSON.parse(memberPreview.body.request.body)).toMatchObject({ client: 'sampled' });
    expect(sent('/edited').length).toBe(before + 1);
  });

  it("pins a sample: the earlier steps' dry-run results feed the step", async () => {
    const draft = definition('sampled');
    const look = await stack.ui(UW, '/ui/flows/steps/execute', {
      body: { definition: draft, stepId: 'look', sample: { name: 'sampled' } },
    });
    expect(look.status, JSON.stringify(look.body)).toBe(200);
    expect(look.body).toMatchObject({ mode: 'executed', pinned: 'sample', request: { by: { value: 'tag-sampled' } } });
    expect(look.body.input.steps.vals).toMatchObject({ label: 'tag-sampled' });
  });

  it('refuses a step that is not a top-level step, and a run whose event is gone, with a problem', async () => {
    const draft = definition('refusals');
    const unknown = await stack.ui(UW, '/ui/flows/steps/execute', { body: { definition: draft, stepId: 'nothere', sample: {} } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ type: expect.stringMatching(/unknown-step/), errors: [{ field: 'body.stepId' }] });
    const strayRun = await stack.ui(UW, '/ui/flows/steps/preview', { body: { definition: draft, stepId: 'look', runId: 'no-such-run' } });
    expect(strayRun.status).toBe(404);
    const invalid = await stack.ui(UW, '/ui/flows/steps/preview', { body: { definition: { name: 'x' }, stepId: 'look', sample: {} } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toMatch(/invalid-flow/);
  });

  it('retries a finished run from its detail with the version it ran or the flow as it is now', async () => {
    const { flow, detail } = await ranOnce('again');
    const edit = await stack.ui(UW, `/ui/flows/${flow.id}`, { method: 'PUT', body: { definition: definition('again', '/again-v2') } });
    expect(edit.status).toBe(200);
    // The bulk retry takes failed runs only; the detail's Retry asks for any finished run.
    const failedOnly = await stack.ui(UW, '/ui/flows/runs/retry', { body: { runIds: [detail.run.id], version: 'current' } });
    expect(failedOnly.body).toMatchObject({ queued: 0, skipped: [{ runId: detail.run.id }] });
    const retry = await stack.ui(UW, '/ui/flows/runs/retry', {
      body: { runIds: [detail.run.id], version: 'current', include: 'finished' },
    });
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    expect(retry.body).toMatchObject({ queued: 1, runIds: [detail.run.id], version: 'current' });
    const again = await eventually(async () => {
      const list = (await stack.ui(UW, `/ui/flows/runs?replayOf=${detail.run.id}`)).body.runs as { status: string }[];
      return list.find((run) => run.status !== 'running');
    }, 15_000);
    expect(again).toMatchObject({ replayOf: detail.run.id, flowVersion: 2, status: 'succeeded' });
    expect(sent('/again-v2')).toHaveLength(1);
    // A member cannot retry.
    const member = await stack.ui(UW, '/ui/flows/runs/retry', {
      body: { runIds: [detail.run.id], version: 'original', include: 'finished' },
      role: 'REGULAR',
    });
    expect(member.status).toBe(403);
  });
});
