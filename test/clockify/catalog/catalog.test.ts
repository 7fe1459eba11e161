import { describe, expect, it } from 'vitest';
import { buildCatalog, getCatalog, MANIFEST_SCOPES, type Operation } from '../../../src/clockify/catalog/index.js';
import { assignOperationIds } from '../../../src/clockify/catalog/operation-ids.js';

const catalog = getCatalog();

function op(operationId: string): Operation {
  const found = catalog.get(operationId);
  if (!found) throw new Error(`operation ${operationId} missing from the catalog`);
  return found;
}

describe('OpenAPI catalog of the bundled spec', () => {
  it('indexes all 168 operations under unique ids', () => {
    expect(catalog.operations).toHaveLength(168);
    const ids = catalog.operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(168);
    for (const id of ids) expect(catalog.get(id)?.operationId).toBe(id);
    expect(catalog.get('noSuchOperation')).toBeUndefined();
  });

  it('is built once per process', () => {
    expect(getCatalog()).toBe(catalog);
  });

  it('leaves no $ref anywhere and stays finite for recursive schemas', () => {
    const text = JSON.stringify(catalog.operations); // would throw on an object cycle
    expect(text).not.toContain('"$ref"');
    // GroupOneDto.children refers to GroupOneDto: the recursion is cut with a marker.
    expect(text).toContain('"x-recursive-ref":"GroupOneDto"');
  });

  it('assigns each operation to the server of its path', () => {
    const count = (server: string) => catalog.operations.filter((operation) => operation.server === server).length;
    expect(count('reports')).toBe(10);
    expect(count('auditlog')).toBe(1);
    expect(count('backend')).toBe(157);
    expect(op('generateDetailedReport').server).toBe('reports');
    expect(op('getAuditLogs').server).toBe('auditlog');
    expect(op('getProjects').server).toBe('backend');
  });

  it('lists the 51 webhook events Clockify accepts for registration', () => {
    expect(catalog.webhookEvents).toHaveLength(51);
    expect(catalog.webhookEvents).toContain('NEW_TIME_ENTRY');
    expect(catalog.webhookEvents).toContain('NEW_PROJECT');
  });

  it('marks GET operations, and only those, read-only', () => {
    expect(op('getProjects').readOnly).toBe(true);
    expect(op('createClient').readOnly).toBe(false);
    expect(op('generateDetailedReport').readOnly).toBe(false);
    expect(catalog.operations.filter((operation) => operation.readOnly).every((operation) => operation.method === 'GET')).toBe(true);
    expect(catalog.filter({ readOnly: true })).toHaveLength(catalog.filter({ method: 'GET' }).length);
  });

  it('treats query-only POSTs as safe to repeat but not read-only', () => {
    expect(op('generateDetailedReport').idempotent).toBe(true);
    expect(op('filterUsersOfWorkspace').idempotent).toBe(true);
    expect(op('createTimeEntry').idempotent).toBe(false);
    expect(op('updateProject').idempotent).toBe(true);
    expect(op('updateEstimate').idempotent).toBe(false); // PATCH
  });
});

describe('pagination styles', () => {
  it('projects list: query page (from 1) and page-size', () => {
    expect(op('getProjects').pagination).toEqual({
      kind: 'query',
      pageParam: 'page',
      sizeParam: 'page-size',
      firstPage: 1,
      defaultSize: 50,
    });
  });

  it('webhook logs and statuses: query page from 0 and size', () => {
    for (const id of ['getLogsForWebhook', 'getWebhookEventStatusesWithLatestLog']) {
      expect(op(id).pagination).toMatchObject({ kind: 'query', pageParam: 'page', sizeParam: 'size', firstPage: 0, defaultSize: 50 });
    }
  });

  it('entity changes: limit, and a page default of "0" written as a string', () => {
    expect(op('getCreatedEntityInfo').pagination).toMatchObject({ kind: 'query', sizeParam: 'limit', firstPage: 0 });
  });

  it('documented maximum page sizes are kept', () => {
    expect(op('getInProgressTimeEntries').pagination).toMatchObject({ kind: 'query', defaultSize: 10, maxSize: 1000 });
    expect(op('findPoliciesForWorkspace').pagination).toMatchObject({ kind: 'query', maxSize: 200 });
  });

  it('reports page in the body, inside their filter object', () => {
    expect(op('generateDetailedReport').pagination).toMatchObject({
      kind: 'body',
      container: 'detailedFilter',
      pageField: 'page',
      sizeField: 'pageSize',
    });
    expect(op('generateAttendanceReport').pagination).toMatchObject({ kind: 'body', container: 'attendanceFilter' });
    expect(op('generateSummaryReport').pagination).toEqual({ kind: 'none' });
  });

  it('top-level body paging (users/info, audit log with page-size)', () => {
    expect(op('filterUsersOfWorkspace').pagination).toMatchObject({ kind: 'body', pageField: 'page', sizeField: 'pageSize' });
    expect(op('filterUsersOfWorkspace').pagination).not.toHaveProperty('container');
    expect(op('getAuditLogs').pagination).toMatchObject({ kind: 'body', sizeField: 'page-size', defaultSize: 20, maxSize: 50 });
  });

  it('single-entity operations do not page', () => {
    expect(op('getProject').pagination).toEqual({ kind: 'none' });
    expect(op('createClient').pagination).toEqual({ kind: 'none' });
  });
});

