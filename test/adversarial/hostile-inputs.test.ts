/**
 * One test per hostile input of issue 18: each gets a 4xx problem naming the limit it hit, changes
 * nothing, and the edition keeps answering everyone else right after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookPath } from '../../src/clockify/manifest.js';
import { readResourceJson } from '../../src/resources.js';
import { Worker } from '../../src/jobs/worker.js';
import { EVALUATION_LIMITS } from '../../src/flows/evaluation-budget.js';
import { FLOW_LIMITS } from '../../src/flows/model.js';
import { TEMPLATE_LIMITS } from '../../src/flows/templates.js';
import { DRY_RUN_SAMPLE_LIMIT } from '../../src/flows/routes.js';
import { JSON_BODY_LIMITS } from '../../src/server/json-limits.js';
import { eventually } from '../helpers/stack.js';
import { createHarness, expectProblem } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const samples = readResourceJson<Record<string, Record<string, unknown>>>('clockify', 'webhook-samples.json');

/** `[[[…1…]]]`, `levels` deep. */
const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
/** An event as deep as a JSON body may be: `{ "a": { "a": … }, "n": [1, 2] }`. */
const deepEvent = (levels = JSON_BODY_LIMITS.depth - 4): Record<string, unknown> => {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels / 2; i++) node = { a: node, n: [i, i + 1] };
  return node;
};
/** Each `..*` multiplies the nodes reached by the depth: hours of work and an exhausted heap without a budget. */
const HOSTILE_PATH = `$${'..*'.repeat(8)}`;
const flowWith = (rules: unknown[]) => ({
  name: 'hostile',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions: { mode: 'all', rules },
  actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }],
});

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
  const asMember = async () => ({ authorization: `Bearer ${await a.userToken('TEAM_MANAGER')}`, 'content-type': 'application/json' });
  const asOwner = () => ({ authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' });
  const webhookHeaders = () => ({
    'content-type': 'application/json',
    'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
    'clockify-signature': a.webhookTokens.NEW_TIME_ENTRY!,
  });

  describe('JSON bodies', () => {
    it('answers 400 to a webhook nested 5,000 levels deep (9 KB)', async () => {
      const payload = `{"workspaceId":"${a.workspaceId}","x":${nested(5_000)}}`;
      expect(payload.length).toBeLessThan(11_000);
      const response = await h.attack(
        { method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(400);
      expectProblem(response);
      expect(response.json()).toMatchObject({
        type: expect.stringContaining('json-too-deep'),
        detail: expect.stringContaining(`${JSON_BODY_LIMITS.depth} levels`),
      });
      await stillServing();
    });

    it('takes a webhook nested as deep as the limit allows', async () => {
      const payload = JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id: 'deep-but-fine' }).replace(
        /}$/,
        `,"x":${nested(JSON_BODY_LIMITS.depth - 1)}}`,
      );
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload });
      expect(response.statusCode).toBe(200);
    });

    it('answers 400 to a UI body nested too deep and to a custom-source webhook nested too deep', async () => {
      const ui = await h.attack(
        {
          method: 'POST',
          url: '/ui/flows',
          headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
          payload: `{"definition":${nested(5_000)}}`,
        },
        { allow2xx: false },
      );
      expect(ui.statusCode).toBe(400);
      expect(ui.json().type).toContain('json-too-deep');
      const custom = await h.attack(
        { method: 'POST', url: '/webhooks/custom/any-source', headers: { 'content-type': 'application/json' }, payload: nested(5_000) },
        { allow2xx: false },
      );
      expect(custom.statusCode).toBe(400);
      expect(custom.json().type).toContain('json-too-deep');
      await stillServing();
    });

    it('answers 400 to an object with more keys than the limit, naming it', async () => {
      const keys = Array.from({ length: JSON_BODY_LIMITS.keysPerObject + 1 }, (_, i) => `"k${i}":0`).join(',');
      const response = await h.attack(
        {
          method: 'POST',
          url: webhookPath('NEW_TIME_ENTRY'),
          headers: webhookHeaders(),
          payload: `{"workspaceId":"${a.workspaceId}","x":{${keys}}}`,
        },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        type: expect.stringContaining('json-too-many-keys'),
        detail: expect.stringContaining(String(JSON_BODY_LIMITS.keysPerObject)),
      });
      await stillServing();
    });

    it('does not count brackets and colons inside strings', async () => {
      const payload = JSON.stringify({
        ...samples.NEW_TIME_ENTRY,
        workspaceId: a.workspaceId,
        id: 'brackets-in-text',
        description: `${'[{:'.repeat(5_000)}\\"[`,
      });
      const response = await h.attack({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload });
      expect(response.statusCode).toBe(200);
    });
  });

  describe('redaction', () => {
    it('answers a 12 KB `eyJeyJ…` URL from a stranger (logged, so masked) with a 401 problem', async () => {
      const response = await h.attack({ method: 'GET', url: `/ui/flows?x=${'eyJ'.repeat(4_000)}` }, { allow2xx: false });
      expect(response.statusCode).toBe(401);
      await stillServing();
    });

    it('masks a JWT inside a 200 KB `eyJeyJ…` value rendered by a dry run', async () => {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
      const definition = {
        ...flowWith([]),
        actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event.text }}' } }],
      };
      const response = await h.attack({
        method: 'POST',
        url: '/ui/flows/test',
        headers: await asMember(),
        payload: JSON.stringify({ definition, sample: { text: `${'eyJ'.repeat(70_000)} ${jwt}` } }),
      });
      expect(response.statusCode).toBe(200);
      const name = response.json().actions[0].request.params.name as string;
      expect(name.endsWith(' [REDACTED]')).toBe(true);
      expect(name).not.toContain(jwt);
    });
  });

  describe('flow conditions', () => {
    it('stops a dry run whose JSONPath descends again and again, with a 422 naming the limit', async () => {
      const response = await h.attack(
        {
          method: 'POST',
          url: '/ui/flows/test',
          headers: await asMember(),
          payload: JSON.stringify({ definition: flowWith([{ path: HOSTILE_PATH, op: 'exists' }]), sample: deepEvent() }),
        },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        type: expect.stringContaining('evaluation-budget-exceeded'),
        detail: expect.stringContaining('pathNodes'),
      });
      expect(response.json().detail).toContain(String(EVALUATION_LIMITS.pathNodes));
      await stillServing();
    });

    it('stops a one-step preview whose "only if" descends again and again: the step\'s error names the limit', async () => {
      const definition = {
        ...flowWith([]),
        actions: [{ ...flowWith([]).actions[0], onlyIf: { mode: 'all', rules: [{ path: HOSTILE_PATH, op: 'exists' }] } }],
      };
      const response = await h.attack({
        method: 'POST',
        url: '/ui/flows/steps/preview',
        headers: await asMember(),
        payload: JSON.stringify({ definition, stepId: 'tags', sample: deepEvent() }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'failed', mode: 'preview', error: expect.stringContaining('pathNodes') });
      await stillServing();
    });

    it('stops the dry run of a saved flow the same way', async () => {
      const saved = await h.send({
        method: 'POST',
        url: '/ui/flows',
        headers: asOwner(),
        payload: JSON.stringify({ definition: { ...flowWith([{ path: HOSTILE_PATH, op: 'exists' }]), enabled: false } }),
      });
      expect(saved.statusCode, saved.body).toBe(201);
      const response = await h.attack(
        {
          method: 'POST',
          url: `/ui/flows/${saved.json().flow.id}/test`,
          headers: await asMember(),
          payload: JSON.stringify({ sample: deepEvent() }),
        },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toContain('pathNodes');
      await stillServing();
    });

    it('stops a dry run with many "matches" rules on long text once their shared budget is spent', async () => {
      const rules = Array.from({ length: FLOW_LIMITS.rulesPerGroup }, (_, i) => ({ path: '$..*', op: 'matches', value: `(?:a|b)*c${i}` }));
      const definition = { ...flowWith([]), conditions: { mode: 'any', rules: Array.from({ length: 4 }, () => ({ mode: 'any', rules })) } };
      const sample = { texts: Array.from({ length: 20 }, () => 'ab'.repeat(5_000)) };
      const response = await h.attack(
        { method: 'POST', url: '/ui/flows/test', headers: await asMember(), payload: JSON.stringify({ definition, sample }) },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toContain('regexCharacters');
      await stillServing();
    });

    it('refuses a flow with more conditions than the limit, naming it', async () => {
      const rules = Array.from({ length: FLOW_LIMITS.rulesPerGroup }, () => ({ path: '$.description', op: 'matches', value: 'x' }));
      const definition = { ...flowWith([]), conditions: { mode: 'all', rules: Array.from({ length: 5 }, () => ({ mode: 'all', rules })) } };
      for (const [url, headers] of [
        ['/ui/flows', asOwner()],
        ['/ui/flows/test', await asMember()],
      ] as const) {
        const response = await h.attack(
          { method: 'POST', url, headers, payload: JSON.stringify({ definition, sample: {} }) },
          { allow2xx: false },
        );
        expect(response.statusCode).toBe(400);
        expect(response.json().detail).toContain(`at most ${FLOW_LIMITS.conditions}`);
      }
    });

    it('refuses a dry-run sample over the limit with a 413 naming it', async () => {
      const sample = { description: 'x'.repeat(DRY_RUN_SAMPLE_LIMIT) };
      const response = await h.attack(
        { method: 'POST', url: '/ui/flows/test', headers: await asMember(), payload: JSON.stringify({ definition: flowWith([]), sample }) },
        { allow2xx: false },
      );
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({
        type: expect.stringContaining('sample-too-large'),
        detail: expect.stringContaining(String(DRY_RUN_SAMPLE_LIMIT)),
      });
    });

    it('stops rendering a template whose output passes the limit, naming it, in the action it belongs to', async () => {
      const definition = {
        ...flowWith([]),
        actions: [{ id: 'tags', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event | json }}'.repeat(100) } }],
      };
      const response = await h.attack({
        method: 'POST',
        url: '/ui/flows/test',
        headers: await asMember(),
        payload: JSON.stringify({ definition, sample: { text: 'x'.repeat(200_000) } }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().actions[0]).toMatchObject({
        actionId: 'tags',
        request: null,
        error: expect.stringContaining(`larger than ${TEMPLATE_LIMITS.outputSize} characters`),
      });
      expect(response.body.length).toBeLessThan(100_000);
      await stillServing();
    });

    it('fails the background run of a hostile flow on a deep event, saying which budget ran out', async () => {
      const created = await h.send({
        method: 'POST',
        url: '/ui/flows',
        headers: asOwner(),
        payload: JSON.stringify({ definition: flowWith([{ path: HOSTILE_PATH, op: 'exists' }]) }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const flowId = created.json().flow.id as string;
      const payload = JSON.stringify({ ...samples.NEW_TIME_ENTRY, workspaceId: a.workspaceId, id: 'deep-event', deep: deepEvent() });
      expect((await h.send({ method: 'POST', url: webhookPath('NEW_TIME_ENTRY'), headers: webhookHeaders(), payload })).statusCode).toBe(
        200,
      );
      const worker = new Worker(h.runtime.queue, h.runtime.jobHandlers, {
        concurrency: 2,
        leaseMs: 5_000,
        pollIntervalMs: 50,
        logger: h.runtime.logger,
      });
      worker.start();
      const run = await eventually(async () => {
        const runs = (await h.send({ method: 'GET', url: `/ui/flows/${flowId}/executions`, headers: asOwner() })).json().runs as {
          status: string;
          error: string | null;
        }[];
        return runs.find((candidate) => candidate.status !== 'running');
      }, 20_000).finally(() => worker.stop(2_000));
      expect(run.status).toBe('failed');
      expect(run.error).toContain('pathNodes');
      await stillServing();
    });
  });
});
