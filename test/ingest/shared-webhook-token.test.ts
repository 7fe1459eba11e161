/**
 * Issue 19: Clockify does not document that webhook tokens are distinct. When INSTALLED gives several
 * webhooks the same token, that token is good for each of their events (and only those), alone or
 * arriving together, on both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { getEdition } from '../../src/editions/index.js';
import { describeEachDialect } from '../helpers/databases.js';
import { startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { addonClaims, createForger, postWebhook, rawPost, sandboxKeyDir } from '../lifecycle/support.js';
import type { Forger } from '../lifecycle/support.js';
import { objectId, timeEntryPayload } from './support.js';

const ID = 'api-studio' as const;

describeEachDialect('a webhook token shared by several webhooks', (dialect) => {
  let stack: Stack;
  let forger: Forger;

  beforeAll(async () => {
    const keyDir = sandboxKeyDir();
    stack = await startStack({ editions: [ID], dialect, sandbox: { dataDir: keyDir } });
    forger = await createForger(keyDir);
  }, 60_000);
  afterAll(() => stack?.close());

  it('accepts each event of the webhooks holding it, refuses the others', async () => {
    const edition = stack.edition(ID);
    const definition = getEdition(ID);
    const workspaceId = objectId();
    const addonId = objectId();
    const claims = addonClaims({ addonKey: edition.runtime.editionConfig.key, workspaceId, addonId, backendUrl: stack.sandbox.backendUrl });
    const [firstEvent, ...otherEvents] = definition.manifestEvents;
    const sharedEvents = [firstEvent!, ...otherEvents.slice(0, 3)];
    const ownEvent = otherEvents[3]!;
    const shared = await forger.sign({ ...claims, jti: 'shared' });
    const own = await forger.sign({ ...claims, jti: 'own' });
    const base = edition.runtime.editionConfig.baseUrl;
    const webhooks = [
      ...sharedEvents.map((event) => ({ path: `${base}${webhookPath(event)}`, webhookType: 'ADDON', authToken: shared })),
      { path: `${base}${webhookPath(ownEvent)}`, webhookType: 'ADDON', authToken: own },
    ];
    const authToken = await forger.sign({ ...claims, jti: 'installation' });
    const installed = await rawPost(
      `${edition.url}/lifecycle/installed`,
      { 'content-type': 'application/json', 'x-addon-lifecycle-token': await forger.sign(claims) },
      JSON.stringify({ addonId, workspaceId, authToken, webhooks }),
    );
    expect(installed.body).toMatchObject({ ok: true, outcome: 'applied' });

    // One at a time (SQLite keeps the lookup of a token: the second event must not be judged by the first's answer)…
    for (const event of sharedEvents) {
      const reply = await postWebhook(edition, { event, token: shared, body: timeEntryPayload(workspaceId) });
      expect({ event, status: reply.status, body: reply.body.status }).toEqual({ event, status: 200, body: 'accepted' });
    }
    // …and all at once (PostgreSQL looks up the webhooks of one tick together).
    const together = await Promise.all(
      sharedEvents.map((event) => postWebhook(edition, { event, token: shared, body: timeEntryPayload(workspaceId) })),
    );
    expect(together.map((reply) => reply.status)).toEqual(sharedEvents.map(() => 200));

    // The shared token is not good for an event none of its webhooks carries; the other webhook's token still works for its own.
    const foreign = await postWebhook(edition, { event: ownEvent, token: shared, body: timeEntryPayload(workspaceId) });
    expect(foreign.status).toBe(401);
    expect(foreign.body.detail).toBe('The webhook signature belongs to another event.');
    expect((await postWebhook(edition, { event: ownEvent, token: own, body: timeEntryPayload(workspaceId) })).status).toBe(200);
    expect((await postWebhook(edition, { event: firstEvent!, token: own, body: timeEntryPayload(workspaceId) })).status).toBe(401);

    const stored = await edition.runtime.database.db
      .selectFrom('webhook_events')
      .select('event_type')
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(stored).toHaveLength(sharedEvents.length * 2 + 1);
  });
});