describe('scopes', () => {
  it('maps each operation to one of the 30 manifest scopes', () => {
    expect(MANIFEST_SCOPES).toHaveLength(30);
    for (const operation of catalog.operations) {
      expect(operation.scopes.length).toBeGreaterThan(0);
      for (const scope of operation.scopes) expect(MANIFEST_SCOPES).toContain(scope);
    }
  });

  it.each([
    ['getProjects', 'PROJECT_READ'],
    ['createNewProject', 'PROJECT_WRITE'],
    ['getTasks', 'TASK_READ'],
    ['createClient', 'CLIENT_WRITE'],
    ['getTimeEntries', 'TIME_ENTRY_READ'],
    ['createTimeEntry', 'TIME_ENTRY_WRITE'],
    ['getCustomFieldsOfProject', 'CUSTOM_FIELDS_READ'],
    ['getUserGroups', 'GROUP_READ'],
    ['generateDetailedReport', 'REPORTS_READ'],
    ['saveSharedReportV1', 'REPORTS_WRITE'],
    ['getHolidays', 'TIME_OFF_READ'],
    ['filterUsersOfWorkspace', 'USER_READ'],
    ['createWebhook', 'WORKSPACE_WRITE'],
  ])('%s needs %s', (operationId, scope) => {
    expect(op(operationId).scopes).toEqual([scope]);
  });
});

describe('operation details', () => {
  it('lists path parameters in path order', () => {
    expect(op('getTask').pathParams).toEqual(['workspaceId', 'projectId', 'taskId']);
  });

  it('knows which operations need nothing but the workspace', () => {
    expect(op('getProjects').needsOnlyWorkspace).toBe(true);
    expect(op('getProject').needsOnlyWorkspace).toBe(false);
    expect(op('createClient').needsOnlyWorkspace).toBe(false);
    expect(op('generateDetailedReport').needsOnlyWorkspace).toBe(false);
  });

  it('keeps parameter enums and defaults', () => {
    const clientStatus = op('getProjects').parameters.find((parameter) => parameter.name === 'client-status');
    expect(clientStatus).toMatchObject({ in: 'query', required: false, enum: ['ACTIVE', 'ARCHIVED', 'ALL'] });
    const page = op('getProjects').parameters.find((parameter) => parameter.name === 'page');
    expect(page?.default).toBe(1);
  });

  it("collapses the spec's object-wrapped enums into plain string enums", () => {
    const body = op('updateInvoice').requestBody?.schema as { properties: Record<string, { type: string; enum: string[] }> };
    expect(body.properties.taxType!.type).toBe('string');
    expect(body.properties.taxType!.enum).toEqual(['COMPOUND', 'SIMPLE', 'NONE']);
  });

  it('flags deprecated operations, including those of deprecated tags', () => {
    expect(op('getTemplates').deprecated).toBe(true);
    expect(op('getProjectTotals').deprecated).toBe(true);
    expect(op('getProjects').deprecated).toBe(false);
  });

  it("groups by tag in the spec's tag order, each operation once", () => {
    const groups = catalog.byTag();
    expect(groups[0]?.tag).toBe('User');
    expect(groups.flatMap((group) => group.operations)).toHaveLength(168);
    expect(groups.find((group) => group.tag === 'Project')?.operations.map((operation) => operation.operationId)).toContain('getProjects');
  });

  it('filters by text, method and tag', () => {
    const found = catalog.filter({ text: 'TIME-ENTRIES', method: 'GET' }).map((operation) => operation.operationId);
    expect(found).toContain('getTimeEntries');
    expect(found).not.toContain('createTimeEntry');
    expect(catalog.filter({ tag: 'Tag' }).every((operation) => operation.tag === 'Tag')).toBe(true);
  });

  it('resolves a schema given by reference', () => {
    const schema = catalog.resolveSchema({ $ref: '#/components/schemas/CreateClientRequestV1' });
    expect(Object.keys(schema.properties as object)).toContain('name');
    expect(JSON.stringify(schema)).not.toContain('$ref');
  });
});

describe('operation ids of imperfect specs', () => {
  it('derives missing ids from method and path and keeps duplicates apart', () => {
    const spec = {
      openapi: '3.0.1',
      paths: {
        '/v1/things': { get: { operationId: 'list', responses: {} }, post: { responses: {} } },
        '/v1/other': { get: { operationId: 'list', responses: {} } },
      },
    };
    const ids = buildCatalog(spec).operations.map((operation) => operation.operationId);
    expect(ids).toEqual(['list', 'postV1Things', 'list_getV1Other']);
  });

  it('derived ids do not depend on the order of unrelated operations', () => {
    const a = assignOperationIds([
      { method: 'GET', path: '/a', operationId: 'x' },
      { method: 'GET', path: '/b', operationId: 'x' },
    ]);
    const b = assignOperationIds([
      { method: 'GET', path: '/z', operationId: 'y' },
      { method: 'GET', path: '/a', operationId: 'x' },
      { method: 'GET', path: '/b', operationId: 'x' },
    ]);
    expect(a[1]).toBe(b[2]);
  });
});
