import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPath } from '../src/generic/store.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { buildExample } from '../src/spec/example.js';
import { specRoutes, successMedia, type JsonSchema, type SpecRoute } from '../src/spec/openapi.js';
import { requestChecker } from '../src/spec/request-check.js';
import { installedBody, keysDirForFile, manifestFor, startReceiver, type Receiver } from './helpers.js';

/**
 * Every operation of the spec, called with a request the spec allows (ids of real entities, example
 * bodies, multipart with a file part): each answers 2xx, and with `validateResponses` the sandbox checks
 * every answer against the spec (every declared field present, types, media type) and the request
 * checker refuses nothing. The live API's allowed deviations are in src/spec/deviations.ts.
 */
let sandbox: Sandbox;
let receiver: Receiver;
let token: string;
let ws: string;
let addonId: string;
const keys = keysDirForFile();

/** Operations that cannot answer 2xx here, with the reason. */
const NOT_2XX: Readonly<Record<string, string>> = {
  getWorkspacesOfUser: 'API key only: 401 for an add-on token',
  createWorkspace: 'API key only: 401 for an add-on token',
  getAuditLogs: 'API key only: 401 for an add-on token',
  deleteProject: 'Clockify refuses to delete a project that is not archived (400)',
  stopRunningTimeEntry: 'the owner has no running timer: 404',
  generateSummaryReport: "the spec's example groups are ids, not groups such as PROJECT: 400 (the report itself: reports.test.ts)",
};

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({
    seed: { seed: 3, timeEntries: 30 },
    rateLimitPerSecond: 100_000,
    validateResponses: true,
    dataDir: keys.dir,
  });
  await sandbox.install({ manifest: manifestFor(receiver) });
  const installed = installedBody(receiver);
  token = installed.authToken;
  ws = installed.workspaceId;
  addonId = installed.addonId;
  requestChecker().compileAll();
  // Real ids for the fields of example bodies, so the requests make sense (a project of this workspace).
  const get = async (path: string) =>
    (await (await fetch(sandbox.backendUrl + path, { headers: { 'x-addon-token': token } })).json()) as {
      id: string;
      projectId?: string;
    }[];
  const projects = await get(`/v1/workspaces/${ws}/projects`);
  const tasks = await get(`/v1/workspaces/${ws}/projects/${projects[0]!.id}/tasks`);
  const owner = sandbox.workspaces().find((w) => w.id === ws)!.ownerId;
  real.projectId = projects[0]!.id;
  real.taskId = tasks[0]?.id ?? '';
  real.clientId = (await get(`/v1/workspaces/${ws}/clients`))[0]!.id;
  real.tagId = (await get(`/v1/workspaces/${ws}/tags`))[0]!.id;
  real.userId = owner;
  real.userGroupId = (await get(`/v1/workspaces/${ws}/user-groups`))[0]!.id;
  const entries = await get(`/v1/workspaces/${ws}/user/${owner}/time-entries`);
  real.timeEntryId = entries[0]!.id;
  real['time-entry-ids'] = entries[1]!.id;
  realLists['userId'] = sandbox.workspaces().find((w) => w.id === ws)!.userIds;
  realLists['tagId'] = (await get(`/v1/workspaces/${ws}/tags`)).map((t) => t.id);
  real.customFieldId = (await get(`/v1/workspaces/${ws}/custom-fields`))[0]!.id;
  realLists['customFieldId'] = (await get(`/v1/workspaces/${ws}/custom-fields`)).map((f) => f.id);
}, 60_000);

const real: Record<string, string> = {};
/** Real ids for the first item of a list only: the rest stay distinct examples (`uniqueItems`). */
const known = (name: string, index: number) => {
  const list = realLists[name === 'assigneeId' || name === 'memberId' ? 'userId' : name];
  if (list) return list[index % list.length];
  return index > 0 ? undefined : real[name];
};
const realLists: Record<string, string[]> = {};

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
  keys.remove();
});

function base(route: SpecRoute): string {
  return route.prefix === '/api' ? sandbox.backendUrl : route.prefix === '/reports' ? sandbox.reportsUrl : sandbox.auditLogUrl;
}

