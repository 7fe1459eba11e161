/**
 * Issue 19, credentials (Universal Webhook, the edition with HTTP actions), on both databases:
 * write-only through the API, used by HTTP actions by name, and a value put into a credential — or
 * written into a flow and adopted — never appears again in an answer, a log, a table outside its
 * sealed column, or the UI bundle.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningEdition } from '../../src/edition.js';
import { describeEachDialect } from '../helpers/databases.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { startSecondInstance } from '../ingest/support.js';
import { snapshotDatabase } from '../lifecycle/support.js';
import { createFlow, finishedRun, startReceiver } from '../flows-e2e/flow-helpers.js';
import type { Receiver } from '../flows-e2e/flow-helpers.js';

const UW = 'universal-webhook' as const;
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describeEachDialect('credentials', (dialect) => {
  let stack: Stack;
  let receiver: Receiver;
  let workspaceId: string;
  const extra: RunningEdition[] = [];
  /** Every value put into a credential or written into a flow as a secret. */
  const secrets: string[] = [];
  /** Every answer body the tests received. */
  const answers: string[] = [];
  /** The credential values by what they are for. */
  const named: Record<string, string> = {};
  const remember = (value: string, as?: string): string => {
    secrets.push(value);
    if (as) named[as] = value;
    return value;
  };
  const ui = async (path: string, init?: Parameters<Stack['ui']>[2]) => {
    const reply = await stack.ui(UW, path, init);
    answers.push(JSON.stringify(reply.body));
    return reply;
  };
  const flowDefinition = (name: string, actions: unknown[]) => ({
    name,
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [] },
    actions,
  });
  const trigger = (name: string) =>
    stack.sandbox.trigger('NEW_CLIENT', { workspaceId, payload: { id: `client-${name}`, name, workspaceId } });

  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.2');
    stack = await startStack({ editions: [UW], dialect, env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.2' } });
    ({ workspaceId } = await stack.install(UW));
    const key = stack.edition(UW).runtime.editionConfig.key;
    expect((await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    for (const instance of extra) await instance.stop();
    await stack?.close();
    await receiver?.close();
  });

  it('is write-only: admins create and replace, everyone sees name, kind and last change, never the value', async () => {
    const value = remember(secret('bearer'));
    const member = await ui('/ui/credentials', { body: { name: 'crm', kind: 'bearer', value }, role: 'REGULAR' });
    expect(member.status).toBe(403);
    const created = await ui('/ui/credentials', { body: { name: 'crm', kind: 'bearer', value } });
    expect(created.status).toBe(201);
    expect(created.body.credential).toEqual({
      id: expect.any(String),
      name: 'crm',
      kind: 'bearer',
      fieldName: null,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });

    const invalid = [
      { name: 'h', kind: 'header', value: 'x'.repeat(10) },
      { name: 'b', kind: 'basic', value: 'x'.repeat(10) },
      { name: 'q', kind: 'query', fieldName: 'api key', value: 'x'.repeat(10) },
      { name: '1bad', kind: 'bearer', value: 'x'.repeat(10) },
      { name: 'crm', kind: 'bearer', value: 'x'.repeat(10) },
    ];
    for (const body of invalid) {
      const reply = await ui('/ui/credentials', { body });
      expect({ body, status: reply.status, type: reply.headers.get('content-type') }).toEqual({
        body,
        status: body.name === 'crm' ? 409 : 400,
        type: expect.stringContaining('application/problem+json'),
      });
    }
    expect(
      (
        await ui('/ui/credentials', {
          body: { name: 'apikey', kind: 'header', fieldName: 'X-Api-Key', value: remember(secret('header'), 'header') },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ui('/ui/credentials', {
          body: { name: 'basicauth', kind: 'basic', username: 'robot', password: remember(secret('password'), 'password') },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ui('/ui/credentials', {
          body: { name: 'qkey', kind: 'query', fieldName: 'api_key', value: remember(`${secret('query')}/+&=`, 'query') },
        })
      ).status,
    ).toBe(201);

    const replacement = remember(secret('bearer2'), 'bearer');
    expect(
      (await ui(`/ui/credentials/${created.body.credential.id}`, { method: 'PUT', body: { value: replacement }, role: 'REGULAR' })).status,
    ).toBe(403);
    const replaced = await ui(`/ui/credentials/${created.body.credential.id}`, { method: 'PUT', body: { value: replacement } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.credential).toMatchObject({ name: 'crm', kind: 'bearer' });
    expect((await ui('/ui/credentials/nope', { method: 'PUT', body: { value: replacement } })).status).toBe(404);

    const listed = await ui('/ui/credentials', { role: 'REGULAR' });
    expect(listed.status).toBe(200);
    expect(listed.body.credentials.map((c: { name: string; kind: string }) => `${c.name}:${c.kind}`)).toEqual([
      'apikey:header',
      'basicauth:basic',
      'crm:bearer',
      'qkey:query',
    ]);
  });

  it('HTTP actions send them by name; run records, dry runs and the flow show no value, and ?api_key= is masked', async () => {
    const flow = await createFlow(
      stack,
      UW,
      flowDefinition('uses credentials', [
        {
          id: 'bearer',
          kind: 'http',
          method: 'POST',
          url: `${receiver.url}/bearer`,
          credential: 'crm',
          body: { name: '{{ event.name }}' },
        },
        {
          id: 'templated',
          kind: 'http',
          method: 'GET',
          url: `${receiver.url}/templated?key={{ credentials.qkey | urlencode }}&api_key={{ event.name }}`,
          headers: { 'X-Custom': '{{ credentials.apikey }}' },
        },
        { id: 'query', kind: 'http', method: 'GET', url: `${receiver.url}/query`, credential: 'qkey' },
        { id: 'basic', kind: 'http', method: 'GET', url: `${receiver.url}/basic`, credential: 'basicauth' },
        { id: 'header', kind: 'http', method: 'GET', url: `${receiver.url}/header`, credential: 'apikey' },
      ]),
    );
    const before = receiver.requests.length;
    await trigger('visible-name');
    const run = await finishedRun(stack, UW, flow.id);
    answers.push(JSON.stringify(run));
    expect(run.run.status).toBe('succeeded');
    const got = receiver.requests.slice(before);
    expect(got.map((r) => r.path.split('?')[0])).toEqual(['/bearer', '/templated', '/query', '/basic', '/header']);
    expect(got[0]!.headers.authorization).toBe(`Bearer ${named.bearer}`);
    expect(new URL(got[1]!.path, receiver.url).searchParams.get('key')).toBe(named.query);
    expect(got[1]!.headers['x-custom']).toBe(named.header);
    expect(new URL(got[2]!.path, receiver.url).searchParams.get('api_key')).toBe(named.query);
    expect(got[3]!.headers.authorization).toBe(`Basic ${Buffer.from(`robot:${named.password}`).toString('base64')}`);
    expect(got[4]!.headers['x-api-key']).toBe(named.header);

    // The run record says where each credential went, not what it was; a secret-named query parameter is masked even from event data.
    const templatedRecord = run.actions.find((action) => action.actionId === 'templated')!;
    expect(templatedRecord.request.url).toContain('api_key=[REDACTED]');
    expect(JSON.stringify(run)).not.toContain('visible-name&');

    const dry = await ui(`/ui/flows/${flow.id}/test`, { body: { sample: { name: 'dry' } }, role: 'REGULAR' });
    expect(dry.status).toBe(200);
    expect(dry.body.actions.map((action: { error?: string }) => action.error)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(dry.body.actions[1].request.url).toContain('api_key=[REDACTED]');

    // Naming a credential that does not exist is refused when saving.
    const unknown = await ui('/ui/flows', {
      body: {
        definition: flowDefinition('unknown credential', [
          { id: 'a', kind: 'http', method: 'GET', url: `${receiver.url}/x`, credential: 'nope' },
        ]),
      },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('unknown credential');
    const inBody = await ui('/ui/flows', {
      body: {
        definition: flowDefinition('credential in body', [
          { id: 'a', kind: 'http', method: 'POST', url: `${receiver.url}/x`, body: { leak: '{{ credentials.crm }}' } },
        ]),
      },
    });
    expect(inBody.status).toBe(400);
  });

  it('moves a secret written into a flow into a credential when the flow is saved', async () => {
    const token = remember(secret('literal-token'));
    const key = remember(secret('literal-key'));
    const created = await ui('/ui/flows', {
      body: {
        definition: flowDefinition('Literal Secrets', [
          {
            id: 'call',
            kind: 'http',
            method: 'GET',
            url: `${receiver.url}/literal?api_key=${key}&page=2`,
            headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          },
        ]),
      },
    });
    expect(created.status).toBe(201);
    const action = created.body.flow.definition.actions[0];
    expect(action.headers).toEqual({
      Authorization: 'Bearer {{ credentials.literal_secrets_call_authorization }}',
      Accept: 'application/json',
    });
    expect(action.url).toBe(`${receiver.url}/literal?api_key={{ credentials.literal_secrets_call_api_key | urlencode }}&page=2`);
    const before = receiver.requests.length;
    await trigger('literal');
    expect((await finishedRun(stack, UW, created.body.flow.id)).run.status).toBe('succeeded');
    const sent = receiver.requests.slice(before).find((request) => request.path.startsWith('/literal'))!;
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
    expect(new URL(sent.path, receiver.url).searchParams.get('api_key')).toBe(key);
    await ui('/ui/flows');
  });

  it('at start-up, moves secrets of flows stored before credentials existed, logging which flow and field', async () => {
    const edition = stack.edition(UW);
    const db = edition.runtime.database.db;
    const legacyKey = remember(secret('legacy-key'));
    const legacyToken = remember(secret('legacy-token'));
    const definition = flowDefinition('Legacy', [
      { id: 'old', kind: 'http', method: 'GET', url: `${receiver.url}/legacy?token=${legacyToken}`, headers: { 'X-API-Key': legacyKey } },
    ]);
    const now = Date.now();
    const flowId = `legacyflow${now}`;
    await db
      .insertInto('flows')
      .values({
        id: flowId,
        workspace_id: workspaceId,
        name: 'Legacy',
        enabled: 1,
        version: 1,
        definition_json: JSON.stringify(definition),
        created_by: null,
        created_at: now,
        updated_at: now,
        last_run_status: null,
        last_run_at: null,
      })
      .execute();
    await db
      .insertInto('flow_versions')
      .values({
        flow_id: flowId,
        version: 1,
        workspace_id: workspaceId,
        definition_json: JSON.stringify(definition),
        created_by: null,
        created_at: now,
      })
      .execute();
    await db
      .insertInto('flow_runs')
      .values({
        id: `legacyrun${now}`,
        workspace_id: workspaceId,
        flow_id: flowId,
        flow_version: 1,
        event_id: null,
        status: 'succeeded',
        matched: 1,
        condition_trace_json: null,
        error: null,
        dry_run: 0,
        replay_of: null,
        started_at: now,
        finished_at: now,
      })
      .execute();
    await db
      .insertInto('flow_action_results')
      .values({
        idempotency_key: `legacykey${now}`,
        run_id: `legacyrun${now}`,
        workspace_id: workspaceId,
        action_id: 'old',
        position: 0,
        status: 'succeeded',
        request_json: JSON.stringify({ url: `${receiver.url}/legacy?token=${legacyToken}`, headers: { 'x-custom-echo': legacyKey } }),
        response_json: null,
        attempts: 1,
        duration_ms: 1,
        created_at: now,
      })
      .execute();

    // A restart: a second instance on the same database adopts them before it serves.
    extra.push(await startSecondInstance(stack, UW, { WORKER_CONCURRENCY: '0' }));
    const lines = stack.logs
      .lines()
      .filter((line) => line.msg === 'a secret written into a flow was moved into a credential' && line.flowId === flowId);
    expect(lines.map((line) => line.field).sort()).toEqual(['actions[0].headers.X-API-Key', 'actions[0].url (query parameter token)']);

    const flows = await ui('/ui/flows');
    const legacy = flows.body.flows.find((flow: { id: string }) => flow.id === flowId);
    expect(legacy.definition.actions[0].headers['X-API-Key']).toBe('{{ credentials.legacy_old_x_api_key }}');
    const before = receiver.requests.length;
    await trigger('legacy');
    await finishedRun(stack, UW, flowId, (run) => run.eventId !== null);
    const sent = receiver.requests.slice(before).find((request) => request.path.startsWith('/legacy'))!;
    expect(sent.headers['x-api-key']).toBe(legacyKey);
    expect(new URL(sent.path, receiver.url).searchParams.get('token')).toBe(legacyToken);
  });

  it('no value ever appears again: answers, logs, tables (outside the sealed column), the UI bundle', async () => {
    expect(secrets.length).toBe(9);
    answers.push(
      JSON.stringify((await ui('/ui/credentials')).body),
      JSON.stringify((await ui('/ui/flows')).body),
      JSON.stringify((await ui('/ui/flows/runs')).body),
    );
    const found = (text: string) => secrets.filter((value) => text.includes(value) || text.includes(encodeURIComponent(value)));
    expect(found(answers.join('\n'))).toEqual([]);
    expect(found(stack.logs.text())).toEqual([]);
    const snapshot = await snapshotDatabase(stack.edition(UW));
    expect(found(JSON.stringify(snapshot))).toEqual([]);
    expect(snapshot.credentials!.length).toBe(8);
    const dist = join(process.cwd(), 'dist', 'web');
    if (existsSync(dist)) for (const file of filesUnder(dist)) expect(found(readFileSync(file, 'latin1')), file).toEqual([]);
  });
});
