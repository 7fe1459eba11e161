/**
 * The SSRF guard as a flow author meets it: HTTP actions aimed at loopback, private or link-local
 * addresses are refused (literal addresses before any connection is attempted, names after DNS
 * resolution), the reason is in the run history, and an allowlisted address works. DNS rebinding —
 * a name that answered with an allowed address and then with an internal one — is refused at
 * connect time, using the guard's injectable resolver.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowExecutor, FlowStore } from '../../src/flows/index.js';
import { createFlowMetrics } from '../../src/flows/metrics.js';
import { createGuardedDispatcher } from '../../src/net/ssrf.js';
import type { LookupFunction } from '../../src/net/ssrf.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun, startReceiver } from './flow-helpers.js';
import type { Receiver } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('SSRF guard on flow HTTP actions', () => {
  let stack: Stack;
  let workspaceId: string;
  /** Stands for a service reachable only from inside (loopback, not allowlisted). */
  let internal: Receiver;
  /** Stands for a legitimate destination: 127.0.0.2 is allowlisted. */
  let allowed: Receiver;

  beforeAll(async () => {
    allowed = await startReceiver('127.0.0.2');
    // Same port on the internal address, so a rebound name would really reach the internal service.
    internal = await startReceiver('127.0.0.1', Number(new URL(allowed.url).port));
    stack = await startStack({ editions: [UW], env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.2' } });
    ({ workspaceId } = await stack.install(UW));
    const key = stack.edition(UW).runtime.editionConfig.key;
    expect((await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await internal?.close();
    await allowed?.close();
  });

  it('refuses loopback, private and link-local destinations with a clear error in the run history; the allowlisted one works', async () => {
    const port = new URL(internal.url).port;
    const targets = {
      loopback: `http://127.0.0.1:${port}/admin`,
      loopbackName: `http://localhost:${port}/admin`,
      loopbackV6: `http://[::1]:${port}/admin`,
      privateTen: 'http://10.1.2.3/internal',
      privateHome: 'http://192.168.1.10/router',
      cloudMetadata: 'http://169.254.169.254/latest/meta-data/',
      allowlisted: `${allowed.url}/ok`,
    };
    const flow = await createFlow(stack, UW, {
      name: 'ssrf probes',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [] },
      actions: Object.entries(targets).map(([id, url]) => ({
        id,
        kind: 'http',
        method: 'POST',
        url,
        body: { client: '{{ event.name }}' },
        continueOnFailure: true,
      })),
    });
    await stack.sandbox.trigger('NEW_CLIENT', { workspaceId, payload: { id: 'client-ssrf', name: 'probe', workspaceId } });
    const run = await finishedRun(stack, UW, flow.id);
    const byId = Object.fromEntries(run.actions.map((action) => [action.actionId, action]));

    for (const id of ['loopback', 'loopbackName', 'loopbackV6', 'privateTen', 'privateHome', 'cloudMetadata']) {
      expect(byId[id], id).toMatchObject({ status: 'failed', attempts: 1, response: { status: 'refused' } });
      expect(byId[id]!.response.error, id).toMatch(/^Destination .+ is blocked: /);
    }
    // Literal addresses are refused before any connection is attempted ("it is"), names after resolution ("it resolves to").
    expect(byId.loopback!.response.error).toContain('it is a loopback');
    expect(byId.privateTen!.response.error).toContain('it is a private');
    expect(byId.privateHome!.response.error).toContain('it is a private');
    expect(byId.cloudMetadata!.response.error).toContain('it is a link-local');
    expect(byId.loopbackName!.response.error).toContain('it resolves to a loopback');

    expect(byId.allowlisted).toMatchObject({ status: 'succeeded', response: { status: 200 } });
    expect(allowed.requests).toHaveLength(1);
    expect(JSON.parse(allowed.requests[0]!.body)).toEqual({ client: 'probe' });
    expect(internal.requests).toEqual([]);
  });

  it('refuses a name that rebinds from an allowed address to an internal one between two requests', async () => {
    const answers = [['127.0.0.2'], ['127.0.0.1']];
    let lookups = 0;
    const rebindingDns: LookupFunction = (_host, _options, callback) => {
      const addresses = answers[Math.min(lookups, answers.length - 1)]!.map((address) => ({ address, family: 4 }));
      lookups += 1;
      setImmediate(() => callback(null, addresses));
    };
    const dispatcher = createGuardedDispatcher({ allowlist: ['127.0.0.2'], lookup: rebindingDns });
    const runtime = stack.edition(UW).runtime;
    const store = new FlowStore(runtime.database, runtime.now);
    const executor = new FlowExecutor(runtime, store, () => dispatcher, createFlowMetrics(new Registry()));
    const url = `http://rebind.attacker.example:${new URL(allowed.url).port}/hook`;
    const saved = await createFlow(stack, UW, {
      name: 'rebinding',
      enabled: false,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        { id: 'first', kind: 'http', method: 'POST', url, body: { n: 1 }, continueOnFailure: true },
        { id: 'second', kind: 'http', method: 'POST', url, body: { n: 2 }, continueOnFailure: true },
      ],
    });
    const flow = (await store.get(workspaceId, saved.id))!;
    const allowedBefore = allowed.requests.length;
    try {
      const summary = await executor.run(
        flow,
        {
          id: 'rebinding-event',
          workspaceId,
          source: 'clockify',
          eventType: 'NEW_CLIENT',
          payload: { name: 'rebind' },
          receivedAt: Date.now(),
        },
        { signal: new AbortController().signal },
      );
      const detail = await stack.ui(UW, `/ui/flows/runs/${summary.runId}`);
      const [first, second] = detail.body.actions;
      expect(first).toMatchObject({ actionId: 'first', status: 'succeeded', response: { status: 200 } });
      expect(second).toMatchObject({ actionId: 'second', status: 'failed', response: { status: 'refused' } });
      expect(second.response.error).toContain('rebind.attacker.example is blocked: it resolves to a loopback');
      expect(lookups).toBe(2);
      expect(allowed.requests.length - allowedBefore).toBe(1);
      expect(internal.requests).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });
});
