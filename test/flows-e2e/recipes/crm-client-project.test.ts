/**
 * Recipe (docs/flows.md): a CRM's custom webhook ("deal won") finds or creates the client and then
 * the deal's project under that client. A second deal of the same company reuses the client. Both databases.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { rawPost } from '../../lifecycle/support.js';
import { clockify, createFlow, finishedMatchedRuns } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

export const crmFlow = (sourceId: string) => ({
  name: 'CRM deal won → client and project',
  enabled: true,
  trigger: { kind: 'custom', sourceId },
  conditions: { mode: 'all', rules: [{ path: '$.stage', op: 'equals', value: 'won' }] },
  actions: [
    { id: 'client', kind: 'find', entity: 'client', by: { field: 'name', value: '{{ event.company }}' }, ifMissing: 'create' },
    {
      id: 'project',
      kind: 'find',
      entity: 'project',
      by: { field: 'name', value: '{{ event.company }} – {{ event.deal }}' },
      ifMissing: 'create',
      create: { clientId: '{{ steps.client.id }}' },
    },
  ],
});

describeEachDialect('recipe: CRM custom webhook → find or create client and project', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    await stack.install(UW);
  }, 60_000);
  afterAll(() => stack?.close());

  it('creates the client once and a project per deal under it', async () => {
    const source = await stack.ui(UW, '/ui/sources', { method: 'POST', body: { name: 'CRM', signatureMode: 'hmac-sha256' } });
    expect(source.status).toBe(201);
    const flow = await createFlow(stack, UW, crmFlow(source.body.source.id));
    const deliver = async (payload: object) => {
      const body = JSON.stringify(payload);
      const signature = createHmac('sha256', source.body.secret).update(body).digest('hex');
      const answer = await rawPost(
        `${stack.edition(UW).url}/webhooks/custom/${source.body.source.id}`,
        { 'content-type': 'application/json', 'x-signature-256': signature },
        body,
      );
      expect(answer.body.status).toBe('accepted');
    };
    await deliver({ company: 'Acme', deal: 'Website', stage: 'won' });
    await finishedMatchedRuns(stack, UW, flow.id, 1);
    await deliver({ company: 'Acme', deal: 'App', stage: 'won' });
    const runs = await finishedMatchedRuns(stack, UW, flow.id, 2);
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);

    const clients = ((await clockify(stack, UW, 'getClients', { 'page-size': 200 })) as { id: string; name: string }[]).filter(
      (client) => client.name === 'Acme',
    );
    expect(clients).toHaveLength(1);
    const projects = ((await clockify(stack, UW, 'getProjects', { 'page-size': 200 })) as { name: string; clientId: string }[]).filter(
      (project) => project.name.startsWith('Acme – '),
    );
    expect(projects.map((project) => [project.name, project.clientId]).sort()).toEqual([
      ['Acme – App', clients[0]!.id],
      ['Acme – Website', clients[0]!.id],
    ]);
  }, 120_000);
});
