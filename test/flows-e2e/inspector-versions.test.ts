/**
 * Issue 23, execution inspector and portability: runs of every flow with filters, bulk retry of failed
 * runs with the original or the current version (queued, linked by replayOf), version history with
 * restore, duplicate, and export / import into another workspace (ids mapped by name or flagged).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { createFlow, finishedRun } from './flow-helpers.js';
import type { RunView } from './flow-helpers.js';

const UW = 'universal-webhook' as const;
const MISSING_TAG = 'ffffffffffffffffffffffff';

describeEachDialect('execution inspector, versions and portability (Universal Webhook)', (dialect) => {
  let stack: Stack;
  let workspaceId: string;
  let otherWorkspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: [UW], dialect, sandbox: { seed: { workspaces: 2, users: 2, projects: 2, timeEntries: 2 } } });
    const [first, second] = stack.sandbox.workspaces();
    ({ workspaceId } = await stack.install(UW, first!.id));
    ({ workspaceId: otherWorkspaceId } = await stack.install(UW, second!.id));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const newClient = async (name: string) => {
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-${name}-${Date.now()}`, name, workspaceId, archived: false },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
  };
  const onClient = (name: string, tagId: string) => ({
    name,
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
    conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: name }] },
    actions: [{ id: 'readTag', kind: 'clockify', operationId: 'getTag', params: { id: tagId } }],
  });
  const runs = async (
    query: string,
    role: 'OWNER' | 'REGULAR' = 'OWNER',
  ): Promise<(RunView & { flowName: string | null; eventType: string | null })[]> => {
    const response = await stack.ui(UW, `/ui/flows/runs${query}`, { role });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.runs;
  };
  const names = async (workspace: string) => {
    const token = await stack.userToken(UW, 'OWNER', workspace);
    return eventually(async () => {
      const body = (await stack.ui(UW, '/ui/names', { token })).body as { tags: { id: string; name: string }[] };
      return body.tags.length > 0 ? body : undefined;
    }, 30_000);
  };

  it('lists runs of every flow, filtered by flow, outcome, event type and date', async () => {
    const { tags } = await names(workspaceId);
    const good = await createFlow(stack, UW, onClient('inspect-good', tags[0]!.id));
    const bad = await createFlow(stack, UW, onClient('inspect-bad', MISSING_TAG));
    await newClient('inspect-good');
    await newClient('inspect-bad');
    await finishedRun(stack, UW, good.id, (run) => run.matched);
    await finishedRun(stack, UW, bad.id, (run) => run.matched);

    const all = await runs('');
    expect(new Set(all.map((run) => run.flowId))).toEqual(new Set([good.id, bad.id]));
    const failed = await runs('?status=failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.every(
        (run) => run.flowId === bad.id && run.status === 'failed' && run.flowName === 'inspect-bad' && run.eventType === 'NEW_CLIENT',
      ),
    ).toBe(true);
    expect((await runs(`?flowId=${good.id}&status=succeeded`)).map((run) => run.flowName)).toContain('inspect-good');
    expect((await runs(`?flowId=${good.id}`)).every((run) => run.flowId === good.id)).toBe(true);
    expect(await runs('?eventType=NEW_PROJECT')).toEqual([]);
    expect((await runs('?eventType=NEW_CLIENT')).length).toBe(all.length);
    expect(await runs(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    // Paging: one run per page, the cursor reaches every run once.
    const first = await stack.ui(UW, '/ui/flows/runs?limit=1');
    expect(first.body.runs).toHaveLength(1);
    const second = await stack.ui(UW, `/ui/flows/runs?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.runs[0].id).not.toBe(first.body.runs[0].id);
    // Bad filters are a 400 problem.
    const bad400 = await stack.ui(UW, '/ui/flows/runs?status=exploded');
    expect(bad400.status).toBe(400);
    expect(bad400.body.type).toMatch(/problems\//);
  });

  it('retries failed runs in bulk with their original version, or with the flow as it is now', async () => {
    const { tags } = await names(workspaceId);
    const flow = await createFlow(stack, UW, onClient('retry-me', MISSING_TAG));
    await newClient('retry-me');
    const failed = (await finishedRun(stack, UW, flow.id, (run) => run.matched)).run;
    expect(failed.status).toBe('failed');
    // Fix the flow: version 2 reads a tag that exists.
    const edit = await stack.ui(UW, `/ui/flows/${flow.id}`, { method: 'PUT', body: { definition: onClient('retry-me', tags[0]!.id) } });
    expect(edit.status).toBe(200);

    const original = await stack.ui(UW, '/ui/flows/runs/retry', { body: { runIds: [failed.id], version: 'original' } });
    expect(original.status, JSON.stringify(original.body)).toBe(202);
    expect(original.body).toMatchObject({ queued: 1, runIds: [failed.id], skipped: [], version: 'original' });
    const again = await eventually(async () => (await runs(`?replayOf=${failed.id}`)).find((run) => run.status !== 'running'), 15_000);
    expect(again).toMatchObject({ replayOf: failed.id, flowVersion: 1, status: 'failed' });

    const current = await stack.ui(UW, '/ui/flows/runs/retry', { body: { filter: { flowId: flow.id }, version: 'current' } });
    expect(current.status).toBe(202);
    // Both failed runs of the flow are on the same event: only the latest (the failed retry) runs
    // again, with version 2; retrying the first as well would act twice on that event.
    expect(current.body).toMatchObject({
      queued: 1,
      runIds: [again!.id],
      skipped: [{ runId: failed.id, reason: expect.stringMatching(/ran on the same event again since/) }],
    });
    const fixed = await eventually(async () => {
      const list = (await runs(`?replayOf=${again!.id}`)).filter((run) => run.flowVersion === 2 && run.status !== 'running');
      return list.length === 1 ? list : undefined;
    }, 15_000);
    expect(fixed.map((run) => run.status)).toEqual(['succeeded']);

    // A succeeded run is skipped with a reason; unknown ids and bad bodies change nothing.
    const skipped = await stack.ui(UW, '/ui/flows/runs/retry', { body: { runIds: [fixed[0]!.id], version: 'original' } });
    expect(skipped.body).toMatchObject({ queued: 0, skipped: [{ runId: fixed[0]!.id, reason: expect.stringMatching(/succeeded/) }] });
    const before = (await runs(`?flowId=${flow.id}`)).length;
    for (const body of [
      { runIds: ['nope'], version: 'current' },
      { version: 'current' },
      { runIds: [failed.id], filter: {}, version: 'current' },
      { runIds: [failed.id], version: 'newest' },
      { runIds: Array.from({ length: 101 }, (_, i) => `r${i}`), version: 'current' },
    ]) {
      const refused = await stack.ui(UW, '/ui/flows/runs/retry', { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    const member = await stack.ui(UW, '/ui/flows/runs/retry', { role: 'REGULAR', body: { runIds: [failed.id], version: 'current' } });
    expect(member.status).toBe(403);
    expect((await runs(`?flowId=${flow.id}`)).length).toBe(before);
  });

  it('keeps every version, shows one, restores an old one as a new version, and duplicates a flow switched off', async () => {
    const { tags } = await names(workspaceId);
    const flow = await createFlow(stack, UW, onClient('history', tags[0]!.id));
    await stack.ui(UW, `/ui/flows/${flow.id}`, {
      method: 'PUT',
      body: { definition: { ...onClient('history', tags[0]!.id), description: 'second' } },
    });
    await stack.ui(UW, `/ui/flows/${flow.id}/disable`, { body: {} });

    const list = await stack.ui(UW, `/ui/flows/${flow.id}/versions`, { role: 'REGULAR' });
    expect(list.status).toBe(200);
    expect(list.body.current).toBe(3);
    expect(list.body.versions.map((v: { version: number; enabled: boolean }) => [v.version, v.enabled])).toEqual([
      [3, false],
      [2, true],
      [1, true],
    ]);
    const second = await stack.ui(UW, `/ui/flows/${flow.id}/versions/2`);
    expect(second.body.definition.description).toBe('second');
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/versions/9`)).status).toBe(404);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/versions/99999999999`)).status).toBe(400);

    expect((await stack.ui(UW, `/ui/flows/${flow.id}/versions/1/restore`, { role: 'REGULAR', body: {} })).status).toBe(403);
    const restored = await stack.ui(UW, `/ui/flows/${flow.id}/versions/1/restore`, { body: {} });
    expect(restored.status).toBe(200);
    expect(restored.body.flow).toMatchObject({ version: 4, enabled: true });
    expect(restored.body.flow.definition.description).toBeUndefined();
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/versions`)).body.versions).toHaveLength(4);

    const copy = await stack.ui(UW, `/ui/flows/${flow.id}/duplicate`, { body: {} });
    expect(copy.status).toBe(201);
    expect(copy.body.flow).toMatchObject({ name: 'history (copy)', enabled: false, version: 1 });
    expect(copy.body.flow.id).not.toBe(flow.id);
    expect(copy.body.flow.definition.actions).toEqual(restored.body.flow.definition.actions);
    expect((await stack.ui(UW, `/ui/flows/${flow.id}/duplicate`, { role: 'REGULAR', body: {} })).status).toBe(403);
  });

  it('exports a flow with the names of its entities and imports it into another workspace, mapping ids by name and flagging the rest', async () => {
    const here = await names(workspaceId);
    const there = await names(otherWorkspaceId);
    const tag = here.tags.find((candidate) => there.tags.some((other) => other.name === candidate.name))!;
    const theirs = there.tags.find((other) => other.name === tag.name)!;
    expect(theirs.id).not.toBe(tag.id);
    const definition = onClient('portable', tag.id);
    definition.conditions.rules.push({ path: '$.projectId', op: 'not_equals', value: 'abcdefabcdefabcdefabcdef' });
    const flow = await createFlow(stack, UW, definition);

    const exported = await stack.ui(UW, `/ui/flows/${flow.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="portable.flow.json"');
    expect(exported.body).toMatchObject({
      format: 'clockify-addon-platform/flow',
      formatVersion: 1,
      source: { edition: UW, workspaceId, flowId: flow.id, version: 1 },
    });
    expect(exported.body.entities).toEqual([{ id: tag.id, type: 'tags', name: tag.name }]);

    const token = await stack.userToken(UW, 'OWNER', otherWorkspaceId);
    const preview = await stack.ui(UW, '/ui/flows/import', { token, body: { document: exported.body } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.mapped).toEqual([{ from: tag.id, to: theirs.id, type: 'tags', name: tag.name }]);
    expect(preview.body.unmapped).toEqual([
      { id: 'abcdefabcdefabcdefabcdef', type: null, name: null, reason: expect.stringMatching(/not in this workspace/) },
    ]);
    expect(preview.body.problems).toEqual([]);
    expect(preview.body.source).toEqual({ edition: UW, sameEdition: true, sameWorkspace: false });
    // A preview saves nothing.
    const flowsThere = async () =>
      (await stack.ui(UW, '/ui/flows', { token })).body.flows as { id: string; name: string; enabled: boolean; definition: any }[];
    expect((await flowsThere()).map((f) => f.name)).not.toContain('portable');

    const created = await stack.ui(UW, '/ui/flows/import', { token, body: { document: exported.body, confirm: true } });
    expect(created.status).toBe(201);
    expect(created.body.created).toMatchObject({ name: 'portable', enabled: false });
    const imported = (await flowsThere()).find((f) => f.id === created.body.created.id)!;
    expect(imported.definition.actions[0].params.id).toBe(theirs.id);
    expect(imported.enabled).toBe(false);

    // Not an export, an export of another kind, a member: refused, nothing created.
    const count = (await flowsThere()).length;
    for (const document of [
      { hello: 'world' },
      { ...exported.body, format: 'zapier' },
      { ...exported.body, entities: [{ id: 'x', type: 'tags', name: 'a' }] },
      'text',
    ]) {
      const refused = await stack.ui(UW, '/ui/flows/import', { token, body: { document, confirm: true } });
      expect(refused.status, JSON.stringify(document)).toBe(400);
      expect(refused.body.type).toMatch(/invalid-export$/);
    }
    const invalid = await stack.ui(UW, '/ui/flows/import', {
      token,
      body: {
        document: {
          ...exported.body,
          definition: { ...exported.body.definition, trigger: { kind: 'clockify', events: ['NO_SUCH_EVENT'] } },
        },
        confirm: true,
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toMatch(/invalid-flow$/);
    const member = await stack.ui(UW, '/ui/flows/import', {
      token: await stack.userToken(UW, 'REGULAR', otherWorkspaceId),
      body: { document: exported.body, confirm: true },
    });
    expect(member.status).toBe(403);
    expect((await flowsThere()).length).toBe(count);
  });
});
