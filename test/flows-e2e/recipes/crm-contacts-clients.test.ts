/**
 * Recipe (docs/flows.md): a CRM's custom webhook carries several contacts; a for-each finds or
 * creates the client of each contact's company (names match ignoring case, so "acme" is Acme), and
 * skips contacts without a company. Both databases.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../helpers/databases.js';
import { startStack } from '../../helpers/stack.js';
import type { Stack } from '../../helpers/stack.js';
import { rawPost } from '../../lifecycle/support.js';
import { clockify, createFlow, finishedMatchedRuns } from '../flow-helpers.js';

const UW = 'universal-webhook' as const;

export const crmContactsFlow = (sourceId: string) => ({
  name: 'CRM contacts → clients',
  enabled: true,
  trigger: { kind: 'custom', sourceId },
  conditions: { mode: 'all', rules: [{ path: '$.contacts', op: 'not_empty' }] },
  actions: [
    {
      id: 'eachContact',
      kind: 'for-each',
      items: '$.event.contacts',
      maxItems: 50,
      steps: [
        {
          id: 'client',
          kind: 'find',
          onlyIf: { mode: 'all', rules: [{ path: '$.item.company', op: 'not_empty' }] },
          entity: 'client',
          by: { field: 'name', value: '{{ item.company | trim }}' },
          ifMissing: 'create',
          create: { email: '{{ item.email }}', note: 'From the CRM: {{ item.name }}' },
        },
      ],
    },
  ],
});

describeEachDialect('recipe: CRM webhook with several contacts → find or create each client (for-each)', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { users: 1, projects: 1, timeEntries: 1 } } });
    await stack.install(UW);
  }, 60_000);
  afterAll(() => stack?.close());

  it('creates Acme and Globex once each, from four contacts', async () => {
    const source = await stack.ui(UW, '/ui/sources', { method: 'POST', body: { name: 'CRM contacts', signatureMode: 'hmac-sha256' } });
    expect(source.status).toBe(201);
    const flow = await createFlow(stack, UW, crmContactsFlow(source.body.source.id));
    const body = JSON.stringify({
      type: 'contacts.imported',
      contacts: [
        { name: 'Ann', email: 'ann@acme.example', company: 'Acme' },
        { name: 'Bob', email: 'bob@globex.example', company: 'Globex' },
        { name: 'Cid', email: 'cid@acme.example', company: 'acme ' },
        { name: 'Dee', email: 'dee@example.com', company: '' },
      ],
    });
    const signature = createHmac('sha256', source.body.secret).update(body).digest('hex');
    const answer = await rawPost(
      `${stack.edition(UW).url}/webhooks/custom/${source.body.source.id}`,
      { 'content-type': 'application/json', 'x-signature-256': signature },
      body,
    );
    expect(answer.body.status).toBe('accepted');
    const [run] = await finishedMatchedRuns(stack, UW, flow.id, 1);
    expect(run!.status, String(run!.error)).toBe('succeeded');

    const clients = (await clockify(stack, UW, 'getClients', { 'page-size': 200 })) as {
      id: string;
      name: string;
      email: string;
      note: string;
    }[];
    const made = clients.filter((client) => ['acme', 'globex'].includes(client.name.toLowerCase()));
    expect(made.map((client) => [client.name, client.email, client.note]).sort()).toEqual([
      ['Acme', 'ann@acme.example', 'From the CRM: Ann'],
      ['Globex', 'bob@globex.example', 'From the CRM: Bob'],
    ]);
    const detail = await stack.ui(UW, `/ui/flows/runs/${run!.id}`);
    expect(detail.body.actions.map((action: { path: string; status: string }) => [action.path, action.status])).toEqual([
      ['eachContact', 'succeeded'],
      ['eachContact[0].client', 'succeeded'],
      ['eachContact[1].client', 'succeeded'],
      ['eachContact[2].client', 'succeeded'],
      ['eachContact[3].client', 'skipped'],
    ]);
  }, 120_000);
});
