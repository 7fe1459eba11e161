/**
 * Fuzzing the API explorer: any operation id, any parameters (the operation's real names with
 * hostile values, another workspace's id, dot segments), any body, from an admin and a regular
 * user. Besides the shared invariants, whatever reaches "Clockify" (the stub) must address the
 * caller's own workspace only.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBody } from '../../src/clockify/catalog/index.js';
import type { Operation } from '../../src/clockify/catalog/index.js';
import { hostileJson, nastyString, pathSegment, prototypeKeys } from './support/arbitraries.js';
import { RUNS, fuzzSettings } from './support/budget.js';
import { createHarness } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

/** The workspace a request path addresses after dot segments are resolved (as a server would). */
function addressedWorkspaces(rawUrl: string): string[] {
  const path = new URL(rawUrl, 'http://stub').pathname.split('/').map((segment) => decodeURIComponent(segment));
  return path.flatMap((segment, index) => (segment === 'workspaces' && path[index + 1] ? [path[index + 1]!] : []));
}

/** A spec path template as a pattern over a sent path: each `{param}` is exactly one non-empty segment. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`${source}$`);
}

describe('fuzz: explorer parameters and bodies', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let b: InstalledWorkspace;
  let ownerToken: string;
  let regularToken: string;
  let operations: Operation[];
  const prototypeBefore = prototypeKeys();

  beforeAll(async () => {
    h = await createHarness('universal-webhook');
    a = await h.install();
    b = await h.install();
    ownerToken = await a.userToken('OWNER');
    regularToken = await a.userToken('REGULAR');
    operations = h.runtime.catalog.operations;
  });
  afterAll(() => h?.close());

  const valueFor = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(null).map(() => a.ownerId) },
      fc.constant(null).map(() => a.workspaceId),
      fc.constant(null).map(() => b.workspaceId),
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '../..',
        '/',
        '?x=1',
        '#',
        'a/../../b',
        '\r\nX-Injected: 1',
        ' ',
        'true',
        '1',
        '-1',
        '2024-01-01T00:00:00Z',
      ),
      nastyString,
      hostileJson,
    );

  it("runs or refuses any call without 5xx; whatever it sends stays in the caller's workspace", async () => {
    const hexId = fc.constantFrom('5f3c1a2b4d5e6f7a8b9c0d1e', '64b7f0c2a1d3e4f5a6b7c8d9');
    const hostilePathValue = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '../..', '/', '?x=1', '#frag', 'a/../../b', '\r\nX-Injected: 1', ' ', '\u0000'),
      nastyString.filter((text) => text.length > 0),
    );
    // Mostly well-formed calls whose path parameters are sometimes hostile, so the fuzzer reaches the outgoing request.
    const nearValid = fc.integer({ min: 0, max: 10_000 }).chain((index) => {
      const operation = operations[index % operations.length]!;
      const pathParams = operation.pathParams.filter((name) => name !== 'workspaceId');
      const required = operation.parameters.filter((p) => p.in !== 'path' && p.required);
      return fc.record({
        operationId: fc.constant(operation.operationId),
        params: fc.tuple(...pathParams.map(() => fc.oneof({ weight: 3, arbitrary: hexId }, hostilePathValue))).map((values) => ({
          ...Object.fromEntries(pathParams.map((name, i) => [name, values[i]])),
          ...Object.fromEntries(
            required.map((p) => [
              p.name,
              p.default ??
                p.enum?.[0] ??
                (p.schema.type === 'integer' || p.schema.type === 'number'
                  ? 1
                  : p.schema.type === 'boolean'
                    ? true
                    : '2024-01-01T00:00:00Z'),
            ]),
          ),
        })),
        body: fc.constant(operation.requestBody ? exampleBody(operation) : undefined),
        role: fc.constant('owner'),
      });
    });
    const anyCall = fc.integer({ min: 0, max: 10_000 }).chain((index) => {
      const operation = operations[index % operations.length]!;
      const names = [...operation.parameters.map((p) => p.name), 'workspaceId', '__proto__', 'constructor'];
      return fc.record({
        operationId: fc.oneof({ weight: 5, arbitrary: fc.constant(operation.operationId) }, nastyString),
        params: fc.oneof(
          fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, nastyString), valueFor(), { maxKeys: 6 }),
          hostileJson,
        ),
        body: fc.oneof(
          fc.constant(undefined),
          fc.constant(null).map(() => (operation.requestBody ? exampleBody(operation) : undefined)),
          hostileJson,
        ),
        role: fc.constantFrom('owner', 'owner', 'regular'),
      });
    });
    const call = fc.oneof(nearValid, anyCall);
    await fc.assert(
      fc.asyncProperty(call, async ({ operationId, params, body, role }) => {
        const payload = JSON.stringify({ operationId, params, ...(body === undefined ? {} : { body }) });
        const sentBefore = h.stub.requests.length;
        await h.attack({
          method: 'POST',
          url: '/ui/api-explorer/execute',
          headers: { authorization: `Bearer ${role === 'owner' ? ownerToken : regularToken}`, 'content-type': 'application/json' },
          payload,
        });
        // What went out is the operation that was validated, never another endpoint reached through its parameters.
        const operation = h.runtime.catalog.get(String(operationId));
        for (const sent of h.stub.requests.slice(sentBefore)) {
          expect(sent.method).toBe(operation?.method);
          expect(new URL(sent.url, 'http://stub').pathname, `${operationId} ${JSON.stringify(params)}`).toMatch(
            templatePattern(operation!.path),
          );
        }
      }),
      fuzzSettings(RUNS.explorerExecute),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
    expect(h.stub.requests.length, 'the fuzzer never got a call through validation').toBeGreaterThan(10);
    for (const request of h.stub.requests) {
      for (const workspace of addressedWorkspaces(request.url)) expect(workspace, request.url).toBe(a.workspaceId);
      expect(request.url).not.toContain(b.workspaceId);
      expect(request.headers['x-injected']).toBeUndefined();
    }
  });

  it('refuses `.` and `..` as path parameters of every operation (they would address another endpoint)', async () => {
    const sentBefore = h.stub.requests.length;
    let tried = 0;
    for (const operation of operations.filter((op) => op.pathParams.some((name) => name !== 'workspaceId'))) {
      for (const dots of ['.', '..']) {
        const params = Object.fromEntries(operation.pathParams.filter((name) => name !== 'workspaceId').map((name) => [name, dots]));
        const response = await h.attack(
          {
            method: 'POST',
            url: '/ui/api-explorer/execute',
            headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
            payload: JSON.stringify({ operationId: operation.operationId, params }),
          },
          { allow2xx: false },
        );
        expect([400, 404], operation.operationId).toContain(response.statusCode);
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThan(50);
    expect(h.stub.requests.length).toBe(sentBefore);
  });

  it('answers any catalog query, operation id, history cursor and rerun id without 5xx', async () => {
    const request = fc.oneof(
      fc
        .record(
          {
            method: fc.oneof(fc.constantFrom('GET', 'POST', 'get', 'TRACE'), nastyString),
            readOnly: fc.oneof(fc.constantFrom('true', 'false', '1', ''), nastyString),
            q: nastyString,
            tag: nastyString,
          },
          { requiredKeys: [] },
        )
        .map((query) => ({ method: 'GET' as const, url: '/ui/api-explorer/endpoints', query })),
      nastyString.map((id) => ({ method: 'GET' as const, url: `/ui/api-explorer/endpoints/${pathSegment(id, 250)}`, query: {} })),
      fc
        .record(
          { limit: fc.oneof(fc.constantFrom('0', '1', '200', '201', '-1', '1e3', 'x'), nastyString), cursor: nastyString },
          { requiredKeys: [] },
        )
        .map((query) => ({ method: 'GET' as const, url: '/ui/api-explorer/history', query })),
      nastyString.map((id) => ({ method: 'POST' as const, url: `/ui/api-explorer/history/${pathSegment(id, 100)}/rerun`, query: {} })),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ method, url, query }) => {
        const search = new URLSearchParams(
          Object.entries(query).map(([k, v]) => [k, String(v).replace(/[\ud800-\udfff]/g, '')]),
        ).toString();
        await h.attack({ method, url: search ? `${url}?${search}` : url, headers: { authorization: `Bearer ${ownerToken}` } });
      }),
      fuzzSettings(RUNS.explorerOther),
    );
  });
});
