import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRequest, getCatalog, type BaseUrls, type Operation } from '../../../src/clockify/catalog/index.js';
import {
  ClockifyApiError,
  ClockifyNetworkError,
  ClockifyTimeoutError,
  createClientMetrics,
  createClockifyClient,
  HostNotAllowedError,
  PayloadTooLargeError,
  userTokenRequest,
  type ApiCallRecord,
  type ClockifyClientOptions,
} from '../../../src/clockify/client/index.js';
import type { Lane, RateLimiter } from '../../../src/clockify/rate-limit/index.js';
import { FakeClockify } from './fake-clockify.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.installation-token-for-tests.c2lnbmF0dXJl';
const catalog = getCatalog();
const op = (id: string): Operation => catalog.get(id)!;

let clockify: FakeClockify;
let delays: number[];
let records: ApiCallRecord[];
let acquisitions: { workspaceId: string; lane: Lane; settled: boolean }[];

const recordingLimiter: RateLimiter = {
  async acquire(workspaceId, lane) {
    const acquisition = { workspaceId, lane, settled: false };
    acquisitions.push(acquisition);
    return { settled: () => void (acquisition.settled = true) };
  },
};

beforeEach(async () => {
  clockify = await new FakeClockify().start();
  delays = [];
  records = [];
  acquisitions = [];
});

afterEach(async () => {
  await clockify.stop();
});

function baseUrls(): BaseUrls {
  return { backendUrl: `${clockify.origin}/api`, reportsUrl: `${clockify.origin}/report` };
}

function client(overrides: Partial<ClockifyClientOptions> = {}) {
  return createClockifyClient({
    allowedHosts: [`127.0.0.1:${clockify.port}`],
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    limiter: recordingLimiter,
    onCall: (record) => {
      records.push(record);
    },
    ...overrides,
  });
}

function projectsCall(extra: { lane?: Lane } = {}) {
  const operation = op('getProjects');
  return {
    workspaceId: 'ws1',
    token: TOKEN,
    operation,
    request: buildRequest(operation, { params: { workspaceId: 'ws1', page: 1 } }, baseUrls()),
    ...extra,
  };
}

