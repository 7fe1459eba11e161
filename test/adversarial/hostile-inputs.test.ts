/**
 * One test per hostile input of issue 18: each gets a 4xx problem naming the limit it hit, changes
 * nothing, and the edition keeps answering everyone else right after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { readResourceJson } from '../../src/resources.js';
import { JSON_BODY_LIMITS } from '../../src/server/json-limits.js';
import { createHarness, expectProblem } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');

/** `[[[…1…]]]`, `levels` deep. */
const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

describe('hostile inputs get a 4xx naming the limit, and the edition keeps serving', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let ownerToken: string;

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
    ownerToken = await a.userToken('OWNER');
  });
  afterAll(() => h?.close());

  /** Another request right after: the edition still answers. */
  const stillServing = async () => {
    const response = await h.send({ method: 'GET', url: '/ui/flows', headers: { authorization: `Bearer ${ownerToken}` } });
    expect(response.statusCode).toBe(200);
  };
  const webhookHeaders = () => ({ 'content-type': 'application/json', 'clockify-webhook-event-type': 'NEW_TIME_ENTRY', 'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY! });

  describe('JSON bodies', () => {
    it('answers 400 to a webhook nested 5,000 levels deep (9 KB)', async () => {
      const payload = `{"workspaceId":"${a.workspaceId}","x":${nested(5_000)}}`;
      expect(payload.length).toBeLessThan(11_000);
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload }, { allow2xx: false });
      expect(response.statusCode).toBe(400);
      expectProblem(response);
      expect(response.json()).toMatchObject({ type: expect.stringContaining('json-too-deep'), detail: expect.stringContaining(`${JSON_BODY_LIMITS.depth} levels`) });
      await stillServing();
    });

    it('takes a webhook nested as deep as the limit allows', async () => {
      const payload = JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id: 'deep-but-fine' }).replace(/}$/, `,"x":${nested(JSON_BODY_LIMITS.depth - 1)}}`);
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload });
      expect(response.statusCode).toBe(200);
    });

    it('answers 400 to a UI body nested too deep and to a custom-source webhook nested too deep', async () => {
      const ui = await h.attack({ method: 'POST', url: '/ui/flows', headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' }, payload: `{"definition":${nested(5_000)}}` }, { allow2xx: false });
      expect(ui.statusCode).toBe(400);
      expect(ui.json().type).toContain('json-too-deep');
      const custom = await h.attack({ method: 'POST', url: '/webhooks/custom/any-source', headers: { 'content-type': 'application/json' }, payload: nested(5_000) }, { allow2xx: false });
      expect(custom.statusCode).toBe(400);
      expect(custom.json().type).toContain('json-too-deep');
      await stillServing();
    });

    it('answers 400 to an object with more keys than the limit, naming it', async () => {
      const keys = Array.from({ length: JSON_BODY_LIMITS.keysPerObject + 1 }, (_, i) => `"k${i}":0`).join(',');
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload: `{"workspaceId":"${a.workspaceId}","x":{${keys}}}` }, { allow2xx: false });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: expect.stringContaining('json-too-many-keys'), detail: expect.stringContaining(String(JSON_BODY_LIMITS.keysPerObject)) });
      await stillServing();
    });

    it('does not count brackets and colons inside strings', async () => {
      const payload = JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id: 'brackets-in-text', description: `${'[{:'.repeat(5_000)}\\"[` });
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload });
      expect(response.statusCode).toBe(200);
    });
  });
});
