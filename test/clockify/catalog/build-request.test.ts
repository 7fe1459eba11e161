import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  curlSnippet,
  deriveAuditLogUrl,
  exampleBody,
  getCatalog,
  knownValuesFor,
  type Operation,
} from '../../../src/clockify/catalog/index.js';

const catalog = getCatalog();
const op = (id: string): Operation => catalog.get(id)!;
const global = { backendUrl: 'https://api.clockify.me/api', reportsUrl: 'https://reports.api.clockify.me' };

describe('buildRequest', () => {
  it('substitutes and URI-encodes path parameters on the backend server', () => {
    const request = buildRequest(op('getTask'), { params: { workspaceId: 'ws 1', projectId: 'p/2', taskId: 't?3' } }, global);
    expect(request.method).toBe('GET');
    expect(request.url).toBe('https://api.clockify.me/api/v1/workspaces/ws%201/projects/p%2F2/tasks/t%3F3');
  });

  it('turns query values into strings, keeps arrays, and leaves out blanks', () => {
    const request = buildRequest(
      op('getProjects'),
      { params: { workspaceId: 'ws1', page: 2, archived: true, clients: ['c1', 'c2'], name: '', users: undefined } },
      global,
    );
    expect(request.query).toEqual({ page: '2', archived: 'true', clients: ['c1', 'c2'] });
    expect(request.body).toBeUndefined();
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('sends reports to the reports server with a JSON body', () => {
    const body = {
      dateRangeStart: '2024-01-01T00:00:00Z',
      dateRangeEnd: '2024-01-31T23:59:59Z',
      detailedFilter: { page: 1, pageSize: 50 },
    };
    const request = buildRequest(op('generateDetailedReport'), { params: { workspaceId: 'ws1' }, body }, global);
    expect(request.url).toBe('https://reports.api.clockify.me/v1/workspaces/ws1/reports/detailed');
    expect(request.body).toEqual(body);
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('derives the audit-log server from the backend URL when not given', () => {
    const request = buildRequest(op('getAuditLogs'), { params: { workspaceId: 'ws1' }, body: {} }, global);
    expect(request.url).toBe('https://auditlog-api.api.clockify.me/v1/workspaces/ws1/audit-log');
    expect(deriveAuditLogUrl('https://euc1.clockify.me/api')).toBe('https://euc1.clockify.me/auditlog');
    expect(deriveAuditLogUrl('http://127.0.0.1:9999/api')).toBe('http://127.0.0.1:9999/auditlog');
    const explicit = buildRequest(
      op('getAuditLogs'),
      { params: { workspaceId: 'ws1' } },
      { ...global, auditLogUrl: 'https://audit.test/' },
    );
    expect(explicit.url).toBe('https://audit.test/v1/workspaces/ws1/audit-log');
  });

  it('works with regional base URLs and tolerates a trailing slash', () => {
    const request = buildRequest(
      op('getClients'),
      { params: { workspaceId: 'ws1' } },
      { backendUrl: 'https://euc1.clockify.me/api/', reportsUrl: 'https://euc1.clockify.me/report' },
    );
    expect(request.url).toBe('https://euc1.clockify.me/api/v1/workspaces/ws1/clients');
  });

  it('refuses to build a request with a missing path parameter', () => {
    expect(() => buildRequest(op('getProject'), { params: { workspaceId: 'ws1' } }, global)).toThrow(/projectId/);
  });
});

describe('curlSnippet', () => {
  it('reads the token from the environment and never contains one', () => {
    const request = buildRequest(op('createClient'), { params: { workspaceId: 'ws1' }, body: { name: "O'Brien & Co" } }, global);
    const leaky = {
      ...request,
      headers: { ...request.headers, 'X-Addon-Token': 'eyJhbGciOiJSUzI1NiJ9.secret.sig', 'x-api-key': 'k-123456' },
    };
    const snippet = curlSnippet(leaky);
    expect(snippet).toContain('-H "X-Addon-Token: $CLOCKIFY_ADDON_TOKEN"');
    expect(snippet).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(snippet).not.toContain('k-123456');
    expect(snippet).toContain("curl -X POST 'https://api.clockify.me/api/v1/workspaces/ws1/clients'");
    // The apostrophe is quoted for the shell, so the snippet pastes as-is.
    expect(snippet).toContain(`O'\\''Brien & Co`);
  });

  it('includes the query string', () => {
    const request = buildRequest(op('getProjects'), { params: { workspaceId: 'ws1', clients: ['a', 'b'], 'page-size': 10 } }, global);
    expect(curlSnippet(request)).toContain("'https://api.clockify.me/api/v1/workspaces/ws1/projects?clients=a&clients=b&page-size=10'");
  });
});

describe('examples and known values', () => {
  it('builds small deterministic bodies', () => {
    const first = exampleBody(op('createWebhook'));
    expect(first).toEqual(exampleBody(op('createWebhook')));
    expect(Object.keys(first as object).sort()).toEqual(['triggerSource', 'triggerSourceType', 'url', 'webhookEvent']);
    expect(JSON.stringify(exampleBody(op('generateDetailedReport'))).length).toBeLessThan(2000);
    expect(exampleBody(op('getProjects'))).toBeUndefined();
  });

  it('pre-fills the workspace and the current user', () => {
    expect(knownValuesFor(op('getTimeEntries'), { workspaceId: 'ws1', userId: 'u1' })).toEqual({ workspaceId: 'ws1', userId: 'u1' });
    expect(knownValuesFor(op('getProjects'), { workspaceId: 'ws1', userId: 'u1' })).toEqual({ workspaceId: 'ws1' });
    expect(knownValuesFor(op('getLoggedUser'), { workspaceId: 'ws1', userId: 'u1' })).toEqual({});
  });
});
