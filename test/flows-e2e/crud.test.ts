/**
 * The flows HTTP API over a real stack: versions, enable/disable, validation naming the bad field,
 * who may write, workspace isolation, and the dry run that changes nothing anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun, runsOf } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

const tagNamingFlow = (name: string) => ({
  name,
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
  conditions: { mode: 'all', rules: [{ path: '$.name', op: 'matches', value: '^crud-' }] },
  actions: [
    { id: 'lookUp', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event.name }}' } },
    { id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: 'tag for {{ event.name }} ({{ steps.lookUp.status }})' } },
  ],
});

describe('flows API (Universal Webhook)', () => {
  let stack: Stack;
  let workspaceId: string;
  let otherWorkspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], sandbox: { seed: { workspaces: 2, users: 3, projects: 3, timeEntries: 10 } } });
    const [first, second] = stack.sandbox.workspaces();
    ({ workspaceId } = await stack.install(UW, first!.id));
    ({ workspaceId: otherWorkspaceId } = await stack.install(UW, second!.id));
    await jobsDone();
  });
  afterAll(() => stack?.close());

  /** Waits until the add-on's queue is empty (webhook registrations after install, processed events). */
  async function jobsDone() {
    const db = stack.edition(UW).runtime.database.db;
    await eventually(
      async () => (await db.selectFrom('jobs').select('id').where('status', 'in', ['pending', 'running']).execute()).length === 0,
    );
  }

  async function triggerClient(name: string) {
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `c-${name}`, name, workspaceId, archived: false },
    });
    expect(deliveries.map((d) => d.status)).toEqual([200]);
  }

  describe('versions', () => {
    it('increments the version on every edit, enable and disable; each run keeps the version it used', async () => {
      const flow = await createFlow(stack, UW, tagNamingFlow('versioned'));
      expect(flow.version).toBe(1);

      await triggerClient('crud-one');
      const first = await finishedRun(stack, UW, flow.id);
      expect(first.run).toMatchObject({ flowVersion: 1, status: 'succeeded' });

      const edited = await stack.ui(UW, `/ui/flows/${flow.id}`, {
        method: 'PUT',
        body: {
          definition: {
            ...tagNamingFlow('versioned, edited'),
            actions: [{ id: 'tagIt', kind: 'clockify', operationId: 'createNewTag', body: { name: 'v2 {{ event.name }}' } }],
          },
        },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.flow).toMatchObject({ version: 2, name: 'versioned, edited' });

      const disabled = await stack.ui(UW, `/ui/flows/${flow.id}/disable`, { method: 'POST' });
      expect(disabled.body.flow).toMatchObject({ version: 3, enabled: false });
      await triggerClient('crud-while-disabled');
      await jobsDone();
      expect(await runsOf(stack, UW, flow.id)).toHaveLength(1);

      const enabled = await stack.ui(UW, `/ui/flows/${flow.id}/enable`, { method: 'POST' });
      expect(enabled.body.flow).toMatchObject({ version: 4, enabled: true });
      await triggerClient('crud-two');
      const second = await finishedRun(stack, UW, flow.id, (run) => run.id !== first.run.id);
      expect(second.run).toMatchObject({ flowVersion: 4, status: 'succeeded' });
      expect(second.actions.map((action) => action.actionId)).toEqual(['tagIt']);

      const history = await runsOf(stack, UW, flow.id);
      expect(history.map((run) => run.flowVersion).sort()).toEqual([1, 4]);
      const fetched = await stack.ui(UW, `/ui/flows/${flow.id}`);
      expect(fetched.body.flow.version).toBe(4);
      await stack.ui(UW, `/ui/flows/${flow.id}`, { method: 'DELETE' });
    });
  });

  describe('validation', () => {
    const invalid = async (definition: unknown) => {
      const response = await stack.ui(UW, '/ui/flows', { body: { definition } });
      expect(response.status).toBe(400);
      return (response.body.errors as { field: string; message: string }[]).map((error) => error.field);
    };
    const base = tagNamingFlow('invalid');

    it('names an unknown operationId', async () => {
      expect(await invalid({ ...base, actions: [{ id: 'a', kind: 'clockify', operationId: 'launchRocket' }] })).toEqual([
        'definition.actions[0].operationId',
      ]);
    });

    it('names an unknown event', async () => {
      expect(await invalid({ ...base, trigger: { kind: 'clockify', events: ['NEW_CLIENT', 'COFFEE_BREWED'] } })).toEqual([
        'definition.trigger.events[1]',
      ]);
    });

    it('names a bad JSONPath', async () => {
      expect(await invalid({ ...base, conditions: { mode: 'all', rules: [{ path: '$.name[', op: 'exists' }] } })).toEqual([
        'definition.conditions.rules[0].path',
      ]);
    });

    it('names a template that reads a later step', async () => {
      const fields = await invalid({
        ...base,
        actions: [
          { id: 'first', kind: 'clockify', operationId: 'createNewTag', body: { name: '{{ steps.second.body.name }}' } },
          { id: 'second', kind: 'clockify', operationId: 'getTags' },
        ],
      });
      expect(fields).toEqual(['definition.actions[0].body.name']);
    });

    it('names a missing required parameter of the operation', async () => {
      expect(await invalid({ ...base, actions: [{ id: 'a', kind: 'clockify', operationId: 'getTasks' }] })).toEqual([
        'definition.actions[0].params.projectId',
      ]);
    });

    it('stores nothing for an invalid flow', async () => {
      const before = (await stack.ui(UW, '/ui/flows')).body.flows.length;
      await invalid({ ...base, name: '' });
      expect((await stack.ui(UW, '/ui/flows')).body.flows).toHaveLength(before);
    });
  });

  describe('who may write', () => {
    it('lets a regular user read but not create, edit, enable, disable or delete', async () => {
      const flow = await createFlow(stack, UW, { ...tagNamingFlow('owned by the owner'), enabled: false });
      const regular = await stack.userToken(UW, 'REGULAR');
      expect((await stack.ui(UW, '/ui/flows', { token: regular })).status).toBe(200);
      expect((await stack.ui(UW, `/ui/flows/${flow.id}`, { token: regular })).status).toBe(200);
      expect((await stack.ui(UW, '/ui/flows', { token: regular, body: { definition: tagNamingFlow('by a regular user') } })).status).toBe(
        403,
      );
      expect(
        (await stack.ui(UW, `/ui/flows/${flow.id}`, { token: regular, method: 'PUT', body: { definition: tagNamingFlow('changed') } }))
          .status,
      ).toBe(403);
      expect((await stack.ui(UW, `/ui/flows/${flow.id}/enable`, { token: regular, method: 'POST' })).status).toBe(403);
      expect((await stack.ui(UW, `/ui/flows/${flow.id}/disable`, { token: regular, method: 'POST' })).status).toBe(403);
      expect((await stack.ui(UW, `/ui/flows/${flow.id}`, { token: regular, method: 'DELETE' })).status).toBe(403);
      expect(
        (
          await stack.ui(UW, '/ui/flows/templates/default-time-entry-description', {
            token: regular,
            body: { inputs: { description: 'x' } },
          })
        ).status,
      ).toBe(403);
      const unchanged = await stack.ui(UW, `/ui/flows/${flow.id}`);
      expect(unchanged.body.flow).toMatchObject({ version: 1, name: 'owned by the owner' });
    });

    it('an admin may write', async () => {
      const admin = await stack.userToken(UW, 'ADMIN');
      const created = await stack.ui(UW, '/ui/flows', {
        token: admin,
        body: { definition: { ...tagNamingFlow('by an admin'), enabled: false } },
      });
      expect(created.status).toBe(201);
      expect((await stack.ui(UW, `/ui/flows/${created.body.flow.id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
    });
  });

  describe('workspace isolation', () => {
    it('another workspace cannot read, run, edit or delete a flow by its id', async () => {
      const flow = await createFlow(stack, UW, { ...tagNamingFlow('private'), enabled: false });
      const stranger = await stack.userToken(UW, 'OWNER', otherWorkspaceId);
      const as = (path: string, init: { method?: string; body?: unknown } = {}) => stack.ui(UW, path, { token: stranger, ...init });
      expect((await as(`/ui/flows/${flow.id}`)).status).toBe(404);
      expect((await as(`/ui/flows/${flow.id}/executions`)).status).toBe(404);
      expect((await as(`/ui/flows/${flow.id}/test`, { body: {} })).status).toBe(404);
      expect((await as(`/ui/flows/${flow.id}`, { method: 'PUT', body: { definition: tagNamingFlow('hijacked') } })).status).toBe(404);
      expect((await as(`/ui/flows/${flow.id}/enable`, { method: 'POST' })).status).toBe(404);
      expect((await as(`/ui/flows/${flow.id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await as('/ui/flows')).body.flows.map((f: { id: string }) => f.id)).not.toContain(flow.id);

      const mine = await stack.ui(UW, `/ui/flows/${flow.id}`);
      expect(mine.body.flow).toMatchObject({ name: 'private', version: 1, enabled: false });
    });
  });

  describe('dry run', () => {
    async function footprint() {
      const db = stack.edition(UW).runtime.database.db;
      const count = async (table: 'flow_runs' | 'flow_action_results' | 'api_calls') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        requests: stack.sandbox.requestLog().length,
        runs: await count('flow_runs'),
        results: await count('flow_action_results'),
        apiCalls: await count('api_calls'),
        jobs: (await db.selectFrom('jobs').select('id').execute()).length,
      };
    }

    it('renders the requests of a saved flow against a sample and changes nothing', async () => {
      const flow = await createFlow(stack, UW, { ...tagNamingFlow('dry'), enabled: false });
      await jobsDone();
      const before = await footprint();
      const response = await stack.ui(UW, `/ui/flows/${flow.id}/test`, {
        body: { sample: { id: 'c1', name: 'crud-sample', workspaceId } },
      });
      expect(response.status).toBe(200);
      expect(response.body.matched).toBe(true);
      expect(response.body.actions).toEqual([
        expect.objectContaining({
          actionId: 'lookUp',
          request: expect.objectContaining({ operationId: 'getTags', method: 'GET', params: { name: 'crud-sample', workspaceId } }),
        }),
        expect.objectContaining({
          actionId: 'tagIt',
          request: expect.objectContaining({
            operationId: 'createNewTag',
            method: 'POST',
            body: { name: 'tag for crud-sample (dry-run)' },
          }),
        }),
      ]);
      const notMatching = await stack.ui(UW, `/ui/flows/${flow.id}/test`, { body: { sample: { id: 'c2', name: 'other', workspaceId } } });
      expect(notMatching.body.matched).toBe(false);
      expect(await footprint()).toEqual(before);
    });

    it('runs an unsaved definition against a stored event and changes nothing; a regular user may not use an event that is not about them', async () => {
      await triggerClient('crud-stored');
      await jobsDone();
      const events = await stack.ui(UW, '/ui/webhooks/events');
      const stored = events.body.events.find((event: { eventType: string }) => event.eventType === 'NEW_CLIENT');
      expect(stored).toBeDefined();
      const before = await footprint();
      const regular = await stack.userToken(UW, 'REGULAR');
      // The role matrix (docs/security.md): a member's dry run reads only events about the member (a client event is about nobody).
      const refused = await stack.ui(UW, '/ui/flows/test', {
        token: regular,
        body: { definition: tagNamingFlow('unsaved'), eventId: stored.id },
      });
      expect(refused.status).toBe(404);
      const memberSample = await stack.ui(UW, '/ui/flows/test', {
        token: regular,
        body: { definition: tagNamingFlow('unsaved'), sample: { id: 'c3', name: 'crud-member', workspaceId } },
      });
      expect(memberSample.status).toBe(200);
      const response = await stack.ui(UW, '/ui/flows/test', { body: { definition: tagNamingFlow('unsaved'), eventId: stored.id } });
      expect(response.status).toBe(200);
      expect(response.body.matched).toBe(true);
      expect(response.body.actions[1].request.body.name).toMatch(/^tag for crud-/);
      expect(await footprint()).toEqual(before);
    });
  });
});