describe('Clockify API client: retries', () => {
  it('retries 503 answers with backoff and returns the success', async () => {
    clockify.answer({ status: 503 }, { status: 503 }, { status: 200, body: [{ id: 'p1', name: 'Apollo' }] });
    const response = await client().call(projectsCall());
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ id: 'p1', name: 'Apollo' }]);
    expect(response.attempts).toBe(3);
    expect(clockify.requests).toHaveLength(3);
    expect(clockify.requests[0]!.url).toBe('/api/v1/workspaces/ws1/projects?page=1');
    expect(clockify.requests.every((request) => request.headers['x-addon-token'] === TOKEN)).toBe(true);
    // Full jitter with random() = 0.5 and base 250 ms: half of 250, then half of 500.
    expect(delays).toEqual([125, 250]);
  });

  it('honours Retry-After in seconds on 429', async () => {
    clockify.answer({ status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '2' } }, { status: 200, body: [] });
    const response = await client().call(projectsCall());
    expect(response.status).toBe(200);
    expect(delays).toEqual([2000]);
  });

  it('retries a broken connection', async () => {
    clockify.answer('destroy', { status: 200, body: [] });
    const registry = new Registry();
    const response = await client({ metrics: createClientMetrics(registry) }).call(projectsCall());
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    const retries = await registry.getSingleMetric('clockify_api_retries_total')!.get();
    expect(retries.values).toEqual([expect.objectContaining({ labels: { reason: 'network' }, value: 1 })]);
  });

  it('gives up after the configured number of attempts', async () => {
    clockify.answer({ status: 503, body: { message: 'down' } });
    const error = await client({ retries: { attempts: 3 } })
      .call(projectsCall())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClockifyApiError);
    expect((error as ClockifyApiError).status).toBe(503);
    expect((error as ClockifyApiError).attempts).toBe(3);
    expect(clockify.requests).toHaveLength(3);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 503, attempts: 3, operationId: 'getProjects' });
  });

  it('gives up on a broken connection after the last attempt with a network error', async () => {
    clockify.answer('destroy');
    await expect(client({ retries: { attempts: 2 } }).call(projectsCall())).rejects.toBeInstanceOf(ClockifyNetworkError);
    expect(clockify.requests).toHaveLength(2);
  });

  it('does not repeat a POST that may have acted, unless the caller vouches with an idempotency key', async () => {
    const operation = op('createClient');
    const request = buildRequest(operation, { params: { workspaceId: 'ws1' }, body: { name: 'Acme' } }, baseUrls());
    clockify.answer({ status: 503 });
    await expect(client().call({ workspaceId: 'ws1', token: TOKEN, operation, request })).rejects.toBeInstanceOf(ClockifyApiError);
    expect(clockify.requests).toHaveLength(1);

    clockify.answer({ status: 503 }, { status: 201, body: { id: 'c1', name: 'Acme' } });
    const response = await client().call({ workspaceId: 'ws1', token: TOKEN, operation, request, idempotencyKey: 'flow-1:action-2' });
    expect(response.status).toBe(201);
    expect(clockify.requests).toHaveLength(3);
    expect(JSON.parse(clockify.requests[2]!.body)).toEqual({ name: 'Acme' });
  });

  it('does not retry client errors', async () => {
    clockify.answer({ status: 404, body: { message: 'Project not found', code: 501 } });
    const error = (await client()
      .call(projectsCall())
      .catch((caught: unknown) => caught)) as ClockifyApiError;
    expect(error).toBeInstanceOf(ClockifyApiError);
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ message: 'Project not found', code: 501 });
    expect(clockify.requests).toHaveLength(1);
    // Log serializers copy enumerable properties: the raw body is not one of them.
    expect(Object.keys(error)).not.toContain('body');
  });

  it('returns non-2xx answers instead of throwing when asked to', async () => {
    clockify.answer({ status: 404, body: { message: 'Project not found' } });
    const response = await client().call({ ...projectsCall(), throwOnHttpError: false });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: 'Project not found' });
  });

  it('times out an attempt that gets no answer', async () => {
    clockify.answer('hang');
    await expect(client({ timeoutMs: 50, retries: { attempts: 1 } }).call(projectsCall())).rejects.toBeInstanceOf(ClockifyTimeoutError);
    expect(records[0]).toMatchObject({ status: null, attempts: 1 });
  });
});