async function send(route: SpecRoute, path: string, query: URLSearchParams, body: { json?: unknown; form?: FormData }) {
  const headers: Record<string, string> = { 'x-addon-token': token };
  if (body.json !== undefined) headers['content-type'] = 'application/json';
  const qs = query.toString();
  const response = await fetch(`${base(route)}${path}${qs ? `?${qs}` : ''}`, {
    method: route.method,
    headers,
    ...(body.json !== undefined ? { body: JSON.stringify(body.json) } : body.form ? { body: body.form } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** An id for a path parameter: the first item of the list that sits right before it in the path. */
async function idFor(route: SpecRoute, name: string, resolved: Record<string, string>): Promise<string> {
  const owner = sandbox.workspaces().find((w) => w.id === ws)!.ownerId;
  if (name === 'workspaceId') return ws;
  if (name === 'addonId') return addonId;
  if (name === 'userId') return owner;
  if (name === 'id' && route.specPath.includes('time-entries')) return real['timeEntryId']!;
  if (name === 'order') return '1';
  const firstOf = async (method: string, specPath: string, pick: (json: any) => string | undefined, body?: unknown) => {
    const listRoute = specRoutes().find((r) => r.method === method && r.specPath === specPath)!;
    const query = new URLSearchParams(specPath.endsWith('/all') ? { start: '2020-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' } : {});
    return (
      pick((await send(listRoute, specPath.replace('{workspaceId}', ws), query, body === undefined ? {} : { json: body })).json) ??
      `no-${name}`
    );
  };
  const W = '/v1/workspaces/{workspaceId}';
  if (name === 'assignmentId') return firstOf('GET', `${W}/scheduling/assignments/all`, (json) => json[0]?.id);
  if (name === 'approvalRequestId') return firstOf('GET', `${W}/approval-requests`, (json) => json[0]?.approvalRequest?.id);
  if (name === 'policyId') return firstOf('GET', `${W}/time-off/policies`, (json) => json[0]?.id);
  if (name === 'requestId')
    return firstOf(
      'POST',
      `${W}/time-off/requests`,
      (json) => json.requests.find((r: { policyId: string }) => r.policyId === resolved['policyId'])?.id,
      {},
    );
  const segments = route.specPath.split('/');
  const at = segments.indexOf(`{${name}}`);
  const collectionSpec = segments.slice(0, at).join('/');
  const listRoute = specRoutes().find((r) => r.method === 'GET' && r.specPath === collectionSpec);
  if (listRoute) {
    const path = collectionSpec.replace(/\{([^}]+)\}/g, (_m, p: string) => resolved[p] ?? '');
    const response = await send(listRoute, path, new URLSearchParams(), {});
    const where = successMedia(listRoute.operation).schema ? listPath(successMedia(listRoute.operation).schema!) : undefined;
    let list: unknown = response.json;
    for (const key of where?.path ?? []) list = (list as Record<string, unknown> | undefined)?.[key];
    const first = Array.isArray(list) ? (list[0] as { id?: string } | undefined) : undefined;
    if (first?.id) return first.id;
  }
  if (name === 'customFieldId')
    return (
      (
        await send(
          specRoutes().find((r) => r.method === 'GET' && r.specPath.endsWith('/custom-fields') && !r.specPath.includes('projects'))!,
          `/v1/workspaces/${ws}/custom-fields`,
          new URLSearchParams(),
          {},
        )
      ).json as { id: string }[]
    )[0]!.id;
  return 'no-id-for-' + name;
}

function requestSchema(route: SpecRoute): { mediaType: string; schema: JsonSchema } | undefined {
  const content = route.operation.requestBody?.content ?? {};
  const mediaType = Object.keys(content)[0];
  return mediaType ? { mediaType, schema: content[mediaType]?.schema ?? {} } : undefined;
}

function formOf(example: Record<string, unknown>, schema: JsonSchema): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(example)) {
    if (name === 'file') continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
  }
  void schema;
  form.append('file', new Blob(['bytes'], { type: 'image/png' }), 'receipt.png');
  return form;
}

const ORDER = { GET: 0, POST: 1, PUT: 2, PATCH: 3, DELETE: 4 } as Record<string, number>;

describe('every operation of the spec', () => {
  it('answers 2xx to a request the spec allows, and every answer matches the spec', async () => {
    // Reads, then writes; deletes last, nested ones (an invoice's item) before their parent (the invoice).
    const depth = (r: SpecRoute) => (r.method === 'DELETE' ? -r.specPath.split('/').length : 0);
    const routes = [...specRoutes()].sort((a, b) => (ORDER[a.method] ?? 9) - (ORDER[b.method] ?? 9) || depth(a) - depth(b));
    expect(routes).toHaveLength(168);
    const failures: string[] = [];
    for (const route of routes) {
      const operationId = route.operation.operationId ?? '';
      const params: Record<string, string> = {};
      for (const name of route.paramNames) params[name] = await idFor(route, name, params);
      const path = route.specPath.replace(/\{([^}]+)\}/g, (_m, p: string) => encodeURIComponent(params[p] ?? ''));
      const query = new URLSearchParams();
      for (const parameter of route.operation.parameters ?? []) {
        if (parameter.in !== 'query' || !parameter.required) continue;
        const value = real[parameter.name] ?? buildExample(parameter.schema ?? { type: 'string' }, { params, arrayItems: 1, known });
        query.set(parameter.name, Array.isArray(value) ? value.map(String).join(',') : String(value));
      }
      const requested = requestSchema(route);
      const example = requested ? buildExample(requested.schema, { params, arrayItems: 1, known }) : undefined;
      const body = !requested
        ? {}
        : requested.mediaType === 'multipart/form-data'
          ? { form: formOf(example as Record<string, unknown>, requested.schema) }
          : { json: example };
      const before = sandbox.specViolations().length;
      const response = await send(route, path, query, body);
      const violations = sandbox.specViolations().slice(before);
      if (NOT_2XX[operationId]) {
        if (response.status < 400) failures.push(`${operationId}: expected a refusal (${NOT_2XX[operationId]}), got ${response.status}`);
        continue;
      }
      if (response.status >= 300)
        failures.push(`${operationId} ${route.method} ${path}: ${response.status} ${response.text.slice(0, 200)}`);
      for (const v of violations) failures.push(`${operationId}: ${v.kind} violation: ${v.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
