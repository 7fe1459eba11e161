/**
 * The sidebar's inspector reads on both databases: search over payloads (text, id, a name from the
 * snapshot), rejected requests filed under their workspace, and the volume chart's buckets.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

describeEachDialect('inspector routes', (dialect) => {
  let stack: Stack;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack({ editions: ['universal-webhook'], dialect, sandbox: { seed: { users: 2, projects: 4, timeEntries: 10 } } });
    ({ workspaceId } = await stack.install('universal-webhook'));
    await eventually(
      async () => ((await stack.ui('universal-webhook', '/ui/names')).body.projects.length === 4 ? true : undefined),
      30_000,
    );
    await stack.sandbox.trigger('NEW_PROJECT', { workspaceId });
    await stack.sandbox.trigger('NEW_TAG', { workspaceId, payload: { id: 'abc', name: '50%_Off', workspaceId } });
    await eventually(
      async () => ((await stack.ui('universal-webhook', '/ui/inspector/events')).body.events.length === 2 ? true : undefined),
      15_000,
    );
  }, 90_000);
  afterAll(() => stack?.close());

  const events = async (q: string) =>
    (
      (await stack.ui('universal-webhook', `/ui/inspector/events?q=${encodeURIComponent(q)}`)).body.events as {
        eventType: string;
        digest: { name?: string };
      }[]
    ).map((event) => event.eventType);

  it('finds events by payload text (literally), by event type and by the name of an entity they carry', async () => {
    expect(await events('50%_off')).toEqual(['NEW_TAG']);
    expect(await events('50%x')).toEqual([]);
    expect(await events('new_project')).toEqual(['NEW_PROJECT']);
    const names = (await stack.ui('universal-webhook', '/ui/names')).body as { clients: { id: string; name: string }[] };
    const project = (await stack.ui('universal-webhook', '/ui/inspector/events?type=NEW_PROJECT')).body.events[0];
    expect(project.digest.name).toBeTruthy();
    // The NEW_PROJECT payload carries its client's id: searching the client's name finds it.
    const client = names.clients.find((c) => project.digest.clientId === c.id);
    if (client) expect(await events(client.name)).toContain('NEW_PROJECT');
  });

  it('files a refused request under its workspace, lists it with its reason and counts it in the chart', async () => {
    const forgedClaims = Buffer.from(JSON.stringify({ workspaceId })).toString('base64url');
    const response = await fetch(`${stack.edition('universal-webhook').url}/webhooks/clockify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'clockify-webhook-event-type': 'NEW_TAG',
        'clockify-signature': `eyJhbGciOiJSUzI1NiJ9.${forgedClaims}.c2ln`,
      },
      body: JSON.stringify({ workspaceId, id: 'x' }),
    });
    expect(response.status).toBe(401);
    // Refusals from nowhere in particular are not filed anywhere.
    await fetch(`${stack.edition('universal-webhook').url}/webhooks/custom/no-such-source`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const rejected = await eventually(async () => {
      const body = (await stack.ui('universal-webhook', '/ui/inspector/rejected')).body as {
        requests: { reason: string; source: string; headers: Record<string, string> }[];
        reasons: string[];
      };
      return body.requests.length > 0 ? body : undefined;
    }, 10_000);
    expect(rejected.requests).toHaveLength(1);
    expect(rejected.requests[0]).toMatchObject({ reason: 'invalid-token', source: 'clockify' });
    expect(JSON.stringify(rejected.requests[0]!.headers)).not.toContain('c2ln');
    expect(rejected.reasons).toEqual(['invalid-token']);
    expect((await stack.ui('universal-webhook', '/ui/inspector/rejected?reason=unknown-source')).body.requests).toEqual([]);

    const volume = (await stack.ui('universal-webhook', '/ui/inspector/volume?range=24h')).body as {
      buckets: { processed: number; rejected: number; skipped: number; received: number; failed: number }[];
    };
    expect(volume.buckets).toHaveLength(24);
    const total = volume.buckets.reduce((sum, b) => sum + b.processed + b.skipped + b.received + b.failed, 0);
    expect(total).toBe(2);
    expect(volume.buckets.reduce((sum, b) => sum + b.rejected, 0)).toBe(1);
    expect((await stack.ui('universal-webhook', '/ui/inspector/volume?range=7d')).body.buckets).toHaveLength(28);
  });

  it("shows a stored explorer call to the admin who ran it; to a member another's call does not exist", async () => {
    const ran = await stack.ui('universal-webhook', '/ui/api-explorer/execute', { body: { operationId: 'getTags', params: {} } });
    expect(ran.status).toBe(200);
    const history = (await stack.ui('universal-webhook', '/ui/api-explorer/history')).body as { entries: { id: string }[] };
    const id = history.entries[0]!.id;
    const admin = (await stack.ui('universal-webhook', `/ui/api-explorer/calls/${id}`)).body;
    expect(admin).toMatchObject({ operationId: 'getTags', responseHidden: false });
    expect(admin.response).not.toBeNull();
    // Another person of the workspace, as a member.
    const users = ((await stack.ui('universal-webhook', '/ui/names')).body as { users: { id: string }[] }).users;
    const other = users.find((user) => user.id !== admin.userId)!;
    const token = await stack.sandbox.userToken({
      addonKey: stack.edition('universal-webhook').runtime.editionConfig.key,
      workspaceId,
      role: 'REGULAR',
      userId: other.id,
    });
    const member = await stack.ui('universal-webhook', `/ui/api-explorer/calls/${id}`, { token });
    // As in the history (access-policy): a member sees their own calls only.
    expect(member.status).toBe(404);
  });
});