describe('Clockify API client: limits before sending', () => {
  it('refuses a body over 1 MB without sending anything', async () => {
    const operation = op('createClient');
    const request = buildRequest(operation, { params: { workspaceId: 'ws1' }, body: { name: 'x'.repeat(1024 * 1024) } }, baseUrls());
    await expect(client().call({ workspaceId: 'ws1', token: TOKEN, operation, request })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(clockify.connections).toBe(0);
    expect(acquisitions).toHaveLength(0);
  });

  it('sends a body just under 1 MB', async () => {
    const operation = op('createClient');
    const request = buildRequest(operation, { params: { workspaceId: 'ws1' }, body: { name: 'x'.repeat(1024 * 1024 - 100) } }, baseUrls());
    clockify.answer({ status: 201, body: { id: 'c1' } });
    await expect(client().call({ workspaceId: 'ws1', token: TOKEN, operation, request })).resolves.toMatchObject({ status: 201 });
  });

  it('refuses a host outside the allowlist before any connection', async () => {
    const refusing = client({ allowedHosts: [] });
    const error = await refusing.call(projectsCall()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostNotAllowedError);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(clockify.connections).toBe(0);
    expect(clockify.requests).toHaveLength(0);
    expect(records[0]).toMatchObject({ attempts: 0, status: null });
  });

  it('refuses plain http to a Clockify host', async () => {
    const request = buildRequest(
      op('getProjects'),
      { params: { workspaceId: 'ws1' } },
      { backendUrl: 'http://api.clockify.me/api', reportsUrl: 'http://reports.api.clockify.me' },
    );
    await expect(client().call({ workspaceId: 'ws1', token: TOKEN, request })).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it("passes the rate limiter before every attempt, in the caller's lane, and reports each attempt settled", async () => {
    clockify.answer({ status: 503 }, { status: 200, body: [] });
    await client().call(projectsCall({ lane: 'background' }));
    expect(acquisitions).toEqual([
      { workspaceId: 'ws1', lane: 'background', settled: true },
      { workspaceId: 'ws1', lane: 'background', settled: true },
    ]);
  });
});

describe('Clockify API client: records and secrets', () => {
  it('reports each call once, redacted and without the token', async () => {
    clockify.answer({
      status: 200,
      body: { id: 'wh1', authToken: 'webhook-signing-secret', nested: { apiKey: 'k-abcdef', password: 'hunter22' }, echo: TOKEN },
    });
    const operation = op('getWebhook');
    const request = buildRequest(operation, { params: { workspaceId: 'ws1', webhookId: 'wh1' } }, baseUrls());
    request.query = { token: 'query-secret-value' };
    const response = await client().call({ workspaceId: 'ws1', token: TOKEN, operation, request });
    expect(response.body).toMatchObject({ authToken: 'webhook-signing-secret' }); // the caller gets the real answer

    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({
      workspaceId: 'ws1',
      operationId: 'getWebhook',
      method: 'GET',
      status: 200,
      attempts: 1,
      lane: 'interactive',
    });
    const text = JSON.stringify(record);
    for (const secret of [TOKEN, 'webhook-signing-secret', 'k-abcdef', 'hunter22', 'query-secret-value'])
      expect(text).not.toContain(secret);
    expect(record.responseExcerpt).toContain('"authToken":"[REDACTED]"');
    expect(record.url).toContain('/v1/workspaces/ws1/webhooks/wh1');
  });

  it('keeps the token out of error messages and records even when Clockify echoes it', async () => {
    clockify.answer((request) => ({ status: 401, body: `invalid token ${String(request.headers['x-addon-token'])}` }));
    const error = (await client()
      .call(projectsCall())
      .catch((caught: unknown) => caught)) as ClockifyApiError;
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(TOKEN);
    expect(error.bodyExcerpt).not.toContain(TOKEN);
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it('truncates the response excerpt to 2 KB', async () => {
    clockify.answer({ status: 200, body: Array.from({ length: 500 }, (_, index) => ({ id: `p${index}`, name: 'Project' })) });
    await client().call(projectsCall());
    expect(Buffer.byteLength(records[0]!.responseExcerpt)).toBeLessThanOrEqual(2048);
  });

  it('counts calls by operation, outcome and lane', async () => {
    const registry = new Registry();
    clockify.answer({ status: 503 }, { status: 200, body: [] });
    await client({ metrics: createClientMetrics(registry) }).call(projectsCall());
    const requests = await registry.getSingleMetric('clockify_api_requests_total')!.get();
    expect(requests.values).toEqual([
      expect.objectContaining({ labels: { operation: 'getProjects', status_class: '2xx', lane: 'interactive' }, value: 1 }),
    ]);
    const retries = await registry.getSingleMetric('clockify_api_retries_total')!.get();
    expect(retries.values).toEqual([expect.objectContaining({ labels: { reason: '5xx' }, value: 1 })]);
    expect(createClientMetrics(registry).requests).toBe(registry.getSingleMetric('clockify_api_requests_total'));
  });
});

describe('Clockify API client: requests outside the spec', () => {
  it('calls add-on endpoints such as the user token exchange', async () => {
    clockify.answer({ status: 200, body: { token: 'user-token-value' } });
    const request = userTokenRequest(`${clockify.origin}/api`, 'user 1');
    const response = await client().request({ workspaceId: 'ws1', token: TOKEN, label: 'addon.userToken', ...request });
    expect(response.body).toEqual({ token: 'user-token-value' });
    expect(clockify.requests[0]).toMatchObject({ method: 'POST', url: '/api/addon/user/user%201/token' });
    expect(records[0]).toMatchObject({ operationId: 'addon.userToken' });
    expect(records[0]!.responseExcerpt).not.toContain('user-token-value');
  });
});
