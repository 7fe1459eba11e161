/**
 * Template functions over a real stack: the catalogue route (and its place in /docs), refusal at
 * save time naming the function, and a flow whose rendered request uses them against the sandbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, createFlow, finishedRun } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describeEachDialect('template functions (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect });
    ({ workspaceId } = await stack.install(UW));
    const db = stack.edition(UW).runtime.database.db;
    await eventually(
      async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
    );
  });
  afterAll(() => stack?.close());

  it('lists the functions with signature, example and result, for members too', async () => {
    const response = await stack.ui(UW, '/ui/flows/functions', { role: 'REGULAR' });
    expect(response.status).toBe(200);
    expect(response.body.functions).toContainEqual({
      name: 'hours',
      family: 'durations',
      signature: 'hours',
      description: expect.any(String),
      example: '{{ event.timeInterval.duration | hours }}',
      input: 'PT1H30M',
      result: 1.5,
    });
    expect(response.body.functions.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining([
        'formatDate',
        'addTime',
        'startOf',
        'duration',
        'round',
        'sum',
        'count',
        'truncate',
        'replace',
        'join',
        'default',
      ]),
    );
  });

  it('is described in /docs with its response schema', async () => {
    const docs = await stack.ui(UW, '/docs/json');
    expect(docs.status).toBe(200);
    const operation = docs.body.paths['/ui/flows/functions'].get;
    expect(operation.responses['200'].content['application/json'].schema.properties.functions.items.required).toEqual(
      expect.arrayContaining(['name', 'signature', 'example', 'result']),
    );
  });

  it('refuses a flow with an unknown function or wrong arguments with 400 naming the field and the function', async () => {
    const definition = (name: string) => ({
      name: 'bad functions',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [] },
      actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name } }],
    });
    const unknown = await stack.ui(UW, '/ui/flows', { body: { definition: definition('{{ event.name | shout }}') } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: 'definition.actions[0].body.name', message: expect.stringContaining('unknown function "shout"') },
    ]);
    const wrong = await stack.ui(UW, '/ui/flows', { body: { definition: definition('{{ event.name | truncate }}') } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].message).toContain('function "truncate" takes 1 to 2 arguments');
    expect((await stack.ui(UW, '/ui/flows')).body.flows).toEqual([]);
  });

  it('renders functions in a real run: the tag created in Clockify carries the computed text', async () => {
    const flow = await createFlow(stack, UW, {
      name: 'hours tag',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        {
          id: 'tagIt',
          kind: 'clockify',
          operationId: 'createNewTag',
          body: {
            name: '{{ event.description | replace:"#","" | trim | upper | truncate:12 }}: {{ event.timeInterval.duration | hours | round:1 }} h ({{ event.timeInterval.duration | duration }}) on {{ event.timeInterval.start | formatDate:"EEE d MMM HH:mm","Europe/Berlin" }}, tags {{ event.tagIds | count }}',
          },
        },
      ],
    });
    const deliveries = await stack.sandbox.trigger('NEW_TIME_ENTRY', {
      workspaceId,
      payload: {
        id: 'te-functions',
        workspaceId,
        description: '#weekly planning meeting',
        tagIds: ['a', 'b'],
        timeInterval: { start: '2024-05-06T09:00:00Z', end: '2024-05-06T10:20:00Z', duration: 'PT1H20M' },
      },
    });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run.status, JSON.stringify(run)).toBe('succeeded');
    const expected = 'WEEKLY PLAN…: 1.3 h (1 h 20 m) on Mon 6 May 11:00, tags 2';
    expect(run.actions[0]!.request.body).toEqual({ name: expected });
    const tags: { name: string }[] = await clockify(stack, UW, 'getTags', { 'page-size': 200 });
    expect(tags.map((tag) => tag.name)).toContain(expected);
  });
});
